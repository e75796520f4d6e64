// The connections opened in one turn are welcomed together: one presence store call for the
// lot, revocation reads beside it, and a failure closes only the connections it concerns.
import { createLogger } from '@parley/observability';
import { FakeClock, MemoryTokenRevocations, Presence, PresenceEntry, TokenRevocations } from '@parley/ports';
import { asConnectionId, asGatewayId, asUserId, UserId } from '@parley/protocol';
import type { ClientLink } from '../../src/client-link';
import { ConnectionState } from '../../src/connection';
import { PresenceKeeper } from '../../src/presence-keeper';
import { WelcomeGate } from '../../src/welcome-gate';

class CountingPresence implements Presence {
  readonly calls: PresenceEntry[][] = [];
  failing = false;
  async register(entries: readonly PresenceEntry[]): Promise<void> {
    this.calls.push([...entries]);
    if (this.failing) throw new Error('store down');
  }
  async unregister(): Promise<void> {}
  async lookup(): Promise<Map<UserId, PresenceEntry[]>> {
    return new Map();
  }
  async clearGateway(): Promise<number> {
    return 0;
  }
}

const linkOf = (user: string, id: string): ClientLink => ({
  transport: 'websocket',
  state: new ConnectionState(asUserId(user), asConnectionId(id)),
  send: () => undefined,
  close: () => undefined,
  bufferedBytes: () => 0,
});

const turn = () => new Promise((resolve) => setImmediate(resolve));

function setUp(revocations: TokenRevocations = new MemoryTokenRevocations()) {
  const presence = new CountingPresence();
  const keeper = new PresenceKeeper(presence, asGatewayId('gw1'), 60_000, new FakeClock(), createLogger('test', 'silent'), () => []);
  const ready: Array<[string, number]> = [];
  const failed: string[][] = [];
  const gate = new WelcomeGate({
    presence: keeper,
    revocations,
    ready: (link, revokedBefore) => ready.push([link.state.connectionId, revokedBefore]),
    failed: (links) => failed.push(links.map((l) => l.state.connectionId)),
  });
  return { presence, gate, ready, failed };
}

describe('the welcome gate', () => {
  it("stores a turn's connections in one call and hands each over with its user's revocation time", async () => {
    const revocations = new MemoryTokenRevocations();
    await revocations.revoke(asUserId('bob'), 1_234);
    const { presence, gate, ready, failed } = setUp(revocations);
    gate.opened(linkOf('alice', 'c1'));
    gate.opened(linkOf('bob', 'c2'));
    gate.opened(linkOf('carol', 'c3'));
    expect(ready).toEqual([]); // nothing before the store answered
    await turn();
    await turn();
    expect(presence.calls.map((call) => call.map((e) => e.connectionId))).toEqual([['c1', 'c2', 'c3']]);
    expect(ready).toEqual([
      ['c1', 0],
      ['c2', 1_234],
      ['c3', 0],
    ]);
    expect(failed).toEqual([]);
    gate.opened(linkOf('dave', 'c4')); // a later turn: a batch of its own
    await turn();
    await turn();
    expect(presence.calls).toHaveLength(2);
    expect(ready.map(([id]) => id)).toEqual(['c1', 'c2', 'c3', 'c4']);
  });

  it("reads the revocation times of a turn's users in one read", async () => {
    const revocations = new MemoryTokenRevocations();
    const reads: UserId[][] = [];
    const readEach = revocations.revokedBeforeEach.bind(revocations);
    revocations.revokedBeforeEach = (users) => {
      reads.push([...users]);
      return readEach(users);
    };
    revocations.revokedBefore = () => Promise.reject(new Error('one user at a time only after a failed read'));
    const { gate, ready } = setUp(revocations);
    gate.opened(linkOf('alice', 'c1'));
    gate.opened(linkOf('bob', 'c2'));
    await turn();
    await turn();
    expect(reads).toEqual([['alice', 'bob']]);
    expect(ready.map(([id]) => id)).toEqual(['c1', 'c2']);
  });

  it('closes every connection of a turn whose presence store call failed', async () => {
    const { presence, gate, ready, failed } = setUp();
    presence.failing = true;
    gate.opened(linkOf('alice', 'c1'));
    gate.opened(linkOf('bob', 'c2'));
    await turn();
    await turn();
    expect(ready).toEqual([]);
    expect(failed).toEqual([['c1', 'c2']]);
  });

  it('closes only the connection whose revocation read failed', async () => {
    const read = async (user: UserId): Promise<number> => {
      if (user === 'bob') throw new Error('read failed');
      return 0;
    };
    const revocations: TokenRevocations = {
      revoke: async () => undefined,
      revokedBefore: read,
      revokedBeforeEach: (users) => Promise.all(users.map(read)),
    };
    const { gate, ready, failed } = setUp(revocations);
    gate.opened(linkOf('alice', 'c1'));
    gate.opened(linkOf('bob', 'c2'));
    gate.opened(linkOf('carol', 'c3'));
    await turn();
    await turn();
    expect(ready).toEqual([
      ['c1', 0],
      ['c3', 0],
    ]);
    expect(failed).toEqual([['c2']]);
  });
});
