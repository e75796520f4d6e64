// The embedded mode hands a token for any user to whoever asks (/dev/token), so it listens on
// 127.0.0.1 unless PARLEY_GATEWAY_HOST says otherwise; that setting must be an IP address.
import net from 'node:net';
import { networkInterfaces } from 'node:os';
import { ConfigError } from '@parley/config';
import { startParleyServer, ParleyServer } from '../../src';

/** 'open' when a TCP connection to host:port is accepted, 'refused' when not. */
function reach(host: string, port: number): Promise<'open' | 'refused'> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('open');
    });
    socket.once('error', () => resolve('refused'));
  });
}

/** An IPv4 address of this machine that is not loopback, if it has one. */
const externalAddress = Object.values(networkInterfaces())
  .flat()
  .find((i) => i !== undefined && !i.internal && i.family === 'IPv4')?.address;

describe('where the embedded mode listens', () => {
  let server: ParleyServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('listens on 127.0.0.1 only when PARLEY_GATEWAY_HOST is unset', async () => {
    server = await startParleyServer({ PARLEY_GATEWAY_PORT: '0', PARLEY_LOG_LEVEL: 'silent' });
    expect(server.host).toBe('127.0.0.1');
    expect(await reach('127.0.0.1', server.port)).toBe('open');
    if (externalAddress) expect(await reach(externalAddress, server.port)).toBe('refused');
  });

  it('listens where PARLEY_GATEWAY_HOST says', async () => {
    server = await startParleyServer({ PARLEY_GATEWAY_PORT: '0', PARLEY_GATEWAY_HOST: '0.0.0.0', PARLEY_LOG_LEVEL: 'silent' });
    expect(server.host).toBe('0.0.0.0');
    if (externalAddress) expect(await reach(externalAddress, server.port)).toBe('open');
  });

  it('refuses a PARLEY_GATEWAY_HOST that is not an IP address', async () => {
    await expect(startParleyServer({ PARLEY_GATEWAY_PORT: '0', PARLEY_GATEWAY_HOST: 'localhost', PARLEY_LOG_LEVEL: 'silent' })).rejects.toThrow(ConfigError);
    await expect(startParleyServer({ PARLEY_GATEWAY_PORT: '0', PARLEY_GATEWAY_HOST: '0.0.0.0; rm', PARLEY_LOG_LEVEL: 'silent' })).rejects.toThrow(/PARLEY_GATEWAY_HOST/);
  });
});
