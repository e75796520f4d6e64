/// <reference types="jest" />
// The Membership contract, run over every adapter (memory in unit tests, Redis in
// integration tests): what group fan-out and the group commands rely on.
import { asUserId, groupConversationId, type UserId } from '@parley/protocol';
import type { Membership } from '../membership';

export interface MembershipFixture {
  readonly membership: Membership;
  close(): Promise<void>;
}

/** `make` is called once per test and must return a membership store with no group in it. */
export function describeMembershipContract(name: string, make: () => Promise<MembershipFixture>): void {
  describe(`Membership contract: ${name}`, () => {
    let fixture: MembershipFixture;
    let membership: Membership;
    const team = groupConversationId('team');
    const other = groupConversationId('other');
    const [alice, bob, carol, dave] = users('alice', 'bob', 'carol', 'dave');

    beforeEach(async () => {
      fixture = await make();
      membership = fixture.membership;
    });
    afterEach(async () => {
      await fixture.close();
    });

    it('creates a group with its members deduplicated and sorted', async () => {
      expect(await membership.create(team, [carol, alice, bob, alice])).toBe(true);

      expect(await membership.members(team)).toEqual([alice, bob, carol]);
      expect(await membership.members(other)).toEqual([]);
    });

    it('refuses to create a group that exists, changing nothing', async () => {
      await membership.create(team, [alice, bob]);

      expect(await membership.create(team, [carol, dave])).toBe(false);
      expect(await membership.create(team, [])).toBe(false);
      expect(await membership.members(team)).toEqual([alice, bob]);
    });

    it('lets exactly one of two concurrent creates of one group win', async () => {
      const results = await Promise.all([membership.create(team, [alice]), membership.create(team, [bob])]);

      expect([...results].sort()).toEqual([false, true]);
      expect(await membership.members(team)).toEqual(results[0] ? [alice] : [bob]);
    });

    it('adds then removes, and returns the members afterwards', async () => {
      await membership.create(team, [alice, bob]);

      // carol is added, dave is added and removed in the same change (removal wins), bob leaves.
      const after = await membership.change(team, [carol, dave, carol], [bob, dave, asUserId('never-there')]);

      expect(after).toEqual([alice, carol]);
      expect(await membership.members(team)).toEqual([alice, carol]);
      expect(await membership.change(team, [], [])).toEqual([alice, carol]);
    });

    it('keeps a group that lost all its members: it still exists', async () => {
      await membership.create(team, [alice]);

      expect(await membership.change(team, [], [alice])).toEqual([]);
      expect(await membership.members(team)).toEqual([]);
      expect(await membership.create(team, [bob])).toBe(false);
      expect(await membership.change(team, [bob], [])).toEqual([bob]);
    });

    it('changes nothing in a group that does not exist, and does not create it', async () => {
      expect(await membership.change(team, [alice], [])).toEqual([]);

      expect(await membership.members(team)).toEqual([]);
      expect(await membership.areMembers(team, [alice])).toEqual([false]);
      expect(await membership.create(team, [bob])).toBe(true);
      expect(await membership.members(team)).toEqual([bob]);
    });

    it('applies each change atomically: concurrent changes each see the others entirely or not at all', async () => {
      const base = users('m-00', 'm-01', 'm-02');
      await membership.create(team, base);
      const joiners = Array.from({ length: 30 }, (_, i) => asUserId(`j-${String(i).padStart(2, '0')}`));

      // Each change adds one user and removes one that is not there: every result is the
      // group after one whole change, so the results grow one user at a time.
      const results = await Promise.all(joiners.map((user, i) => membership.change(team, [user], [asUserId(`absent-${i}`)])));

      results.forEach((after, i) => expect(after).toContain(joiners[i]));
      const sizes = results.map((after) => after.length).sort((a, b) => a - b);
      expect(sizes).toEqual(joiners.map((_, i) => base.length + i + 1));
      const bySize = [...results].sort((a, b) => a.length - b.length);
      bySize.forEach((after, i) => {
        if (i > 0) expect(bySize[i - 1]!.every((user) => after.includes(user))).toBe(true);
      });
      expect(await membership.members(team)).toEqual([...base, ...joiners].sort());
    });

    it('answers areMembers once per asked user, in the order asked', async () => {
      await membership.create(team, [alice, carol]);
      await membership.create(other, [bob]);

      expect(await membership.areMembers(team, [bob, alice, dave, carol, alice])).toEqual([false, true, false, true, true]);
      expect(await membership.areMembers(other, [alice, bob])).toEqual([false, true]);
      expect(await membership.areMembers(groupConversationId('nobody'), [alice, bob])).toEqual([false, false]);
      expect(await membership.areMembers(team, [])).toEqual([]);
    });

    it('holds a large group', async () => {
      const many = Array.from({ length: 5_000 }, (_, i) => asUserId(`u${String(i).padStart(5, '0')}`));
      await membership.create(team, [...many].reverse());

      expect(await membership.members(team)).toEqual(many);
      const asked = [many[4_999]!, alice, many[0]!];
      expect(await membership.areMembers(team, asked)).toEqual([true, false, true]);
      const after = await membership.change(team, [alice], many.slice(0, 4_000));
      expect(after).toEqual([...many.slice(4_000), alice].sort());
    });
  });
}

function users(...names: string[]): UserId[] {
  return names.map(asUserId);
}
