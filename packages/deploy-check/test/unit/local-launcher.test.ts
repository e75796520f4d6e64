// The launcher of the npm scripts (deploy/local/launch.js): when it may skip the build
// (build-freshness.js), and how it notices that its parent process is gone (stop-requests.js).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

interface Freshness {
  fresh: boolean;
  reason: string;
}
const { buildFreshness, recordBuild, packagesFor } = require('../../../../deploy/local/build-freshness') as {
  buildFreshness: (root: string, names: string[]) => Freshness;
  recordBuild: (root: string, names: string[], startedAtMs: number) => void;
  packagesFor: (root: string, names: string[]) => Map<string, { dir: string }>;
};
const { watchParent } = require('../../../../deploy/local/stop-requests') as {
  watchParent: (onGone: (parent: number) => void, options: { intervalMs: number; readParentPid: (original: number) => number }) => () => void;
};

function write(file: string, text: string, mtimeMs: number): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  fs.utimesSync(file, mtimeMs / 1000, mtimeMs / 1000);
}

/** A workspace: server -> lib (dependency), server -> kit (devDependency); tool unrelated. */
function workspace(mtimeMs: number): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-launcher-'));
  const pkg = (dir: string, name: string, deps: Record<string, string> = {}, devDeps: Record<string, string> = {}) => {
    write(path.join(root, dir, 'package.json'), JSON.stringify({ name, scripts: { build: 'tsc' }, dependencies: deps, devDependencies: devDeps }), mtimeMs);
    write(path.join(root, dir, 'src', 'index.ts'), 'export {};', mtimeMs);
    write(path.join(root, dir, 'dist', 'index.js'), '', mtimeMs);
  };
  write(path.join(root, 'package.json'), JSON.stringify({ workspaces: ['packages/*', 'services/*'] }), mtimeMs);
  write(path.join(root, 'turbo.json'), '{}', mtimeMs);
  pkg('packages/lib', '@x/lib');
  pkg('packages/kit', '@x/kit');
  pkg('packages/tool', '@x/tool');
  pkg('services/server', '@x/server', { '@x/lib': '*' }, { '@x/kit': '*' });
  return root;
}

/** Sets a directory's modification time, as adding or removing an entry later would. */
function touchDir(dir: string, mtimeMs: number): void {
  fs.utimesSync(dir, mtimeMs / 1000, mtimeMs / 1000);
}

describe('the build the launcher may skip', () => {
  // Files written a minute ago, the directories now; the build started after both, the
  // changes come after the build.
  const past = Date.now() - 60_000;
  const built = Date.now() + 1_000;
  const later = Date.now() + 2_000;
  let root: string;
  beforeEach(() => {
    root = workspace(past);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('selects a package and its workspace dependencies, dev ones included (turbo --filter=name...)', () => {
    expect([...packagesFor(root, ['@x/server']).keys()].sort()).toEqual(['@x/kit', '@x/lib', '@x/server']);
  });

  it('builds when the launcher never built, and skips once it did and nothing changed', () => {
    expect(buildFreshness(root, ['@x/server'])).toEqual({ fresh: false, reason: 'never built by this launcher' });
    recordBuild(root, ['@x/server'], built);
    expect(buildFreshness(root, ['@x/server']).fresh).toBe(true);
  });

  it('builds again when a source of the package or of a dependency changed, or a file was added', () => {
    recordBuild(root, ['@x/server'], built);
    write(path.join(root, 'packages/lib/src/index.ts'), 'export const x = 1;', later);
    expect(buildFreshness(root, ['@x/server'])).toEqual({ fresh: false, reason: '@x/lib changed' });

    const again = workspace(past);
    recordBuild(again, ['@x/server'], built);
    write(path.join(again, 'packages/kit/src/new.ts'), 'export {};', past);
    touchDir(path.join(again, 'packages/kit/src'), later);
    expect(buildFreshness(again, ['@x/server'])).toEqual({ fresh: false, reason: '@x/kit changed' });
    fs.rmSync(again, { recursive: true, force: true });
  });

  it('ignores packages the command does not run', () => {
    recordBuild(root, ['@x/server'], built);
    write(path.join(root, 'packages/tool/src/index.ts'), 'export const y = 2;', later);
    expect(buildFreshness(root, ['@x/server']).fresh).toBe(true);
  });

  it('builds again when an output is missing or a root input changed', () => {
    recordBuild(root, ['@x/server'], built);
    fs.rmSync(path.join(root, 'services/server/dist'), { recursive: true });
    expect(buildFreshness(root, ['@x/server'])).toEqual({ fresh: false, reason: '@x/server has no dist/' });

    const again = workspace(past);
    recordBuild(again, ['@x/server'], built);
    write(path.join(again, 'turbo.json'), '{"tasks":{}}', later);
    expect(buildFreshness(again, ['@x/server'])).toEqual({ fresh: false, reason: 'turbo.json changed' });
    fs.rmSync(again, { recursive: true, force: true });
  });

  it('does not count generated code written among the sources (src/gen) as a change', () => {
    recordBuild(root, ['@x/server'], built);
    write(path.join(root, 'packages/lib/src/gen/wire.js'), '// generated', later);
    touchDir(path.join(root, 'packages/lib/src/gen'), later);
    touchDir(path.join(root, 'packages/lib/src'), later);
    expect(buildFreshness(root, ['@x/server']).fresh).toBe(true);
  });
});

describe('the launcher watching its parent', () => {
  it('is told once when the parent pid changes (the parent died and the process was re-parented)', async () => {
    const original = process.ppid;
    let parent = original;
    const gone: number[] = [];
    const stop = watchParent((pid) => gone.push(pid), { intervalMs: 10, readParentPid: () => parent });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(gone).toEqual([]);
    parent = 1;
    await new Promise((resolve) => setTimeout(resolve, 50));
    parent = 4242;
    await new Promise((resolve) => setTimeout(resolve, 50));
    stop();
    expect(gone).toEqual([original]);
  });
});
