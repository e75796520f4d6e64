// Redis restarted EMPTY (no persistence) on the same port while online pairs exchange
// messages: presence, inboxes, dedupe and counters are gone. The services notice it within
// seconds: the gateway registers its connections again and sends each one resync:N, delivery
// writes its pending messages back to the inboxes and routes ack:N by the message's origin.
// Every message reaches its receiver (once after the receiver's dedupe, in send order),
// every sender gets ack:N without retransmitting after msg:A, and pushes resume.
import { join } from 'node:path';
import WebSocket from 'ws';
import { decodeFrame, encodeFrame, Frame, FrameInit } from '@parley/protocol';
import { freePort, NodeProcessHandle, RedisServerHandle, respCommand, spawnNodeProcess, startRedisServer, waitFor } from '@parley/testkit';
import { ParleyServer } from '../../src';
import { longPollTransportFactory } from '@parley/client';
import { payload, realEnv, RecordingClient, startServer, tokenFor } from './harness';

const GATEWAY_MAIN = join(__dirname, '../../../gateway/dist/main.js');
const PAIRS = 4;
/** A msg:R without msg:A is sent again after this (the protocol's suggested retransmit). */
const RETRANSMIT_MS = 3_000;

interface Received {
  readonly msgId: string;
  readonly from: string;
  readonly epoch: string;
  readonly seq: number;
  readonly via: 'push' | 'pull';
}

/** A client speaking the protocol by hand: a stop-and-wait sender and an acking receiver. */
class Peer {
  readonly received: Received[] = [];
  readonly resyncs: number[] = [];
  /** msg_id → positions answered by msg:A (a message sequenced again after the loss has two). */
  readonly accepted = new Map<string, string[]>();
  /** msg_id → ack:N statuses. */
  readonly acks = new Map<string, number[]>();
  readonly sent: string[] = [];
  /** Epochs in the order this sender's msg:A showed them. */
  readonly epochs: string[] = [];
  retransmits = 0;
  private readonly socket: WebSocket;
  private welcomed = false;
  private clientSeq = 0;
  private waiting: { msgId: string; frame: FrameInit; timer: NodeJS.Timeout; done: () => void } | undefined;

  constructor(port: number, readonly user: string, readonly peer: string) {
    this.socket = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${tokenFor(user)}`);
    this.socket.on('message', (data: Buffer) => this.onFrame(decodeFrame(new Uint8Array(data))));
  }

  async ready(): Promise<this> {
    await waitFor(() => this.welcomed, { timeoutMs: 20_000, what: `${this.user} welcomed` });
    return this;
  }

  /** Sends one message and resolves on its msg:A (retransmitting until then). */
  send(text: string): Promise<void> {
    const msgId = `${this.user}-${text}`;
    this.clientSeq += 1;
    this.sent.push(msgId);
    const frame: FrameInit = { msgR: { msgId, toUser: this.peer, payload: Buffer.from(text), clientSeq: this.clientSeq } };
    return new Promise((resolve) => {
      const transmit = () => {
        this.write(frame);
        if (this.waiting) this.waiting.timer = setTimeout(retransmit, RETRANSMIT_MS);
      };
      const retransmit = () => {
        this.retransmits += 1;
        transmit();
      };
      this.waiting = { msgId, frame, timer: setTimeout(retransmit, RETRANSMIT_MS), done: resolve };
      this.write(frame);
    });
  }

  close(): void {
    if (this.waiting) clearTimeout(this.waiting.timer);
    this.socket.close();
  }

  private write(frame: FrameInit): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(encodeFrame(frame));
  }

  private onFrame(frame: Frame): void {
    switch (frame.packet) {
      case 'welcome':
        this.welcomed = true;
        return;
      case 'msgA': {
        const a = frame.msgA!;
        const epoch = a.position?.epoch ?? '';
        if (!this.epochs.includes(epoch)) this.epochs.push(epoch);
        const positions = this.accepted.get(a.msgId ?? '') ?? [];
        positions.push(`${epoch}:${a.position?.seq}`);
        this.accepted.set(a.msgId ?? '', positions);
        const waiting = this.waiting;
        if (waiting && waiting.msgId === a.msgId) {
          clearTimeout(waiting.timer);
          this.waiting = undefined;
          waiting.done();
        }
        return;
      }
      case 'ackN': {
        const n = frame.ackN!;
        const statuses = this.acks.get(n.msgId ?? '') ?? [];
        statuses.push(Number(n.status));
        this.acks.set(n.msgId ?? '', statuses);
        return;
      }
      case 'msgN':
        this.receive(frame.msgN!, 'push');
        return;
      case 'offlineA': {
        const page = frame.offlineA!;
        for (const message of page.messages ?? []) this.receive(message, 'pull');
        const refs = (page.messages ?? []).map((m) => ({ conversation: m.conversation, position: m.position }));
        if (refs.length > 0) this.write({ offlineackR: { refs } });
        if (page.hasMore) this.write({ offlineR: { limit: 0, cursor: page.nextCursor ?? '' } });
        return;
      }
      case 'resyncN':
        this.resyncs.push(Date.now());
        this.write({ offlineR: { limit: 0, cursor: '' } });
        return;
      default:
        return;
    }
  }

  /** Records a message and acks it (pulled ones too: "ack again what is delivered"). */
  private receive(message: NonNullable<Frame['msgN']>, via: 'push' | 'pull'): void {
    this.received.push({ msgId: message.msgId ?? '', from: message.fromUser ?? '', epoch: message.position?.epoch ?? '', seq: Number(message.position?.seq ?? 0), via });
    this.write({ ackR: { conversation: message.conversation, position: message.position } });
  }
}

/**
 * Every text exactly once, in send order within each epoch. Across the epoch break the order
 * is the client's: PROTOCOL.md "resync:N" has it hold the new epoch until its pull is done;
 * the raw receivers above apply that rule (by position), this checks what the SDK shows.
 */
function expectOncePerEpochInOrder(receiver: RecordingClient, sent: readonly string[]): void {
  const texts = receiver.texts();
  expect([...texts].sort()).toEqual([...sent].sort());
  const byEpoch = new Map<string, string[]>();
  for (const m of receiver.messages) {
    const list = byEpoch.get(String(m.position.epoch)) ?? [];
    list.push(Buffer.from(m.payload).toString());
    byEpoch.set(String(m.position.epoch), list);
  }
  expect(byEpoch.size).toBe(2);
  for (const list of byEpoch.values()) expect(list).toEqual([...list].sort());
}

describe('Redis restarted empty under traffic', () => {
  let redis: RedisServerHandle;
  let core: ParleyServer | undefined;
  let gateway: NodeProcessHandle | undefined;
  let prefix = '';
  let port = 0;
  const peers: Peer[] = [];
  const clients: RecordingClient[] = [];

  beforeAll(async () => {
    redis = await startRedisServer(); // this test's own: the run's shared one stays untouched
    const env = realEnv('redisloss', { PARLEY_REDIS_URL: redis.url, PARLEY_RATE_LIMIT_FRAMES_PER_SEC: '2000' });
    prefix = env.PARLEY_REDIS_PREFIX!;
    core = await startServer({ ...env, PARLEY_ROLES: 'sequencer,delivery' });
    port = await freePort();
    gateway = spawnNodeProcess(GATEWAY_MAIN, [], { ...env, PARLEY_GATEWAY_PORT: String(port), PARLEY_LOG_LEVEL: 'info' });
    await gateway.waitForLine(/gateway listening/, 30_000);
    for (let i = 0; i < PAIRS; i += 1) {
      peers.push(new Peer(port, `s${i}`, `r${i}`), new Peer(port, `r${i}`, `s${i}`));
    }
    await Promise.all(peers.map((p) => p.ready()));
  });
  afterAll(async () => {
    for (const peer of peers) peer.close();
    await Promise.all(clients.map((c) => c.close()));
    await gateway?.stop();
    await core?.stop();
    await redis?.stop();
  });

  it('heals within seconds: resync:N, pushes resume, every message once and in order, every sender its ack:N', async () => {
    const senders = peers.filter((p) => p.user.startsWith('s'));
    const receiverOf = (sender: Peer) => peers.find((p) => p.user === sender.peer)!;
    let streaming = true;
    const streams = senders.map(async (sender) => {
      for (let i = 0; streaming; i += 1) {
        await sender.send(`m${String(i).padStart(4, '0')}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    });
    await waitFor(() => senders.every((s) => receiverOf(s).received.length >= 20), { timeoutMs: 30_000, what: 'every pair under way' });

    const restartedAt = Date.now();
    await redis.restart(); // same port, every key gone
    await waitFor(() => peers.every((p) => p.resyncs.length >= 1), { timeoutMs: 20_000, what: 'resync:N on every connection' });
    const healedInMs = Math.max(...peers.map((p) => p.resyncs[0]!)) - restartedAt;
    await new Promise((resolve) => setTimeout(resolve, 2_000)); // traffic goes on after the heal
    streaming = false;
    await Promise.all(streams);

    // Sent after the heal to online receivers: pushed (msg:N), not left in the inbox, and DELIVERED.
    const after = senders.map((s) => s.send('after'));
    await Promise.all(after);
    for (const sender of senders) {
      const id = `${sender.user}-after`;
      await waitFor(() => receiverOf(sender).received.some((r) => r.msgId === id && r.via === 'push'), { timeoutMs: 15_000, what: `${id} pushed` });
      await waitFor(() => (sender.acks.get(id) ?? []).includes(1), { timeoutMs: 15_000, what: `${id} DELIVERED` });
    }

    // Every sender gets an ack:N for every message, though it never retransmits after msg:A.
    await waitFor(() => senders.every((s) => s.sent.every((id) => s.acks.has(id))), {
      timeoutMs: 25_000,
      what: 'an ack:N for every message sent',
    });
    for (const sender of senders) {
      const receiver = receiverOf(sender);
      // Each message arrives; what arrives twice (a retransmit sequenced again after the
      // dedupe data was lost) is dropped by the receiver's (from_user, msg_id) rule.
      await waitFor(() => sender.sent.every((id) => receiver.received.some((r) => r.msgId === id)), { timeoutMs: 20_000, what: `${receiver.user} to hold every message` });
      const firstSeen = new Map<string, Received>();
      for (const r of receiver.received) if (!firstSeen.has(r.msgId)) firstSeen.set(r.msgId, r);
      expect([...firstSeen.keys()].sort()).toEqual([...sender.sent].sort());
      // In send order: by epoch (as the sender's msg:A showed them), then seq.
      const rank = (r: Received) => sender.epochs.indexOf(r.epoch);
      const shown = [...firstSeen.values()].sort((a, b) => rank(a) - rank(b) || a.seq - b.seq).map((r) => r.msgId);
      expect(shown).toEqual(sender.sent);
      // A position is never given to two messages.
      const byPosition = new Map<string, string>();
      for (const r of receiver.received) {
        const key = `${r.epoch}:${r.seq}`;
        expect(byPosition.get(key) ?? r.msgId).toBe(r.msgId);
        byPosition.set(key, r.msgId);
      }
      expect(sender.epochs.length).toBe(2); // the counter restarted in a new epoch
    }
    // One resync:N per connection for one loss.
    for (const peer of peers) expect(peer.resyncs).toHaveLength(1);
    expect(healedInMs).toBeLessThan(15_000);
    const total = senders.reduce((n, s) => n + s.sent.length, 0);
    const retransmits = senders.reduce((n, s) => n + s.retransmits, 0);
    process.stderr.write(`[redis-loss] ${total} messages, resync:N on every connection ${healedInMs} ms after the restart, ${retransmits} msg:R retransmits (no msg:A)\n`);
  });

  it("tells the sender STORED_OFFLINE at once when presence lost both users, not after the sender's 30 s retransmit", async () => {
    // Only the presence keys go (the marker stays, so nobody re-registers before the periodic
    // refresh, a third of the 60 s TTL away): delivery finds neither user online.
    const keys = (await respCommand(redis.port, ['KEYS', `${prefix}presence:*`])) as string[];
    expect(keys.length).toBeGreaterThan(0);
    await respCommand(redis.port, ['DEL', ...keys]);
    const sender = peers.find((p) => p.user === 's0')!;
    const receiver = peers.find((p) => p.user === 'r0')!;
    const startedAt = Date.now();
    await sender.send('while-nobody-is-present');
    const id = 's0-while-nobody-is-present';
    await waitFor(() => sender.acks.has(id), { timeoutMs: 15_000, what: `ack:N for ${id}` });
    expect(sender.acks.get(id)).toEqual([2]); // STORED_OFFLINE: it waits in r0's inbox
    expect(Date.now() - startedAt).toBeLessThan(15_000);
    expect(receiver.received.some((r) => r.msgId === id)).toBe(false);
  });

  it('the SDK on long-poll and on WebSocket: every message once, in order within each epoch, and every ack:N, across the loss', async () => {
    // ack:N waits longer than the test: whatever ack:N arrives came without a re-send.
    const options = { ackTimeoutMs: 120_000, backoff: { minDelayMs: 100, maxDelayMs: 500 } };
    const carol = new RecordingClient(port, 'carol', { ...options, transportFactory: longPollTransportFactory({ holdMs: 5_000 }) });
    const dave = new RecordingClient(port, 'dave', options);
    clients.push(carol, dave);
    await carol.connect();
    await dave.connect();
    expect(carol.client.transport).toBe('long-poll');
    const toDave = Array.from({ length: 150 }, (_, i) => `c-${String(i).padStart(3, '0')}`);
    const toCarol = Array.from({ length: 150 }, (_, i) => `d-${String(i).padStart(3, '0')}`);
    const sends: Array<Promise<{ msgId: string }>> = [];
    const sendSlowly = async (from: RecordingClient, to: string, texts: string[]) => {
      for (const text of texts) {
        sends.push(from.client.send(to, payload(text)));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const sending = Promise.all([sendSlowly(carol, 'dave', toDave), sendSlowly(dave, 'carol', toCarol)]);
    await waitFor(() => dave.messages.length >= 30 && carol.messages.length >= 30, { timeoutMs: 30_000, what: 'both directions under way' });
    await redis.restart();
    await sending;
    const receipts = await Promise.all(sends);
    await waitFor(() => dave.messages.length >= toDave.length && carol.messages.length >= toCarol.length, { timeoutMs: 60_000, what: 'every message delivered' });
    expectOncePerEpochInOrder(dave, toDave);
    expectOncePerEpochInOrder(carol, toCarol);
    const acked = () => new Set([...carol.acks, ...dave.acks].map((a) => a.msgId as string));
    await waitFor(() => receipts.every((r) => acked().has(r.msgId)), { timeoutMs: 30_000, what: 'an ack:N for every send' });
    expect(carol.client.stats.reconnects).toBe(0); // healed on the same links (resync:N, no reconnect)
    expect(dave.client.stats.reconnects).toBe(0);
  });
});
