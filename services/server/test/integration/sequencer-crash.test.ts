// Done-means 5: the sequencer process is SIGKILLed mid-stream and restarted. Nothing is
// lost, nothing is shown twice, and no message is renumbered: each msgId keeps the one
// position it was first given (the replayed batch finds its msgIds already sequenced).
import { join } from 'node:path';
import { spawnNodeProcess, NodeProcessHandle, waitFor } from '@parley/testkit';
import { ParleyServer } from '../../src';
import { expectExactlyOnceInOrder, payload, realEnv, RecordingClient, startServer } from './harness';

const SEQUENCER_MAIN = join(__dirname, '../../../sequencer/dist/main.js');

describe('sequencer killed mid-stream', () => {
  let edge: ParleyServer;
  let sequencer: NodeProcessHandle | undefined;
  let env: Record<string, string>;
  const clients: RecordingClient[] = [];

  const startSequencer = async (): Promise<NodeProcessHandle> => {
    const { PARLEY_GATEWAY_ID: _g, PARLEY_GATEWAY_PORT: _p, PARLEY_GATEWAY_HOST: _h, PARLEY_JWT_SECRET: _s, PARLEY_RATE_LIMIT_FRAMES_PER_SEC: _r, PARLEY_ACK_TIMEOUT_MS: _a, ...shared } = env;
    const child = spawnNodeProcess(SEQUENCER_MAIN, [], { ...shared, PARLEY_SEQUENCER_ADMIN_PORT: '0', PARLEY_LOG_LEVEL: 'info' });
    await child.waitForLine(/sequencer ready/, 30_000);
    return child;
  };

  beforeAll(async () => {
    env = realEnv('seqcrash', { PARLEY_RATE_LIMIT_FRAMES_PER_SEC: '20000', PARLEY_ACK_TIMEOUT_MS: '1000' });
    // This process runs the gateway and delivery; the sequencer is a separate process.
    edge = await startServer({ ...env, PARLEY_ROLES: 'gateway,delivery' });
    sequencer = await startSequencer();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await sequencer?.stop();
    await edge?.stop();
  });

  it('loses nothing, duplicates nothing and renumbers nothing', async () => {
    const alice = new RecordingClient(edge.port, 'alice', { retransmitTimeoutMs: 500, maxRetransmitTimeoutMs: 2_000 });
    const bob = new RecordingClient(edge.port, 'bob');
    clients.push(alice, bob);
    await alice.connect();
    await bob.connect();
    const texts = Array.from({ length: 400 }, (_, i) => `s-${String(i).padStart(4, '0')}`);
    const receipts = new Map<string, { epoch: string; seq: number }>();
    const sendAll = (slice: string[]) => slice.map((t) => alice.client.send('bob', payload(t)).then((r) => receipts.set(t, { epoch: r.epoch, seq: r.seq })));

    const first = sendAll(texts.slice(0, 200));
    await waitFor(() => bob.messages.length >= 50, { timeoutMs: 30_000, what: 'the stream to be under way' });
    sequencer!.kill('SIGKILL');
    await sequencer!.exited;
    const second = sendAll(texts.slice(200)); // sent while no sequencer runs
    sequencer = await startSequencer();
    await Promise.all([...first, ...second]);
    await waitFor(() => bob.messages.length >= 400, { timeoutMs: 60_000, what: 'bob to receive all 400' });

    expectExactlyOnceInOrder(bob.texts(), texts);
    // No renumbering: what alice was told (msg:A) is what bob got, contiguous in one epoch.
    const bobPositions = bob.messages.map((m) => ({ epoch: m.position.epoch, seq: m.position.seq }));
    expect(bobPositions).toEqual(texts.map((t) => receipts.get(t)));
    expect(bobPositions.map((p) => p.seq)).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    expect(new Set(bobPositions.map((p) => p.epoch)).size).toBe(1);
  });
});
