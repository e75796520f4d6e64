import { FakeClock } from '@parley/ports';
import { asConversationId, asUserId } from '@parley/protocol';
import { createMemoryInfrastructure } from '@parley/composition';
import { BatchScope } from '../../src/batch-scope';

describe('BatchScope activity', () => {
  it('records one entry per (user, conversation) per batch, at the latest time, however many messages touched it', () => {
    const { presence, membership } = createMemoryInfrastructure(new FakeClock());
    const scope = new BatchScope({ presence, membership, appEvents: false });
    const team = asConversationId('g:team');
    const pair = asConversationId('d:alice:bob');
    const members = [asUserId('alice'), asUserId('bob'), asUserId('carol')];
    for (let t = 1; t <= 500; t++) scope.touch(team, members, t); // one group message after another
    scope.touch(team, [asUserId('dave')], 300); // a member seen through another list
    scope.touch(pair, [asUserId('alice'), asUserId('bob')], 7);
    scope.touch(pair, [asUserId('bob'), asUserId('alice')], 9);
    const activity = scope.activity().map((a) => `${a.conversation}:${a.user}@${a.atMs}`).sort();
    expect(activity).toEqual(['d:alice:bob:alice@9', 'd:alice:bob:bob@9', 'g:team:alice@500', 'g:team:bob@500', 'g:team:carol@500', 'g:team:dave@500'].sort());
  });
});

describe('BatchScope presence reads', () => {
  it('looks each user up once per batch, in order, for short and long lists with repeats', async () => {
    const { presence, membership } = createMemoryInfrastructure(new FakeClock());
    const looked: string[][] = [];
    const counting = { lookup: (users: readonly ReturnType<typeof asUserId>[]) => (looked.push([...users]), presence.lookup(users)) };
    const scope = new BatchScope({ presence: counting, membership, appEvents: false });
    const users = (...names: string[]) => names.map(asUserId);
    await scope.connectionsOf(users('a', 'b', 'a', 'b'));
    const many = Array.from({ length: 40 }, (_, i) => `u${i % 25}`);
    await scope.connectionsOf(users('b', 'c', ...many, 'c', 'a'));
    await scope.connectionsOf(users('a', 'u3'));
    expect(looked).toEqual([['a', 'b'], ['c', ...Array.from({ length: 25 }, (_, i) => `u${i}`)]]);
    const online = await scope.connectionsOf(users('a'));
    expect(online.get(asUserId('u24'))).toEqual([]);
  });
});
