// One connection logic for every transport: welcome only once presence is registered and
// before any downlink frame, client frames answered or forwarded, strikes and closes, and
// a long-poll session driven through it exactly like a WebSocket link.
import { Registry, sharedMetrics, createLogger } from '@parley/observability';
import {
  asDeviceId,
  asGatewayId,
  CloseCode,
  decodeClientPacket,
  decodeDeliveryCommand,
  decodeDownlinkBatch,
  decodeFrame,
  encodeDownlinkBatch,
  encodeFrame,
  FrameInit,
  parley,
  UserId,
  asUserId,
  ErrorCode,
} from '@parley/protocol';
import { Bus, BusRecord, FakeClock, MemoryTokenRevocations, Presence, PresenceEntry } from '@parley/ports';
import { signToken } from '@parley/auth';
import { topicNames } from '@parley/runtime';
import type { ClientLink } from '../../src/client-link';
import { ConnectionHandler, type ConnectionSettings } from '../../src/connection-handler';
import { ConnectionRegistry } from '../../src/connection-registry';
import { DownlinkWriter } from '../../src/downlink-writer';
import { gatewayMetrics } from '../../src/gateway-metrics';
import { LongPollSession, PollAnswer } from '../../src/long-poll-session';
import { PresenceKeeper } from '../../src/presence-keeper';
import { Uplink } from '../../src/uplink';
import { ConnectionEvents } from '../../src/connection-events';
import { TypingRelay } from '../../src/typing-relay';

/** Presence whose registrations complete only when the test says so. */
class GatedPresence implements Presence {
  readonly online: PresenceEntry[] = [];
  private readonly waiting: Array<() => void> = [];
  register(entries: readonly PresenceEntry[]): Promise<void> {
    return new Promise((resolve) =>
      this.waiting.push(() => {
        this.online.push(...entries);
        resolve();
      }),
    );
  }
  async unregister(entries: readonly PresenceEntry[]): Promise<void> {
    for (const entry of entries) {
      const at = this.online.findIndex((e) => e.connectionId === entry.connectionId);
      if (at >= 0) this.online.splice(at, 1);
    }
  }
  async lookup(): Promise<Map<UserId, PresenceEntry[]>> {
    return new Map();
  }
  async clearGateway(): Promise<number> {
    return 0;
  }
  /** Completes every registration asked so far (the keeper sends a turn's registrations after that turn). */
  async complete(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    for (const done of this.waiting.splice(0)) done();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A link that records what it was sent and how it was closed; the close is reported back at once, like uWS. */
class RecordingLink implements ClientLink {
  readonly transport = 'websocket';
  readonly sent: parley.v1.Frame[] = [];
  closedWith: number | undefined;
  /** What the client has not taken yet (a test sets it to play a slow reader). */
  buffered = 0;
  constructor(
    readonly state: ClientLink['state'],
    private readonly onClose: (link: RecordingLink, code: number) => void,
  ) {}
  send(frames: readonly Uint8Array[]): void {
    if (this.state.closed) return;
    for (const frame of frames) this.sent.push(decodeFrame(frame));
  }
  close(code: number): void {
    if (this.state.closed) return;
    this.closedWith = code;
    this.onClose(this, code);
  }
  bufferedBytes(): number {
    return this.buffered;
  }
  packets(): string[] {
    return this.sent.map((f) => f.packet ?? '');
  }
}

/** `connectionEvents`: publish user.connected/disconnected (off unless a test looks at them). */
function setUp({ connectionEvents = false } = {}) {
  const clock = new FakeClock();
  const registry = new Registry();
  const presence = new GatedPresence();
  const published: Array<{ topic: string; record: BusRecord }> = [];
  const bus = { publish: async (topic: string, records: readonly BusRecord[]) => void published.push(...records.map((record) => ({ topic, record }))) } as unknown as Bus;
  const logger = createLogger('test', 'silent');
  const options: ConnectionSettings = {
    gatewayId: asGatewayId('gw1'),
    admission: {
      jwtSecret: 'unit-test-secret-0123456789',
      allowedOrigins: ['*'],
      maxTokenBytes: 4_096,
      connectLimits: {
        connectsPerUserPerMin: 60,
        connectBurstPerUser: 30,
        connectsPerAddressPerMin: 600,
        connectBurstPerAddress: 100,
        exemptAddresses: ['127.0.0.0/8'],
        maxConnectionsPerUser: 3,
      },
    },
    limits: {
      maxFrameBytes: 1_024,
      maxPayloadBytes: 512,
      maxGroupMembers: 10,
      maxOfflinePage: 50,
      rateLimitFramesPerSec: 100,
      floodCloseMs: 5_000,
      typingMinIntervalMs: 1_000,
      maxBackpressureBytes: 64 * 1024,
    },
    heartbeat: { intervalMs: 1_000 },
    clock,
    logger,
  };
  const connections = new ConnectionRegistry();
  const revocations = new MemoryTokenRevocations();
  const uplink = new Uplink(bus);
  const metrics = gatewayMetrics(registry);
  const handler = new ConnectionHandler(options, {
    connections,
    presence: new PresenceKeeper(presence, options.gatewayId, 60_000, clock, logger, () => connections.entries()),
    uplink,
    typing: new TypingRelay({ presence, membership: { members: async () => [] }, downlink: { publish: async () => [], subscribe: async () => ({ close: async () => undefined }) } }),
    topics: topicNames('t'),
    metrics,
    shared: sharedMetrics(registry),
    isAccepting: () => true,
    revocations,
    connectionEvents: !connectionEvents ? undefined : new ConnectionEvents({ uplink, topic: 't.deliver', gatewayId: options.gatewayId, clock, logger, dropped: metrics.appEventsDropped }),
  });
  const writer = new DownlinkWriter(connections, metrics, options.limits.maxBackpressureBytes);
  const linkOf = (state: ClientLink['state']) => new RecordingLink(state, (l, code) => handler.closed(l, code));
  const link = (user: string) => linkOf(handler.newState(asUserId(user)));
  const downlink = (user: string, frame: FrameInit) =>
    writer.write(decodeDownlinkBatch(encodeDownlinkBatch({ items: [{ userId: user, frame: encodeFrame(frame) }] })));
  return { clock, presence, published, handler, writer, connections, link, linkOf, downlink, registry, revocations };
}

const flushPromises = () => new Promise((resolve) => setImmediate(resolve));

describe('the connection handler, whatever the transport', () => {
  it('publishes user.connected once a connection is welcomed and user.disconnected when it closes, keyed by the user; nothing for one closed before welcome', async () => {
    const { presence, handler, link, published } = setUp({ connectionEvents: true });
    const alice = link('alice');
    const early = link('bob');
    handler.opened(alice);
    handler.opened(early);
    early.close(1000);
    await presence.complete();
    await flushPromises();
    alice.close(1000);
    await flushPromises();
    const events = published
      .filter((p) => p.topic === 't.deliver')
      .map((p) => ({ key: p.record.key, event: decodeDeliveryCommand(p.record.value).appEvent?.userConnection }));
    expect(events).toEqual([
      { key: 'alice', event: expect.objectContaining({ userId: 'alice', connected: true, gatewayId: 'gw1', connectionId: alice.state.connectionId }) },
      { key: 'alice', event: expect.objectContaining({ userId: 'alice', connected: false, gatewayId: 'gw1', connectionId: alice.state.connectionId }) },
    ]);
  });

  it('sends welcome only once presence is registered, and no downlink frame before it', async () => {
    const { presence, handler, link, downlink } = setUp();
    const alice = link('alice');
    handler.opened(alice);
    downlink('alice', { msgN: { msgId: 'early' } });
    expect(alice.sent).toHaveLength(0);
    await presence.complete();
    expect(presence.online).toHaveLength(1);
    expect(alice.packets()).toEqual(['welcome']);
    expect(alice.sent[0]!.welcome).toMatchObject({ userId: 'alice', connectionId: alice.state.connectionId, heartbeatIntervalMs: 1_000 });
    downlink('alice', { msgN: { msgId: 'late' } });
    expect(alice.packets()).toEqual(['welcome', 'msgN']);
    expect(alice.sent[1]!.msgN?.msgId).toBe('late');
  });

  it('closes a connection whose token was issued before its user\'s revocation with 4008 REVOKED, before welcome; a newer token is welcomed', async () => {
    const { presence, handler, link, revocations } = setUp();
    await revocations.revoke(asUserId('alice'), 1_700_000_100);
    const old = link('alice');
    old.state.issuedAtSec = 1_700_000_099;
    handler.opened(old);
    const fresh = link('alice');
    fresh.state.issuedAtSec = 1_700_000_100;
    handler.opened(fresh);
    await presence.complete();
    await flushPromises();
    expect(old.closedWith).toBe(CloseCode.REVOKED);
    expect(old.packets()).toEqual([]);
    expect(fresh.closedWith).toBeUndefined();
    expect(fresh.packets()).toEqual(['welcome']);
  });

  it('closes the connections a downlink control item names, with its close code', async () => {
    const { presence, handler, writer, link } = setUp();
    const [a1, a2, bob] = [link('alice'), link('alice'), link('bob')];
    for (const l of [a1, a2, bob]) handler.opened(l);
    await presence.complete();
    await flushPromises();
    writer.write(decodeDownlinkBatch(encodeDownlinkBatch({ items: [{ userId: 'alice', closeCode: CloseCode.REVOKED, closeReason: 'revoked' }] })));
    expect([a1.closedWith, a2.closedWith, bob.closedWith]).toEqual([CloseCode.REVOKED, CloseCode.REVOKED, undefined]);
  });

  it('answers a ping, forwards a msg:R from the verified user, and refuses what is not allowed', async () => {
    const { presence, handler, link, published } = setUp();
    const alice = link('alice');
    handler.opened(alice);
    await presence.complete();
    handler.received(alice, encodeFrame({ ping: { nonce: 5 } }));
    expect(alice.sent.at(-1)?.pong?.nonce).toBe(5);
    handler.received(alice, encodeFrame({ msgR: { msgId: 'm1', toUser: 'bob', payload: Buffer.from('hi') } }));
    await flushPromises();
    expect(published).toHaveLength(1);
    expect(published[0]!.topic).toBe('t.send');
    expect(decodeClientPacket(published[0]!.record.value).origin).toMatchObject({ userId: 'alice', connectionId: alice.state.connectionId, gatewayId: 'gw1' });
    handler.received(alice, encodeFrame({ msgR: { msgId: 'm2', toUser: 'bob', fromUser: 'carol' } }));
    expect(alice.sent.at(-1)?.error).toMatchObject({ msgId: 'm2' });
  });

  it('names a rate-limited msg:R and holds nothing back: the later ones go on to the sequencer, which owns the order', async () => {
    const { presence, handler, link, published, clock } = setUp();
    const alice = link('alice');
    handler.opened(alice);
    await presence.complete();
    const send = (n: number) => handler.received(alice, encodeFrame({ msgR: { msgId: `m${n}`, toUser: 'bob', clientSeq: n, payload: Buffer.from('hi') } }));
    for (let i = 0; i < 200; i++) handler.received(alice, encodeFrame({ ping: { nonce: i } })); // the whole burst
    send(1);
    expect(alice.sent.at(-1)?.error).toMatchObject({ code: 4001, msgId: 'm1', retryable: true });
    clock.advance(1_000); // the bucket refills
    send(2);
    send(1);
    await flushPromises();
    expect(alice.sent.filter((f) => f.error).map((f) => f.error!.msgId)).toEqual(['m1']);
    expect(published.map((p) => decodeClientPacket(p.record.value).frame?.msgR?.msgId)).toEqual(['m2', 'm1']);
  });

  it('closes a steady flood with FLOOD after floodCloseMs over the limit, telling it RATE_LIMITED at most once a second', async () => {
    const { presence, handler, link, clock, registry } = setUp();
    const flooder = link('flooder');
    handler.opened(flooder);
    await presence.complete();
    let sent = 0;
    // 10x the rate, one frame a millisecond: the bucket refills a token every 10 ms all along.
    while (flooder.closedWith === undefined && sent < 20_000) {
      handler.received(flooder, encodeFrame({ msgR: { msgId: `f${sent}`, toUser: 'bob', payload: Buffer.from('x') } }));
      sent += 1;
      clock.advance(1);
    }
    expect(flooder.closedWith).toBe(CloseCode.FLOOD);
    expect(sent).toBeGreaterThan(5_000);
    expect(sent).toBeLessThan(6_000);
    const errors = flooder.sent.filter((f) => f.error);
    expect(errors.length).toBeGreaterThanOrEqual(5);
    expect(errors.length).toBeLessThanOrEqual(6);
    for (const error of errors) expect(error.error).toMatchObject({ code: 4001, retryable: true, msgId: expect.stringMatching(/^f\d+$/) });
    const text = await registry.metrics();
    expect(text).toMatch(/parley_gateway_limit_hits_total\{reason="flood"\} 1/);
    expect(text).toMatch(/parley_gateway_limit_hits_total\{reason="rate_limited"\} [1-9]\d{3}/);
  });

  it('closes a reader holding more than maxBackpressureBytes unread with 4004 SLOW_CONSUMER instead of writing to it, counted as the limit hit slow_consumer', async () => {
    const { presence, handler, link, downlink, registry } = setUp();
    const slow = link('slow');
    const keeping = link('keeping');
    handler.opened(slow);
    handler.opened(keeping);
    await presence.complete();
    keeping.buffered = 64 * 1024;
    slow.buffered = 64 * 1024 + 1;
    downlink('slow', { msgN: { msgId: 'm1' } });
    downlink('keeping', { msgN: { msgId: 'm1' } });
    expect(slow.closedWith).toBe(CloseCode.SLOW_CONSUMER);
    expect(slow.packets()).toEqual(['welcome']);
    expect(keeping.closedWith).toBeUndefined();
    expect(keeping.packets()).toEqual(['welcome', 'msgN']);
    const text = await registry.metrics();
    expect(text).toMatch(/parley_gateway_limit_hits_total\{reason="slow_consumer"\} 1\n/);
    expect(text).toMatch(/parley_gateway_closes_total\{code="4004",transport="websocket"\} 1\n/);
  });

  it('closes on a text message (1003) and on a frame over max_frame_bytes (1009)', async () => {
    const { presence, handler, link } = setUp();
    const texter = link('texter');
    const bigger = link('bigger');
    handler.opened(texter);
    handler.opened(bigger);
    await presence.complete();
    handler.receivedMessage(texter, encodeFrame({ ping: { nonce: 1 } }), false);
    expect(texter.closedWith).toBe(CloseCode.UNSUPPORTED_DATA);
    handler.receivedMessage(bigger, new Uint8Array(1_024), true);
    expect(bigger.closedWith).toBeUndefined();
    handler.receivedMessage(bigger, new Uint8Array(1_025), true);
    expect(bigger.closedWith).toBe(CloseCode.MESSAGE_TOO_BIG);
  });

  it('refuses a user past its connections on this gateway (unless a device replaces its own), and past its connection attempts', async () => {
    const { handler, link, linkOf, presence } = setUp();
    const token = signToken('unit-test-secret-0123456789', asUserId('many'), 3600);
    const attempt = { origin: '', token, address: '192.0.2.1' };
    for (let i = 0; i < 2; i++) {
      expect(handler.admit(attempt, 'websocket')).toMatchObject({ admitted: true });
      handler.opened(link('many'));
    }
    expect(handler.admit(attempt, 'websocket')).toMatchObject({ admitted: true });
    await presence.complete();
    // The same device connecting again at the limit replaces its own oldest connection; another device does not.
    const phone = linkOf(handler.newState(asUserId('many'), asDeviceId('phone')));
    handler.opened(phone);
    await presence.complete();
    expect(handler.admit({ ...attempt, device: 'tablet' }, 'websocket')).toMatchObject({ admitted: false, status: '429 Too Many Requests', code: ErrorCode.CONNECTION_LIMIT });
    expect(phone.closedWith).toBeUndefined();
    expect(handler.admit({ ...attempt, device: 'phone' }, 'websocket')).toMatchObject({ admitted: true, device: 'phone' });
    expect(phone.closedWith).toBe(CloseCode.REPLACED);
    for (let i = 0; i < 100; i++) handler.admit({ ...attempt, token: 'x' }, 'websocket');
    expect(handler.admit(attempt, 'websocket')).toMatchObject({ admitted: false, code: ErrorCode.CONNECT_RATE_LIMITED, retryAfterSec: 1 });
  });

  it("names the connection's device in welcome and in every forwarded packet: the client's device, else the connection id", async () => {
    const { presence, handler, link, linkOf, published } = setUp();
    const named = linkOf(handler.newState(asUserId('alice'), asDeviceId('alice-phone')));
    const unnamed = link('carol');
    handler.opened(named);
    handler.opened(unnamed);
    await presence.complete();
    expect(named.sent[0]!.welcome).toMatchObject({ userId: 'alice', deviceId: 'alice-phone' });
    expect(unnamed.sent[0]!.welcome).toMatchObject({ userId: 'carol', deviceId: unnamed.state.connectionId });

    handler.received(named, encodeFrame({ msgR: { msgId: 'm1', toUser: 'bob', clientSeq: 1 } }));
    handler.received(named, encodeFrame({ ackR: { conversation: 'd:alice:bob', position: { epoch: 'e', seq: 1 } } }));
    handler.received(unnamed, encodeFrame({ msgR: { msgId: 'c1', toUser: 'bob', clientSeq: 1 } }));
    await flushPromises();
    const origins = published.map(({ topic, record }) =>
      topic === 't.send' ? decodeClientPacket(record.value).origin : decodeDeliveryCommand(record.value).client?.origin,
    );
    // Sorted: the uplink batches each topic on its own.
    expect(origins.map((o) => `${o?.userId}/${o?.deviceId}`).sort()).toEqual(
      ['alice/alice-phone', 'alice/alice-phone', `carol/${unnamed.state.connectionId}`].sort(),
    );
  });

  it('closes after 10 invalid frames in a row (PROTOCOL_VIOLATION), and the close removes presence and membership', async () => {
    const { presence, handler, link, connections } = setUp();
    const alice = link('alice');
    handler.opened(alice);
    await presence.complete();
    for (let i = 0; i < 10; i++) handler.received(alice, Uint8Array.from([0xff, 0xff]));
    expect(alice.closedWith).toBe(CloseCode.PROTOCOL_VIOLATION);
    await flushPromises();
    expect(presence.online).toHaveLength(0);
    expect(connections.size).toBe(0);
  });

  it('drives a long-poll session like any link: welcome answers the open, downlink frames come in a batch', async () => {
    const { presence, handler, downlink, clock, registry } = setUp();
    const answers: Array<{ batch: number; packets: string[] }> = [];
    const answer = (): PollAnswer => ({
      frames: (batch, frames) => answers.push({ batch, packets: frames.map((f) => decodeFrame(f).packet ?? '') }),
      closed: () => undefined,
    });
    const session = new LongPollSession('s1', handler.newState(asUserId('bob')), answer(), {
      idleLimitMs: 2_000,
      maxBufferedBytes: 64 * 1024,
      clock,
      onClose: (s, code) => handler.closed(s, code),
    });
    handler.opened(session);
    await presence.complete();
    expect(answers).toEqual([{ batch: 0, packets: ['welcome'] }]);
    session.recv(0, 10_000, answer());
    downlink('bob', { msgN: { msgId: 'n1' } });
    await flushPromises();
    expect(answers[1]).toEqual({ batch: 1, packets: ['msgN'] });
    expect(await registry.getSingleMetricAsString('parley_gateway_connections')).toContain('transport="long_poll"} 1');
    clock.advance(2_000);
    expect(session.closure?.code).toBe(CloseCode.HEARTBEAT_TIMEOUT);
    await flushPromises();
    expect(presence.online).toHaveLength(0);
  });
});
