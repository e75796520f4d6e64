// The registry finds a user's links (all, or the one with a connection id) whether the
// user holds one connection or several, and forgets exactly the links removed.
import { asConnectionId, asUserId } from '@parley/protocol';
import type { ClientLink } from '../../src/client-link';
import { ConnectionState } from '../../src/connection';
import { ConnectionRegistry } from '../../src/connection-registry';

const link = (user: string, connectionId: string): ClientLink => ({
  transport: 'websocket',
  state: new ConnectionState(asUserId(user), asConnectionId(connectionId)),
  send: () => undefined,
  close: () => undefined,
  bufferedBytes: () => 0,
});

const ids = (links: readonly ClientLink[]): string[] => links.map((l) => l.state.connectionId).sort();

describe('the connection registry', () => {
  it('finds a single connection by user and by connection id', () => {
    const registry = new ConnectionRegistry();
    const alice = link('alice', 'a1');
    registry.add(alice);
    expect(registry.find(asUserId('alice'), '')).toEqual([alice]);
    expect(registry.find(asUserId('alice'), asConnectionId('a1'))).toEqual([alice]);
    expect(registry.find(asUserId('alice'), asConnectionId('other'))).toEqual([]);
    expect(registry.find(asUserId('bob'), '')).toEqual([]);
    expect(registry.size).toBe(1);
  });

  it('holds several connections of one user and removes them one by one', () => {
    const registry = new ConnectionRegistry();
    const [a1, a2, a3] = [link('alice', 'a1'), link('alice', 'a2'), link('alice', 'a3')];
    for (const l of [a1, a2, a3]) registry.add(l);
    expect(ids(registry.find(asUserId('alice'), ''))).toEqual(['a1', 'a2', 'a3']);
    expect(registry.find(asUserId('alice'), asConnectionId('a2'))).toEqual([a2]);
    registry.remove(a2);
    expect(ids(registry.find(asUserId('alice'), ''))).toEqual(['a1', 'a3']);
    registry.remove(a1);
    expect(registry.find(asUserId('alice'), '')).toEqual([a3]);
    expect(registry.find(asUserId('alice'), asConnectionId('a3'))).toEqual([a3]);
    registry.remove(a3);
    expect(registry.find(asUserId('alice'), '')).toEqual([]);
    expect(registry.size).toBe(0);
  });

  it('ignores adding a link twice and removing a link it does not hold', () => {
    const registry = new ConnectionRegistry();
    const [a1, a2] = [link('alice', 'a1'), link('alice', 'a2')];
    registry.add(a1);
    registry.add(a1);
    registry.remove(a2);
    registry.remove(link('bob', 'b1'));
    expect(registry.size).toBe(1);
    registry.add(a2);
    registry.add(a2);
    expect(registry.size).toBe(2);
    registry.remove(a1);
    registry.remove(a1);
    expect(registry.size).toBe(1);
    expect(registry.find(asUserId('alice'), '')).toEqual([a2]);
  });

  it('lists every link and every (user, connection id) for presence refreshes', () => {
    const registry = new ConnectionRegistry();
    const links = [link('alice', 'a1'), link('alice', 'a2'), link('bob', 'b1')];
    for (const l of links) registry.add(l);
    expect(ids(registry.all())).toEqual(['a1', 'a2', 'b1']);
    expect([...registry.entries()].map((e) => `${e.user}/${e.connectionId}`).sort()).toEqual(['alice/a1', 'alice/a2', 'bob/b1']);
    // A snapshot: closing (removing) while iterating it misses nothing.
    for (const l of registry.all()) registry.remove(l);
    expect(registry.size).toBe(0);
  });
});
