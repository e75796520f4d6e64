// Runs a command-line tool to completion and hands back what it printed.
import { spawnSync } from 'node:child_process';

export interface ToolResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runTool(command: string, args: readonly string[], options: { input?: string; cwd?: string } = {}): ToolResult {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Like runTool, but a non-zero exit throws with the tool's output. */
export function runToolOk(command: string, args: readonly string[], options: { input?: string; cwd?: string } = {}): string {
  const result = runTool(command, args, options);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${result.stderr}${result.stdout}`);
  }
  return result.stdout;
}
