// A second server on a port another one holds must fail to start, not share it: uSockets
// listens with SO_REUSEPORT by default, which would split clients between two servers
// that know nothing of each other.
import { startParleyServer, ParleyServer } from '../../src';

describe('a gateway port already in use', () => {
  let first: ParleyServer | undefined;

  afterEach(async () => {
    await first?.stop();
  });

  it('makes the second server fail at start with a clear message', async () => {
    const env = { PARLEY_GATEWAY_HOST: '127.0.0.1', PARLEY_LOG_LEVEL: 'silent' };
    first = await startParleyServer({ ...env, PARLEY_GATEWAY_PORT: '0' });
    await expect(startParleyServer({ ...env, PARLEY_GATEWAY_PORT: String(first.port) })).rejects.toThrow(/could not listen .*is the port taken/);
  });
});
