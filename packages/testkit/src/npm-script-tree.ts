// Owns what the stop tests of the launchers (`npm start`, `npm run start:distributed`) share:
// an npm script started without this process's PARLEY_* settings, the processes and listening
// ports it holds once it says it is ready, and the wait until every one of them is gone.
import { spawnNpmScript, type NodeProcessHandle } from './process';
import { descendantsOf, isProcessAlive, listeningPortsOf, portsStillListening } from './process-tree';
import { waitFor } from './wait-for';

/** An npm script that said it is ready: its npm process, every process below it and the TCP ports they listen on then. */
export interface NpmScriptTree {
  readonly npm: NodeProcessHandle;
  readonly processes: number[];
  readonly ports: number[];
}

/** `extra` over this process's environment with every PARLEY_* variable removed (a server refuses settings it does not know). */
export function envWithoutParleySettings(extra: Record<string, string>): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const key of Object.keys(process.env)) if (key.startsWith('PARLEY_')) env[key] = undefined;
  return { ...env, ...extra };
}

/** Runs `npm run <script>` with `settings` (and no other PARLEY_* variable) and waits, for at most `readyWithinMs`, for a line matching `ready`. */
export async function startNpmScriptTree(script: string, settings: Record<string, string>, ready: RegExp, readyWithinMs: number): Promise<NpmScriptTree> {
  const npm = spawnNpmScript(script, [], envWithoutParleySettings(settings));
  await npm.waitForLine(ready, readyWithinMs);
  const processes = descendantsOf(npm.pid);
  return { npm, processes, ports: listeningPortsOf(processes) };
}

/** Resolves once every process of `tree` has exited and none of its ports is listened on; rejects after `withinMs` naming what is left, with the script's output. */
export async function expectNpmScriptTreeGone({ npm, processes, ports }: NpmScriptTree, withinMs: number): Promise<void> {
  await waitFor(() => processes.every((pid) => !isProcessAlive(pid)) && portsStillListening(ports).length === 0, {
    timeoutMs: withinMs,
    intervalMs: 100,
    what: `the processes ${processes.join(', ')} to exit and the ports ${ports.join(', ')} to be free`,
  }).catch((error: Error) => {
    throw new Error(`${error.message}\nstill running: ${processes.filter(isProcessAlive).join(', ') || 'none'}; still listening: ${portsStillListening(ports).join(', ') || 'none'}\n${npm.output()}`);
  });
}
