// The SDK as an application installs it: @parley/client and @parley/protocol packed with
// `npm pack` (as the README says), the tarballs installed into a scratch application in a
// temporary directory outside the repository, and the README's complete example run there
// against a running all-in-one server. Its output must be what the README says it prints.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startParleyServer, type ParleyServer } from '../../src';

const run = promisify(execFile);
const root = join(__dirname, '..', '..', '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const clientReadme = readFileSync(join(root, 'packages', 'client', 'README.md'), 'utf8');

/** The fenced blocks of `language` in `text` after `heading`, up to the next heading of the same level. */
function blocks(text: string, heading: string, language: string): string[] {
  const start = text.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`no "${heading}" section`);
  const level = heading.split(' ')[0]!;
  const rest = text.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`^${level} `, 'm'));
  const section = end < 0 ? rest : rest.slice(0, end);
  return [...section.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
}

describe('the packed SDK in an application outside the repository', () => {
  let server: ParleyServer;
  let scratch: string;

  beforeAll(async () => {
    server = await startParleyServer({ PARLEY_GATEWAY_PORT: '0', PARLEY_GATEWAY_HOST: '127.0.0.1', PARLEY_LOG_LEVEL: 'warn' });
    scratch = mkdtempSync(join(tmpdir(), 'parley-sdk-app-'));
  });
  afterAll(async () => {
    await server?.stop();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('installs from the tarballs with no server package and runs the README example as written', async () => {
    const [example] = blocks(readme, '## Using it from an application', 'js');
    expect(example).toBeDefined();
    // One example, the same in both READMEs.
    expect(blocks(clientReadme, '## A complete example', 'js')).toEqual([example]);
    const install = blocks(readme, '## Using it from an application', 'sh')[0]!;
    expect(install).toContain('npm pack -w @parley/protocol -w @parley/client --pack-destination /tmp');

    // npm pack as the README says, into this test's own directory instead of /tmp.
    const tarballs = join(scratch, 'tarballs');
    mkdirSync(tarballs);
    await run('npm', ['pack', '-w', '@parley/protocol', '-w', '@parley/client', '--pack-destination', tarballs], { cwd: root });
    const packed = readdirSync(tarballs).sort();
    expect(packed).toEqual(['parley-client-0.1.0.tgz', 'parley-protocol-0.1.0.tgz']);

    const app = join(scratch, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'scratch-app', private: true, type: 'module' }));
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...packed.map((t) => join(tarballs, t))], { cwd: app, timeout: 180_000 });

    // The dependency closure: the two packages, the wire codec's protobufjs and the Node WebSocket; no server package.
    const installed = (pkg: string) => JSON.parse(readFileSync(join(app, 'node_modules', pkg, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; private?: boolean };
    expect(readdirSync(join(app, 'node_modules', '@parley')).sort()).toEqual(['client', 'protocol']);
    expect(Object.keys(installed('@parley/client').dependencies ?? {}).sort()).toEqual(['@parley/protocol', 'ws']);
    expect(Object.keys(installed('@parley/protocol').dependencies ?? {})).toEqual(['protobufjs']);
    expect(installed('@parley/client').private).toBeUndefined();

    // CommonJS, the types and the browser build resolve from the application too.
    const { stdout: cjs } = await run(process.execPath, ['-e', "const c = require('@parley/client'); console.log(typeof c.ParleyClient, require.resolve('@parley/client/browser').endsWith('dist/browser/parley.js'))"], { cwd: app });
    expect(cjs.trim()).toBe('function true');
    expect(readdirSync(join(app, 'node_modules', '@parley', 'client', 'dist'))).toEqual(expect.arrayContaining(['index.d.ts', 'index.mjs', 'index.js']));

    writeFileSync(join(app, 'example.mjs'), example!);
    const { stdout } = await run(process.execPath, ['example.mjs'], { cwd: app, timeout: 60_000, env: { ...process.env, PARLEY_SERVER: `http://127.0.0.1:${server.port}` } });
    const printed = clientReadme.slice(clientReadme.indexOf('It prints:')).match(/```\n([\s\S]*?)```/)![1]!;
    expect(stdout).toBe(printed);
  });
});
