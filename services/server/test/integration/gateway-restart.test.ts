// Done-means 6: a gateway process killed without cleaning up (SIGKILL) leaves its
// presence entries behind; restarted with the same id, it removes them before it serves
// again, so nobody looks online wrongly and messages for them are stored for them.
import { join } from 'node:path';
import { asUserId } from '@parley/protocol';
import { freePort, NodeProcessHandle, spawnNodeProcess, waitFor } from '@parley/testkit';
import { ParleyServer } from '../../src';
import { RawConnection, realEnv, RecordingClient, payload, startServer, wsUrl } from './harness';

const GATEWAY_MAIN = join(__dirname, '../../../gateway/dist/main.js');

describe('gateway restart with the same id', () => {
  let env: Record<string, string>;
  let core: ParleyServer;
  let gateway: NodeProcessHandle | undefined;
  let port: number;

  const startGateway = async (): Promise<NodeProcessHandle> => {
    const { PARLEY_ROLES: _roles, ...gatewayEnv } = env;
    const child = spawnNodeProcess(GATEWAY_MAIN, [], {
      ...gatewayEnv,
      PARLEY_GATEWAY_ID: 'gw-restarting',
      PARLEY_GATEWAY_PORT: String(port),
      PARLEY_LOG_LEVEL: 'info',
    });
    await child.waitForLine(/gateway listening/, 30_000);
    return child;
  };

  beforeAll(async () => {
    // A long presence TTL: the stale entry cannot expire by itself during the test.
    env = realEnv('gwrestart', { PARLEY_PRESENCE_TTL_MS: '600000' });
    port = await freePort();
    core = await startServer({ ...env, PARLEY_ROLES: 'sequencer,delivery' });
  });
  afterAll(async () => {
    await gateway?.stop();
    await core?.stop();
  });

  it('clears the stale presence before serving', async () => {
    gateway = await startGateway();
    const bob = await RawConnection.open(wsUrl(port, 'bob'));
    expect((await core.infrastructure.presence.lookup([asUserId('bob')])).get(asUserId('bob'))).toHaveLength(1);

    gateway.kill('SIGKILL');
    await gateway.exited;
    await waitFor(() => bob.closeCode !== undefined, { timeoutMs: 10_000, what: 'bob to see the gateway die' });
    const stale = await core.infrastructure.presence.lookup([asUserId('bob')]);
    expect(stale.get(asUserId('bob'))).toHaveLength(1); // what a crash leaves behind

    gateway = await startGateway();
    // "listening" is logged only after the stale entries were removed.
    const after = await core.infrastructure.presence.lookup([asUserId('bob')]);
    expect(after.get(asUserId('bob'))).toBeUndefined();

    // So a message for bob is stored for him, and alice is told so.
    const alice = new RecordingClient(port, 'alice');
    await alice.connect();
    await alice.client.send('bob', payload('while you were away'));
    await waitFor(() => alice.acks.length >= 1, { timeoutMs: 20_000, what: 'ack:N for the message to bob' });
    expect(alice.acks[0]!.status).toBe('STORED_OFFLINE');
    expect(await core.infrastructure.inbox.size(asUserId('bob'))).toBe(1);
    await alice.close();
  });
});
