// The presence keeper: one store call per event-loop turn for registrations and one for
// removals (registrations first), each connection told when its entry is stored, and a
// refresh of every connection in slices well within the TTL. On a fake clock.
import { createLogger } from '@parley/observability';
import { FakeClock, Presence, PresenceEntry } from '@parley/ports';
import { asConnectionId, asGatewayId, asUserId, UserId } from '@parley/protocol';
import { PresenceKeeper, PresenceKey } from '../../src/presence-keeper';

/** Records every store call as `register a/c1 b/c2`, `unregister …` or `clear`. */
class RecordingPresence implements Presence {
  readonly calls: string[] = [];
  readonly registeredTtls: number[] = [];
  failure: Error | undefined;
  async register(entries: readonly PresenceEntry[], ttlMs: number): Promise<void> {
    this.calls.push(`register ${names(entries)}`);
    this.registeredTtls.push(ttlMs);
    if (this.failure) throw this.failure;
  }
  async unregister(entries: readonly PresenceEntry[]): Promise<void> {
    this.calls.push(`unregister ${names(entries)}`);
  }
  async lookup(): Promise<Map<UserId, PresenceEntry[]>> {
    return new Map();
  }
  async clearGateway(): Promise<number> {
    this.calls.push('clear');
    return 0;
  }
}

const names = (entries: readonly PresenceEntry[]): string => entries.map((e) => `${e.user}/${e.connectionId}@${e.gatewayId}`).join(' ');
const key = (user: string, connectionId: string): PresenceKey => ({ user: asUserId(user), connectionId: asConnectionId(connectionId) });
const flushPromises = () => new Promise((resolve) => setImmediate(resolve));
const TTL_MS = 60_000;

function setUp(current: PresenceKey[] = []) {
  const clock = new FakeClock();
  const presence = new RecordingPresence();
  const tasks: Array<() => void> = [];
  const keeper = new PresenceKeeper(presence, asGatewayId('gw1'), TTL_MS, clock, createLogger('test', 'silent'), () => current, {
    schedule: (task) => tasks.push(task),
  });
  /** Runs the deferred flushes, as the event loop would after the current turn. */
  const endTurn = () => {
    while (tasks.length > 0) tasks.shift()!();
  };
  return { clock, presence, keeper, endTurn };
}

describe('the presence keeper', () => {
  it("registers a turn's connections in one store call, and tells each once its entry is stored", async () => {
    const { presence, keeper, endTurn } = setUp();
    const stored: string[] = [];
    for (const [user, id] of [['alice', 'a1'], ['bob', 'b1'], ['alice', 'a2']] as const) void keeper.register(key(user, id)).then(() => stored.push(id));
    await flushPromises();
    expect(presence.calls).toEqual([]);
    expect(stored).toEqual([]);
    endTurn();
    await flushPromises();
    expect(presence.calls).toEqual(['register alice/a1@gw1 bob/b1@gw1 alice/a2@gw1']);
    expect(presence.registeredTtls).toEqual([TTL_MS]);
    expect(stored).toEqual(['a1', 'b1', 'a2']);
    void keeper.register(key('carol', 'c1'));
    endTurn();
    expect(presence.calls).toHaveLength(2);
  });

  it('fails every registration of a batch whose store call failed', async () => {
    const { presence, keeper, endTurn } = setUp();
    presence.failure = new Error('store down');
    const outcomes = [keeper.register(key('alice', 'a1')), keeper.register(key('bob', 'b1'))].map((p) => p.then(() => 'stored', (err: Error) => err.message));
    endTurn();
    expect(await Promise.all(outcomes)).toEqual(['store down', 'store down']);
  });

  it('sends removals in one call, after the registrations of the same turn', async () => {
    const { presence, keeper, endTurn } = setUp();
    void keeper.register(key('alice', 'a1'));
    keeper.unregister(key('alice', 'a1'));
    keeper.unregister(key('bob', 'b1'));
    endTurn();
    await flushPromises();
    expect(presence.calls).toEqual(['register alice/a1@gw1', 'unregister alice/a1@gw1 bob/b1@gw1']);
  });

  it('refreshes every current connection each third of the TTL, in slices of 1000', async () => {
    const current = Array.from({ length: 2_500 }, (_, i) => key(`u${i}`, `c${i}`));
    const { clock, presence, keeper } = setUp(current);
    keeper.startRefreshing();
    clock.advance(TTL_MS / 3 - 1);
    expect(presence.calls).toEqual([]);
    clock.advance(1);
    await flushPromises();
    const sizes = () => presence.calls.map((c) => c.split(' ').length - 1);
    expect(sizes()).toEqual([1_000, 1_000, 500]);
    clock.advance(TTL_MS / 3);
    await flushPromises();
    expect(sizes()).toEqual([1_000, 1_000, 500, 1_000, 1_000, 500]);
    expect(new Set(presence.calls.slice(0, 3).flatMap((c) => c.split(' ').slice(1))).size).toBe(2_500);
  });

  it('on stop, sends what the turn gathered, then clears every entry of this gateway and refreshes no more', async () => {
    const { clock, presence, keeper } = setUp([key('alice', 'a1')]);
    keeper.startRefreshing();
    void keeper.register(key('bob', 'b1'));
    keeper.unregister(key('carol', 'c1'));
    await keeper.stop();
    expect(presence.calls).toEqual(['register bob/b1@gw1', 'unregister carol/c1@gw1', 'clear']);
    clock.advance(10 * TTL_MS);
    await flushPromises();
    expect(presence.calls).toHaveLength(3);
  });
});
