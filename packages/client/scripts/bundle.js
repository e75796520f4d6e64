// Builds the browser bundles from src/browser.ts with esbuild: dist/browser/parley.js (an
// IIFE that defines the global `Parley`, for <script> tags) and dist/browser/parley.mjs (ESM),
// both minified with source maps; then prints the IIFE's minified+gzipped size and writes it
// to dist/browser/size.json. The build fails if anything Node-only is reachable from the entry.
const { build } = require('esbuild');
const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { gzipSync } = require('node:zlib');

const root = join(__dirname, '..');
const out = join(root, 'dist', 'browser');

const common = {
  entryPoints: [join(root, 'src', 'browser.ts')],
  bundle: true,
  minify: true,
  sourcemap: true,
  platform: 'browser',
  target: ['es2020'],
  legalComments: 'none',
  logLevel: 'warning',
};

async function main() {
  await Promise.all([
    build({ ...common, format: 'iife', globalName: 'Parley', outfile: join(out, 'parley.js') }),
    build({ ...common, format: 'esm', outfile: join(out, 'parley.mjs') }),
  ]);
  const minified = readFileSync(join(out, 'parley.js'));
  const size = { minifiedBytes: minified.length, gzippedBytes: gzipSync(minified, { level: 9 }).length };
  writeFileSync(join(out, 'size.json'), `${JSON.stringify(size)}\n`);
  console.log(`dist/browser/parley.js: ${(size.minifiedBytes / 1024).toFixed(1)} KiB minified, ${(size.gzippedBytes / 1024).toFixed(1)} KiB gzipped`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
