// Redis restarted EMPTY while delivery is behind on the deliver topic: messages sequenced
// before the loss (old epoch) are still waiting for delivery when the receiver already
// learns of the new epoch (here from its own send's msg:A, which the sequencer answers while
// delivery is held with SIGSTOP). The receiver must still show every old-epoch message
// before the epoch break and every new-epoch message after it, exactly once, as every other
// member does (PROTOCOL.md, "A new epoch is entered through a sync"; delivery answers such a
// sync only after the old epoch's records before it, with what the receiver has not taken).
import { join } from 'node:path';
import type { ConversationReset, ReceivedMessage } from '@parley/client';
import { freePort, NodeProcessHandle, RedisServerHandle, spawnNodeProcess, startRedisServer, waitFor } from '@parley/testkit';
import { ParleyServer } from '../../src';
import { payload, realEnv, RecordingClient, startServer } from './harness';

const GATEWAY_MAIN = join(__dirname, '../../../gateway/dist/main.js');
const DELIVERY_MAIN = join(__dirname, '../../../delivery/dist/main.js');

describe('Redis restarted empty while delivery is behind', () => {
  let redis: RedisServerHandle;
  let core: ParleyServer | undefined;
  let gateway: NodeProcessHandle | undefined;
  let delivery: NodeProcessHandle | undefined;
  let port = 0;
  const clients: RecordingClient[] = [];

  beforeAll(async () => {
    redis = await startRedisServer(); // this test's own: the run's shared one stays untouched
    // A session timeout well above the time delivery is held stopped: no rebalance meanwhile.
    const env = realEnv('redisbehind', { PARLEY_REDIS_URL: redis.url, PARLEY_KAFKA_SESSION_TIMEOUT_MS: '45000' });
    core = await startServer({ ...env, PARLEY_ROLES: 'sequencer' });
    delivery = spawnNodeProcess(DELIVERY_MAIN, [], { ...env, PARLEY_DELIVERY_ADMIN_PORT: '0', PARLEY_LOG_LEVEL: 'info' });
    await delivery.waitForLine(/delivery ready/, 60_000);
    port = await freePort();
    gateway = spawnNodeProcess(GATEWAY_MAIN, [], { ...env, PARLEY_GATEWAY_PORT: String(port), PARLEY_LOG_LEVEL: 'info' });
    await gateway.waitForLine(/gateway listening/, 30_000);
  });
  afterAll(async () => {
    delivery?.kill('SIGCONT');
    await Promise.all(clients.map((c) => c.close()));
    await gateway?.stop();
    await delivery?.stop();
    await core?.stop();
    await redis?.stop();
  });

  it('shows every old-epoch message before the epoch break and every new-epoch one after it, once each', async () => {
    const frames = new Map<string, Array<{ packet: string; msgId: string; epoch: string }>>();
    const open = async (user: string): Promise<RecordingClient> => {
      const seen: Array<{ packet: string; msgId: string; epoch: string }> = [];
      frames.set(user, seen);
      const client = new RecordingClient(port, user, {
        // No retransmit of a slow msg:A on a busy machine: it would be sequenced again in the new epoch.
        retransmitTimeoutMs: 20_000,
        ackTimeoutMs: 120_000,
        filter: {
          incoming: (frame) => {
            if (frame.packet === 'resyncN' || frame.packet === 'msgA') seen.push({ packet: frame.packet, msgId: frame.msgA?.msgId ?? '', epoch: frame.msgA?.position?.epoch ?? '' });
            return true;
          },
        },
      });
      clients.push(client);
      return client.connect();
    };
    const alice = await open('behind-alice');
    const bob = await open('behind-bob');
    const timeline: string[] = [];
    bob.client.on('message', (m: ReceivedMessage) => timeline.push(`${m.position.epoch} ${Buffer.from(m.payload).toString()}`));
    bob.client.on('reset', (r: ConversationReset) => timeline.push(`reset ${r.from.epoch}>${r.to.epoch} ${r.reason}`));
    /** The first msg:A of each message (a repeat of one carries the same position). */
    const accepted = (user: string) => {
      const first = new Map<string, { epoch: string }>();
      for (const f of frames.get(user) ?? []) if (f.packet === 'msgA' && !first.has(f.msgId)) first.set(f.msgId, f);
      return [...first.values()];
    };
    const send = (from: RecordingClient, to: RecordingClient, text: string) => void from.client.send(to.client.welcome!.userId, payload(text));

    // Both are under way in the first epoch.
    send(alice, bob, 'w1');
    send(alice, bob, 'w2');
    await waitFor(() => bob.messages.length === 2, { timeoutMs: 30_000, what: 'bob to get w1 and w2' });
    const oldEpoch = String(bob.messages[0]!.position.epoch);

    // Delivery stops consuming; alice's next three are sequenced in the old epoch and wait on the deliver topic.
    delivery!.kill('SIGSTOP');
    for (const text of ['a1', 'a2', 'a3']) send(alice, bob, text);
    await waitFor(() => accepted('behind-alice').length === 5, { timeoutMs: 30_000, what: "alice's msg:A for a1..a3" });
    expect(accepted('behind-alice').every((a) => a.epoch === oldEpoch)).toBe(true);

    await redis.restart(); // same port, every key gone
    await waitFor(() => [...frames.values()].every((seen) => seen.some((f) => f.packet === 'resyncN')), { timeoutMs: 30_000, what: 'resync:N on both' });

    // Bob learns of the new epoch from his own send's msg:A while delivery still holds a1..a3.
    send(bob, alice, 'b1');
    await waitFor(() => accepted('behind-bob').length === 1, { timeoutMs: 30_000, what: "bob's msg:A for b1" });
    const newEpoch = accepted('behind-bob')[0]!.epoch;
    expect(newEpoch).not.toBe(oldEpoch);
    send(alice, bob, 'a4');
    send(alice, bob, 'a5');
    await waitFor(() => accepted('behind-alice').length === 7, { timeoutMs: 30_000, what: "alice's msg:A for a4 and a5" });
    expect(bob.messages).toHaveLength(2); // nothing was pushed meanwhile

    delivery!.kill('SIGCONT');
    await waitFor(() => bob.texts().includes('a5') && bob.texts().includes('a3') && alice.texts().includes('b1'), {
      timeoutMs: 60_000,
      what: 'every message delivered once delivery caught up',
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // late copies, if any, would come now

    expect(bob.texts()).toEqual(['w1', 'w2', 'a1', 'a2', 'a3', 'a4', 'a5']);
    // The old epoch ends where the break is shown; the new one starts after it (b1, bob's own, is e2/1).
    expect(timeline).toEqual([
      `${oldEpoch} w1`,
      `${oldEpoch} w2`,
      `${oldEpoch} a1`,
      `${oldEpoch} a2`,
      `${oldEpoch} a3`,
      `reset ${oldEpoch}>${newEpoch} epoch`,
      `${newEpoch} a4`,
      `${newEpoch} a5`,
    ]);
    expect(alice.texts()).toEqual(['b1']);
  });
});
