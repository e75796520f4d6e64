// Owns building and running the container image with podman on a machine without a Docker
// engine: the runc runtime (crun refuses this kernel's cgroup mode), explicit ulimits (the
// defaults cannot be set here), and every container this process started removed at the end.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCommand, type CommandResult } from './command';
import { repoPath } from './repo';

const RUNTIME = ['--runtime', 'runc'];
const ULIMITS = ['--ulimit', 'nofile=4096:4096', '--ulimit', 'nproc=4096:4096'];

export function podman(args: readonly string[], timeoutMs = 120_000, check = true): Promise<CommandResult> {
  return runCommand('podman', [...RUNTIME, ...args], { timeoutMs, check });
}

/** The image names the Dockerfile's FROM lines use (stage names excluded). */
export function dockerfileBaseImages(dockerfile = repoPath('Dockerfile')): string[] {
  const stages = new Set<string>();
  const bases: string[] = [];
  for (const line of fs.readFileSync(dockerfile, 'utf8').split('\n')) {
    const m = /^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (!m) continue;
    if (!stages.has(m[1]) && !bases.includes(m[1])) bases.push(m[1]);
    if (m[2]) stages.add(m[2]);
  }
  return bases;
}

/** Makes the local stand-in for the Dockerfile's base image (cached); returns its tag. */
export async function makeLocalBaseImage(): Promise<string> {
  const r = await runCommand('bash', [repoPath('deploy/container/make-local-base.sh')], { timeoutMs: 30 * 60_000 });
  return r.stdout.trim();
}

/**
 * Build-time only mounts that let npm inside the build trust this machine's extra certificate
 * authorities (`NODE_EXTRA_CA_CERTS`, e.g. an egress proxy that re-signs TLS): the bundle and a
 * /root/.npmrc naming it, mounted into the RUN steps. Nothing of it reaches the image and the
 * Dockerfile stays unchanged. Empty when the machine has no extra authorities.
 */
function buildTrustMounts(): { flags: string[]; dir?: string } {
  const bundle = process.env.NODE_EXTRA_CA_CERTS;
  if (!bundle || !fs.existsSync(bundle)) return { flags: [] };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-build-trust-'));
  fs.copyFileSync(bundle, path.join(dir, 'ca.crt'));
  fs.writeFileSync(path.join(dir, 'npmrc'), 'cafile=/run/parley-build-trust/ca.crt\n');
  return { flags: ['-v', `${dir}:/run/parley-build-trust:ro`, '-v', `${path.join(dir, 'npmrc')}:/root/.npmrc:ro`], dir };
}

/** `podman build` of the repository's Dockerfile, unchanged, as `tag`. */
export async function buildImage(tag: string): Promise<CommandResult> {
  const trust = buildTrustMounts();
  try {
    return await podman(['build', ...ULIMITS, ...trust.flags, '--pull=never', '--layers', '-f', repoPath('Dockerfile'), '-t', tag, repoPath()], 40 * 60_000);
  } finally {
    if (trust.dir) fs.rmSync(trust.dir, { recursive: true, force: true });
  }
}

export interface ContainerOptions {
  image: string;
  args: string[];
  env?: Record<string, string>;
  /** podman run flags placed before the image (e.g. --read-only). */
  flags?: string[];
}

export interface StopResult {
  exitCode: number;
  ms: number;
}

export class PodmanContainer {
  constructor(readonly id: string) {}

  async inspect<T = unknown>(format: string): Promise<T> {
    const r = await podman(['inspect', '--format', `{{json ${format}}}`, this.id]);
    return JSON.parse(r.stdout) as T;
  }

  async running(): Promise<boolean> {
    return (await this.inspect<boolean>('.State.Running')) === true;
  }

  async hostPid(): Promise<number> {
    return this.inspect<number>('.State.Pid');
  }

  async logs(): Promise<string> {
    const r = await podman(['logs', this.id], 30_000, false);
    return r.stdout + r.stderr;
  }

  async exec(args: string[]): Promise<CommandResult> {
    return podman(['exec', this.id, ...args], 60_000, false);
  }

  /** `podman stop -t <grace>`: SIGTERM (the image's stop signal), SIGKILL after the grace. */
  async stop(graceSeconds: number): Promise<StopResult> {
    const started = Date.now();
    await podman(['stop', '-t', String(graceSeconds), this.id], (graceSeconds + 60) * 1000);
    const ms = Date.now() - started;
    return { exitCode: await this.inspect<number>('.State.ExitCode'), ms };
  }

  async remove(): Promise<void> {
    await podman(['rm', '-f', '-t', '0', this.id], 60_000, false);
  }
}

const started = new Set<PodmanContainer>();

/** `podman run -d` with the flags this machine needs; the container is removed by removeContainers(). */
export async function runContainer(opts: ContainerOptions): Promise<PodmanContainer> {
  const env = Object.entries(opts.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  const r = await podman(['run', '-d', ...ULIMITS, ...(opts.flags ?? []), ...env, opts.image, ...opts.args]);
  const container = new PodmanContainer(r.stdout.trim().split('\n').pop()!.trim());
  started.add(container);
  return container;
}

/** Removes (forcibly) every container runContainer started in this process. */
export async function removeContainers(): Promise<void> {
  await Promise.all([...started].map((c) => c.remove()));
  started.clear();
}
