// The client SDK through a loss of Redis's data (restarted empty on the same port) while
// senders pipeline messages: the SDK takes resync:N like a welcome on the same link, its
// sends all resolve, and every receiver's application sees every message exactly once
// (its dedupe drops the ones sequenced again in the new epoch), the epoch change as a
// reset, and otherwise the send order (docs/PROTOCOL.md "When the server lost the state":
// only messages in flight at the loss may be reordered, never lost).
import { join } from 'node:path';
import { freePort, NodeProcessHandle, RedisServerHandle, spawnNodeProcess, startRedisServer, waitFor } from '@parley/testkit';
import { ParleyServer } from '../../src';
import { payload, realEnv, RecordingClient, startServer } from './harness';

const GATEWAY_MAIN = join(__dirname, '../../../gateway/dist/main.js');
const PAIRS = 3;

describe('the SDK through a loss of Redis data', () => {
  let redis: RedisServerHandle;
  let core: ParleyServer | undefined;
  let gateway: NodeProcessHandle | undefined;
  let port = 0;
  const clients: RecordingClient[] = [];

  beforeAll(async () => {
    redis = await startRedisServer(); // this test's own: the run's shared one stays untouched
    const env = realEnv('sdk-redisloss', { PARLEY_REDIS_URL: redis.url, PARLEY_RATE_LIMIT_FRAMES_PER_SEC: '2000' });
    core = await startServer({ ...env, PARLEY_ROLES: 'sequencer,delivery' });
    port = await freePort();
    gateway = spawnNodeProcess(GATEWAY_MAIN, [], { ...env, PARLEY_GATEWAY_PORT: String(port), PARLEY_LOG_LEVEL: 'info' });
    await gateway.waitForLine(/gateway listening/, 30_000);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await gateway?.stop();
    await core?.stop();
    await redis?.stop();
  });

  it('every send resolves and every receiver sees every message once, the epoch change as a reset', async () => {
    const resyncs = new Map<string, number>();
    const open = async (user: string): Promise<RecordingClient> => {
      const client = new RecordingClient(port, user, {
        filter: { incoming: (frame) => (frame.packet === 'resyncN' && resyncs.set(user, (resyncs.get(user) ?? 0) + 1), true) },
      });
      clients.push(client);
      return client.connect();
    };
    const pairs: Array<{ sender: RecordingClient; receiver: RecordingClient; texts: string[]; sends: Promise<unknown>[] }> = [];
    for (let i = 0; i < PAIRS; i += 1) pairs.push({ sender: await open(`sdk-s${i}`), receiver: await open(`sdk-r${i}`), texts: [] as string[], sends: [] as Promise<unknown>[] });
    const resets: string[] = [];
    for (const { receiver } of pairs) receiver.client.on('reset', (r) => resets.push(`${r.conversation} ${r.reason}`));

    const inversionsSeen: number[] = [];
    let streaming = true;
    const streams = pairs.map(async (pair) => {
      for (let i = 0; streaming; i += 1) {
        const text = `m${String(i).padStart(4, '0')}`;
        pair.texts.push(text);
        pair.sends.push(pair.sender.client.send(pair.receiver.client.welcome!.userId, payload(text))); // pipelined: not awaited
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    });
    await waitFor(() => pairs.every((p) => p.receiver.messages.length >= 30), { timeoutMs: 30_000, what: 'every pair under way' });
    await redis.restart(); // same port, every key gone
    await waitFor(() => clients.every((c) => (resyncs.get(c.client.welcome!.userId) ?? 0) >= 1), { timeoutMs: 20_000, what: 'resync:N to every client' });
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // traffic goes on after the heal
    streaming = false;
    await Promise.all(streams);

    for (const pair of pairs) {
      await Promise.all(pair.sends); // every send resolved (none rejected)
      await waitFor(() => new Set(pair.receiver.texts()).size >= pair.texts.length, { timeoutMs: 30_000, what: `${pair.receiver.client.welcome!.userId} to show every message` });
      const shown = pair.receiver.texts();
      expect(shown.length).toBe(new Set(shown).size); // none twice
      expect([...shown].sort()).toEqual([...pair.texts].sort()); // none lost
      // Out of send order at most across the loss: what was in flight then.
      const inversions = shown.filter((text, i) => i > 0 && text < shown[i - 1]!).length;
      inversionsSeen.push(inversions);
      expect(inversions).toBeLessThanOrEqual(1);
    }
    expect(resets.filter((r) => r.endsWith('epoch'))).toHaveLength(PAIRS);
    process.stderr.write(`[sdk-redis-loss] ${pairs.map((p) => p.texts.length).join('+')} messages, resync:N per client ${[...resyncs.values()].join(',')}, shown out of send order ${inversionsSeen.join(',')}\n`);
  }, 180_000);
});
