// After the store lost its data: every connection (WebSocket and long-poll) registered again
// in one go, and only once that is stored each welcomed connection told resync:N, once per
// loss. On a fake clock, with a presence store whose writes complete when the test says so.
import { Counter, createLogger, Registry, sharedMetrics } from '@parley/observability';
import { FakeClock, Presence, PresenceEntry } from '@parley/ports';
import { asGatewayId, asUserId, decodeFrame, encodeFrame, parley, UserId } from '@parley/protocol';
import type { ClientLink } from '../../src/client-link';
import { ConnectionState } from '../../src/connection';
import { ConnectionRegistry } from '../../src/connection-registry';
import { newConnectionId } from '../../src/connection-id';
import { LongPollSession } from '../../src/long-poll-session';
import { PresenceKeeper } from '../../src/presence-keeper';
import { StoreLossRecovery } from '../../src/store-loss-recovery';

/** Records each register call; each completes (or fails) when the test says so. */
class GatedPresence implements Presence {
  readonly calls: string[][] = [];
  readonly stored: PresenceEntry[] = [];
  private readonly waiting: Array<{ entries: readonly PresenceEntry[]; resolve: () => void; reject: (err: Error) => void }> = [];
  register(entries: readonly PresenceEntry[]): Promise<void> {
    this.calls.push(entries.map((e) => `${e.user}/${e.connectionId}`));
    return new Promise((resolve, reject) => this.waiting.push({ entries, resolve, reject }));
  }
  async unregister(): Promise<void> {}
  async lookup(): Promise<Map<UserId, PresenceEntry[]>> {
    return new Map();
  }
  async clearGateway(): Promise<number> {
    return 0;
  }
  get inFlight(): number {
    return this.waiting.length;
  }
  async complete(): Promise<void> {
    for (const { entries, resolve } of this.waiting.splice(0)) {
      this.stored.push(...entries);
      resolve();
    }
    await flushPromises();
  }
  async fail(): Promise<void> {
    for (const { reject } of this.waiting.splice(0)) reject(new Error('store down'));
    await flushPromises();
  }
}

/** A WebSocket-like link that records the packets it was sent. */
class RecordingLink implements ClientLink {
  readonly transport = 'websocket';
  readonly sent: parley.v1.Frame[] = [];
  constructor(readonly state: ConnectionState) {}
  send(frames: readonly Uint8Array[]): void {
    if (!this.state.closed) for (const frame of frames) this.sent.push(decodeFrame(frame));
  }
  close(): void {
    this.state.closed = true;
  }
  bufferedBytes(): number {
    return 0;
  }
}

const flushPromises = () => new Promise((resolve) => setImmediate(resolve));

function setUp() {
  const clock = new FakeClock();
  const registry = new Registry();
  const presence = new GatedPresence();
  const logger = createLogger('test', 'silent');
  const connections = new ConnectionRegistry();
  const keeper = new PresenceKeeper(presence, asGatewayId('gw1'), 60_000, clock, logger, () => connections.entries());
  const packets = sharedMetrics(registry).packets as Counter<'type' | 'direction'>;
  const recovery = new StoreLossRecovery({ presence: keeper, links: () => connections.all(), clock, logger, packets, retryDelayMs: 500 });
  const link = (user: string, welcomed = true): RecordingLink => {
    const state = new ConnectionState(asUserId(user), newConnectionId());
    state.welcomed = welcomed;
    const added = new RecordingLink(state);
    connections.add(added);
    return added;
  };
  const longPoll = async (user: string) => {
    const state = new ConnectionState(asUserId(user), newConnectionId());
    state.welcomed = true;
    const packetsSent: string[] = [];
    const session = new LongPollSession('s1', state, { frames: () => undefined, closed: () => undefined }, {
      idleLimitMs: 60_000,
      maxBufferedBytes: 64 * 1024,
      clock,
      onClose: () => undefined,
    });
    session.send([encodeFrame({ welcome: { userId: user } })]); // answers the open request
    await flushPromises();
    session.recv(0, 30_000, { frames: (_batch, frames) => packetsSent.push(...frames.map((f) => decodeFrame(f).packet ?? '')), closed: () => undefined });
    connections.add(session);
    return { session, packetsSent };
  };
  const resyncsSent = async () => (await registry.getSingleMetric('parley_packets_total')!.get()).values.find((v) => v.labels.type === 'resync:N')?.value ?? 0;
  return { clock, presence, recovery, link, longPoll, resyncsSent };
}

const packetsOf = (link: RecordingLink) => link.sent.map((f) => f.packet);

describe('the gateway after the store lost its data', () => {
  it('registers every connection again in one go, and sends resync:N only once that is stored', async () => {
    const { presence, recovery, link, longPoll, resyncsSent } = setUp();
    const alice = link('alice');
    const bob = link('bob');
    const polling = await longPoll('carol');
    const done = recovery.recover();
    await flushPromises();
    expect(presence.calls).toHaveLength(1);
    expect(presence.calls[0]).toEqual(expect.arrayContaining([`alice/${alice.state.connectionId}`, `bob/${bob.state.connectionId}`, `carol/${polling.session.state.connectionId}`]));
    expect(packetsOf(alice)).toEqual([]); // nothing before presence is back
    expect(polling.packetsSent).toEqual([]);

    await presence.complete();
    await done;
    expect(packetsOf(alice)).toEqual(['resyncN']);
    expect(packetsOf(bob)).toEqual(['resyncN']);
    expect(alice.sent[0]!.resyncN?.reason).toBeTruthy();
    await flushPromises();
    expect(polling.packetsSent).toEqual(['resyncN']); // a long-poll session alike
    expect(await resyncsSent()).toBe(3);
  });

  it('slices a large gateway into several register calls, all issued before any completes', async () => {
    const { presence, recovery, link } = setUp();
    for (let i = 0; i < 2_500; i += 1) link(`u${i}`);
    const done = recovery.recover();
    await flushPromises();
    expect(presence.calls.map((c) => c.length)).toEqual([1000, 1000, 500]);
    expect(presence.inFlight).toBe(3);
    await presence.complete();
    await done;
  });

  it('keeps re-registering while the store refuses, and sends resync:N only after it succeeded', async () => {
    const { clock, presence, recovery, link } = setUp();
    const alice = link('alice');
    const done = recovery.recover();
    await flushPromises();
    await presence.fail();
    expect(packetsOf(alice)).toEqual([]);
    clock.advance(500);
    await flushPromises();
    expect(presence.calls).toHaveLength(2);
    await presence.complete();
    await done;
    expect(packetsOf(alice)).toEqual(['resyncN']);
  });

  it('tells no connection that is not welcomed yet (its welcome comes after its own registration) nor one that closed', async () => {
    const { presence, recovery, link } = setUp();
    const opening = link('alice', false);
    const closing = link('bob');
    const done = recovery.recover();
    await flushPromises();
    expect(presence.calls[0]).toContain(`alice/${opening.state.connectionId}`);
    closing.close();
    await presence.complete();
    await done;
    expect(packetsOf(opening)).toEqual([]);
    expect(packetsOf(closing)).toEqual([]);
  });

  it('covers losses reported during a recovery with one more run, one resync:N each time at most', async () => {
    const { presence, recovery, link } = setUp();
    const alice = link('alice');
    const first = recovery.recover();
    void recovery.recover();
    void recovery.recover();
    await flushPromises();
    await presence.complete();
    await first;
    expect(packetsOf(alice)).toEqual(['resyncN']);
    await flushPromises();
    expect(presence.calls).toHaveLength(2); // the losses seen meanwhile: one more run, not two
    await presence.complete();
    expect(packetsOf(alice)).toEqual(['resyncN', 'resyncN']);
    expect(presence.calls).toHaveLength(2);
  });

  it('gives up quietly when the gateway stops while the store is still down', async () => {
    const { presence, recovery, link } = setUp();
    const alice = link('alice');
    const done = recovery.recover();
    await flushPromises();
    await presence.fail();
    recovery.stop();
    await done;
    expect(packetsOf(alice)).toEqual([]);
  });
});
