#!/usr/bin/env node
// The launcher of every npm script that runs parley (start, start:distributed, chaos, fuzz,
// bench, load): builds only the workspace packages the command runs, saying so in one line
// (and not at all when they are built and unchanged), then runs the command's script in this
// same process, so the signals npm passes on reach it. Stop requests of every kind (SIGTERM,
// SIGINT, SIGHUP, the parent process gone) go to the script's own stop (stop-requests.js).
//
//   node deploy/local/launch.js --build @parley/server services/server/dist/main.js [args...]
//
// The npm scripts `exec` it: without `exec`, npm's SIGTERM would reach only the `sh` that npm
// runs scripts with, which dies of it and leaves its child running.
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');
const { buildFreshness, packagesFor, recordBuild } = require('./build-freshness');
const { routeStopRequests } = require('./stop-requests');

const root = path.resolve(__dirname, '..', '..');

/** Whether the last thing written is a line still open ("building ... " before "done"). */
let lineOpen = false;

function say(line, { open = false } = {}) {
  try {
    process.stdout.write(`${lineOpen ? '\n' : ''}[parley] ${line}${open ? '' : '\n'}`);
    lineOpen = open;
  } catch {
    // stdout closed: nobody to tell
  }
}

function parseArgs(argv) {
  const build = [];
  let i = 0;
  while (argv[i] === '--build' && argv[i + 1]) {
    build.push(argv[i + 1]);
    i += 2;
  }
  const script = argv[i];
  if (!script) {
    process.stderr.write('usage: launch.js [--build PACKAGE]... SCRIPT [ARGS...]\n');
    process.exit(2);
  }
  return { build, script: path.resolve(root, script), args: argv.slice(i + 1) };
}

/** Runs turbo for `names` and what they depend on; its output is shown only if it fails. */
function buildWithTurbo(names) {
  const turbo = path.join(root, 'node_modules', '.bin', 'turbo');
  const args = ['run', 'build', '--output-logs=errors-only', ...names.map((name) => `--filter=${name}...`)];
  return new Promise((resolve) => {
    const child = spawn(turbo, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { TURBO_TELEMETRY_DISABLED: '1', ...process.env } });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    // A stop request while building ends the launcher (stop-requests.js), and the build with it.
    const stopBuild = () => child.kill('SIGTERM');
    process.on('exit', stopBuild);
    child.on('error', (error) => resolve({ ok: false, output: `${turbo}: ${error.message}` }));
    child.on('exit', (code) => {
      process.off('exit', stopBuild);
      resolve({ ok: code === 0, output });
    });
  });
}

async function ensureBuilt(names) {
  if (names.length === 0 || buildFreshness(root, names).fresh) return;
  const others = packagesFor(root, names).size - names.length;
  say(`building ${names.join(', ')} and the ${others} workspace packages ${names.length > 1 ? 'they use' : 'it uses'} (turbo; later starts skip this while nothing changed) ... `, { open: true });
  const startedAtMs = Date.now();
  const result = await buildWithTurbo(names);
  if (!result.ok) {
    process.stdout.write('failed\n');
    lineOpen = false;
    process.stderr.write(result.output);
    process.exit(1);
  }
  recordBuild(root, names, startedAtMs);
  process.stdout.write(`done in ${((Date.now() - startedAtMs) / 1000).toFixed(1)} s\n`);
  lineOpen = false;
}

async function main() {
  const { build, script, args } = parseArgs(process.argv.slice(2));
  process.stdout.on('error', () => undefined); // a closed stdout must not crash the stop
  routeStopRequests(say);
  await ensureBuilt(build);
  process.argv = [process.argv[0], script, ...args];
  require(script);
}

main().catch((error) => {
  process.stderr.write(`[parley] ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
