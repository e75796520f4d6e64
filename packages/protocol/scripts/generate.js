// Generates the protobufjs static code for proto/parley/v1/*.proto into src/gen
// (run before tsc), and with --copy puts it beside the compiled output in dist/gen.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const pkg = path.resolve(__dirname, '..');
const protoRoot = path.resolve(pkg, '../../proto');
const genDir = path.join(pkg, 'src/gen');
const distGen = path.join(pkg, 'dist/gen');

if (process.argv.includes('--copy')) {
  fs.mkdirSync(distGen, { recursive: true });
  for (const f of ['parley.js', 'parley.d.ts']) fs.copyFileSync(path.join(genDir, f), path.join(distGen, f));
  process.exit(0);
}

const bin = (name) => require.resolve(`protobufjs-cli/bin/${name}`);
const protos = ['parley/v1/wire.proto', 'parley/v1/bus.proto'].map((p) => path.join(protoRoot, p));
fs.mkdirSync(genDir, { recursive: true });
const js = path.join(genDir, 'parley.js');
execFileSync(process.execPath, [bin('pbjs'), '-t', 'static-module', '-w', 'commonjs', '--force-number', '--no-verify',
  '--no-delimited', '--no-convert', '-p', protoRoot, '-o', js, ...protos], { stdio: 'inherit' });
// 64-bit fields (seq, timestamps) decode as plain numbers: every value parley puts in
// them stays below 2^53, and numbers keep the hot paths free of Long objects. uint64 fields
// are read by src/uint64-reader.ts (the same numbers, without a LongBits object per value).
const generated = fs.readFileSync(js, 'utf8');
const anchor = 'var $protobuf = require("protobufjs/minimal");';
if (!generated.includes(anchor)) throw new Error('unexpected pbjs output: ' + anchor + ' not found');
fs.writeFileSync(js, generated.replace(anchor, `${anchor}\n$protobuf.util.Long = undefined;\n$protobuf.configure();\n$protobuf.Reader.prototype.uint64 = require("../uint64-reader").readUint64;`));
execFileSync(process.execPath, [bin('pbts'), '-o', path.join(genDir, 'parley.d.ts'), js], { stdio: 'inherit' });
