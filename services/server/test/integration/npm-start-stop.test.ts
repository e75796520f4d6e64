// `npm start` stops like a well-behaved server: a SIGTERM to the npm process (what `kill`, a
// supervisor or a closing terminal sends), a SIGHUP (npm does not pass it on and dies of it) or
// npm killed with -9 leave no process and no listening port behind, within 10 s, and it says so.
import { expectNpmScriptTreeGone, freePort, startNpmScriptTree, type NpmScriptTree } from '@parley/testkit';

const STOPPED_WITHIN_MS = 10_000;

async function startServer(): Promise<NpmScriptTree> {
  const port = await freePort();
  const started = await startNpmScriptTree('start', { PARLEY_GATEWAY_PORT: String(port) }, /parley ready on http:\/\/127\.0\.0\.1:\d+/, 120_000);
  expect(started.ports).toContain(port);
  return started;
}

const expectAllGone = (started: NpmScriptTree): Promise<void> => expectNpmScriptTreeGone(started, STOPPED_WITHIN_MS);

describe('npm start stops everything it started', () => {
  it('on SIGTERM to the npm process, and says so', async () => {
    const started = await startServer();
    started.npm.kill('SIGTERM');
    await expectAllGone(started);
    await started.npm.exited;
    expect(started.npm.output()).toMatch(/\[parley\] SIGTERM: stopping everything it started/);
    expect(started.npm.output()).toMatch(/\[parley\] stopped \(exit code 0\)/);
  });

  it('on a terminal\'s ^C (SIGINT to npm and the server at once, and npm passes its copy on): one graceful stop', async () => {
    const started = await startServer();
    process.kill(-started.npm.pid, 'SIGINT'); // the whole process group, as a terminal does
    await expectAllGone(started);
    expect(await started.npm.exited).toBe(0);
    expect(started.npm.output()).toMatch(/"msg":"parley stopped"/);
    expect(started.npm.output()).not.toMatch(/exiting now/);
  });

  it('on SIGHUP to the npm process (npm dies of it; the server sees its parent gone)', async () => {
    const started = await startServer();
    started.npm.kill('SIGHUP');
    await expectAllGone(started);
    expect(started.npm.output()).toMatch(/\[parley\] parent process \d+ exited: stopping everything it started/);
  });

  it('when the npm process is killed with -9', async () => {
    const started = await startServer();
    started.npm.kill('SIGKILL');
    await expectAllGone(started);
  });
});
