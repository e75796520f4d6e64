// Whether the workspace packages a command runs are built and unchanged since their last build
// by the launcher, so a second `npm start` skips turbo (about a second on a busy machine) and
// serves at once. Plain JavaScript: it runs before anything is compiled.
//
// The packages are the named ones and everything they depend on in the workspace (dependencies
// and devDependencies, as turbo's `--filter=<name>...` selects them). Their build inputs are the
// ones turbo.json declares (src/, scripts/, package.json, tsconfig.json, ../../proto/) plus the
// root files every build reads (turbo.json, tsconfig.base.json, the installed dependency tree).
// "Unchanged" compares modification times, of directories too (a deleted or added file changes
// its directory's time), with the moment the last successful build started; when in doubt (no
// stamp, a missing dist/, anything newer) the answer is "stale" and turbo decides precisely.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const PACKAGE_INPUTS = ['src', 'scripts', 'package.json', 'tsconfig.json'];
const ROOT_INPUTS = ['proto', 'turbo.json', 'tsconfig.base.json', 'package.json', 'package-lock.json', path.join('node_modules', '.package-lock.json')];

/** name -> { dir, deps } of every workspace package under `root` (packages/*, services/*). */
function workspacePackages(root) {
  const rootManifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const packages = new Map();
  for (const pattern of rootManifest.workspaces ?? []) {
    // The workspaces here are `<folder>/*` globs.
    const parent = path.join(root, pattern.replace(/\/\*$/, ''));
    if (!fs.existsSync(parent)) continue;
    for (const entry of fs.readdirSync(parent)) {
      const manifestFile = path.join(parent, entry, 'package.json');
      if (!fs.existsSync(manifestFile)) continue;
      const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
      const deps = Object.keys({ ...(manifest.dependencies ?? {}), ...(manifest.devDependencies ?? {}) });
      packages.set(manifest.name, { dir: path.join(parent, entry), deps, builds: Boolean(manifest.scripts?.build) });
    }
  }
  return packages;
}

/** The named packages and their workspace dependencies, transitively (turbo's `name...`). */
function packagesFor(root, names) {
  const all = workspacePackages(root);
  const selected = new Map();
  const visit = (name) => {
    const pkg = all.get(name);
    if (!pkg || selected.has(name)) return;
    selected.set(name, pkg);
    for (const dep of pkg.deps) visit(dep);
  };
  for (const name of names) {
    if (!all.has(name)) throw new Error(`no workspace package named ${name}`);
    visit(name);
  }
  return selected;
}

/**
 * Latest modification time (ms) of `target` and, for a directory, of everything inside; 0 when
 * absent. `skip` holds paths left out: outputs that sit among the inputs (protocol's src/gen).
 */
function newestMtime(target, skip = new Set()) {
  if (skip.has(target)) return 0;
  let stat;
  try {
    stat = fs.lstatSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  const entries = fs.readdirSync(target).map((entry) => path.join(target, entry));
  // A directory holding an output changes whenever the output is written: its own time says nothing then.
  let newest = entries.some((entry) => skip.has(entry)) ? 0 : stat.mtimeMs;
  for (const entry of entries) newest = Math.max(newest, newestMtime(entry, skip));
  return newest;
}

function stampFile(root, names) {
  const key = [...names].sort().join('+').replace(/[^A-Za-z0-9_.+-]/g, '_');
  return path.join(root, 'node_modules', '.cache', 'parley', `built-${key}.json`);
}

/**
 * Whether `names` (and their dependencies) were built by the launcher and nothing they are
 * built from changed since. `reason` says why not.
 */
function buildFreshness(root, names) {
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(stampFile(root, names), 'utf8'));
  } catch {
    return { fresh: false, reason: 'never built by this launcher' };
  }
  if (typeof stamp.startedAtMs !== 'number') return { fresh: false, reason: 'unreadable build stamp' };
  for (const input of ROOT_INPUTS) {
    if (newestMtime(path.join(root, input)) >= stamp.startedAtMs) return { fresh: false, reason: `${input} changed` };
  }
  for (const [name, pkg] of packagesFor(root, names)) {
    if (!pkg.builds) continue;
    if (!fs.existsSync(path.join(pkg.dir, 'dist'))) return { fresh: false, reason: `${name} has no dist/` };
    const outputs = new Set([path.join(pkg.dir, 'src', 'gen')]);
    for (const input of PACKAGE_INPUTS) {
      if (newestMtime(path.join(pkg.dir, input), outputs) >= stamp.startedAtMs) return { fresh: false, reason: `${name} changed` };
    }
  }
  return { fresh: true, reason: 'up to date' };
}

/** Records that a build of `names` that started at `startedAtMs` succeeded. */
function recordBuild(root, names, startedAtMs) {
  const file = stampFile(root, names);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify({ packages: [...names], startedAtMs })}\n`);
}

module.exports = { buildFreshness, recordBuild, packagesFor };
