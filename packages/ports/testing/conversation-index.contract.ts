/// <reference types="jest" />
// The ConversationIndex contract, run over every adapter (memory in unit tests, Redis in
// integration tests): what the chat list and read receipts rely on.
import { asConversationId, asEpoch, asUserId, type ConversationId, type UserId } from '@parley/protocol';
import type { AckedPosition, ConversationActivity, ConversationIndex } from '@parley/ports';

export interface ConversationIndexFixture {
  readonly index: ConversationIndex;
  close(): Promise<void>;
}

/** Epochs as newEpoch makes them: the older one sorts first. */
const OLD_EPOCH = asEpoch('0lmx2k9qa00000000');
const NEW_EPOCH = asEpoch('0lmx2k9qb00000000');

/** `make` is called once per test and must return an index with nothing in it. */
export function describeConversationIndexContract(name: string, make: () => Promise<ConversationIndexFixture>): void {
  describe(`ConversationIndex contract: ${name}`, () => {
    let fixture: ConversationIndexFixture;
    let index: ConversationIndex;
    const alice = asUserId('alice');
    const bob = asUserId('bob');
    const carol = asUserId('carol');
    const direct = asConversationId('d:alice:bob');
    const team = asConversationId('g:team');
    const family = asConversationId('g:family');

    beforeEach(async () => {
      fixture = await make();
      index = fixture.index;
    });
    afterEach(async () => {
      await fixture.close();
    });

    it("lists a user's conversations most recent first, at most `limit`", async () => {
      await index.touch([
        activity(alice, direct, 1_000),
        activity(alice, team, 3_000),
        activity(alice, family, 2_000),
        activity(bob, direct, 1_000),
      ]);

      expect(summary(await index.list(alice, 10))).toEqual([
        [team, 3_000],
        [family, 2_000],
        [direct, 1_000],
      ]);
      expect(summary(await index.list(alice, 2))).toEqual([
        [team, 3_000],
        [family, 2_000],
      ]);
      expect(summary(await index.list(bob, 10))).toEqual([[direct, 1_000]]);
      expect(await index.list(carol, 10)).toEqual([]);
    });

    it('keeps the latest activity time: an earlier touch arriving late changes nothing', async () => {
      await index.touch([activity(alice, direct, 1_000), activity(alice, team, 2_000)]);
      await index.touch([activity(alice, direct, 5_000)]);
      await index.touch([activity(alice, direct, 4_000), activity(alice, team, 2_000)]);
      await index.touch([activity(alice, team, 3_000), activity(alice, team, 2_500)]);

      expect(summary(await index.list(alice, 10))).toEqual([
        [direct, 5_000],
        [team, 3_000],
      ]);
    });

    it('touches many users in one call', async () => {
      const members = Array.from({ length: 2_000 }, (_, i) => asUserId(`u${i}`));
      await index.touch(members.map((user) => activity(user, team, 7_000)));
      await index.touch([]);

      const lists = await Promise.all([members[0]!, members[999]!, members[1_999]!].map((user) => index.list(user, 10)));
      for (const list of lists) expect(summary(list)).toEqual([[team, 7_000]]);
    });

    it('keeps the highest acked seq within an epoch, ignoring lower seqs that arrive late', async () => {
      await index.ack([position(bob, direct, OLD_EPOCH, 5)]);
      await index.ack([position(bob, direct, OLD_EPOCH, 3), position(bob, direct, OLD_EPOCH, 9), position(bob, direct, OLD_EPOCH, 7)]);
      await index.ack([position(bob, direct, OLD_EPOCH, 8)]);

      expect(await index.acked(direct, [bob])).toEqual([{ epoch: OLD_EPOCH, seq: 9 }]);
    });

    it('replaces the acked position with one of a later epoch, even at a lower seq, and ignores a late one of an earlier epoch', async () => {
      await index.ack([position(bob, direct, OLD_EPOCH, 500)]);
      await index.ack([position(bob, direct, NEW_EPOCH, 2)]);
      expect(await index.acked(direct, [bob])).toEqual([{ epoch: NEW_EPOCH, seq: 2 }]);

      await index.ack([position(bob, direct, OLD_EPOCH, 501)]);
      await index.ack([position(bob, direct, NEW_EPOCH, 1)]);
      expect(await index.acked(direct, [bob])).toEqual([{ epoch: NEW_EPOCH, seq: 2 }]);
    });

    it('answers acked once per asked user, in order, undefined where nothing was acked', async () => {
      await index.ack([
        position(alice, team, OLD_EPOCH, 4),
        position(carol, team, OLD_EPOCH, 2),
        position(bob, family, OLD_EPOCH, 6),
      ]);

      expect(await index.acked(team, [carol, bob, alice, carol])).toEqual([
        { epoch: OLD_EPOCH, seq: 2 },
        undefined,
        { epoch: OLD_EPOCH, seq: 4 },
        { epoch: OLD_EPOCH, seq: 2 },
      ]);
      expect(await index.acked(family, [bob])).toEqual([{ epoch: OLD_EPOCH, seq: 6 }]);
      expect(await index.acked(team, [])).toEqual([]);
    });

    it('lists each conversation with what the user acked in it', async () => {
      await index.touch([activity(bob, direct, 1_000), activity(bob, team, 2_000)]);
      await index.ack([position(bob, direct, OLD_EPOCH, 12), position(alice, team, OLD_EPOCH, 3)]);

      expect(await index.list(bob, 10)).toEqual([
        { conversation: team, lastActivityMs: 2_000, acked: undefined, read: undefined },
        { conversation: direct, lastActivityMs: 1_000, acked: { epoch: OLD_EPOCH, seq: 12 }, read: undefined },
      ]);
    });

    it('keeps read positions apart from acked ones, by the same rule: never moved back by a lower seq or an older epoch', async () => {
      await index.touch([activity(bob, direct, 1_000)]);
      await index.ack([position(bob, direct, OLD_EPOCH, 9)]);
      await index.read([position(bob, direct, OLD_EPOCH, 4)]);
      await index.read([position(bob, direct, OLD_EPOCH, 2), position(bob, direct, OLD_EPOCH, 6)]);
      await index.read([position(bob, direct, OLD_EPOCH, 5)]);
      expect(await index.reads(direct, [bob, alice])).toEqual([{ epoch: OLD_EPOCH, seq: 6 }, undefined]);
      expect(await index.acked(direct, [bob])).toEqual([{ epoch: OLD_EPOCH, seq: 9 }]);
      expect(await index.list(bob, 10)).toEqual([
        { conversation: direct, lastActivityMs: 1_000, acked: { epoch: OLD_EPOCH, seq: 9 }, read: { epoch: OLD_EPOCH, seq: 6 } },
      ]);

      await index.read([position(bob, direct, NEW_EPOCH, 1)]);
      await index.read([position(bob, direct, OLD_EPOCH, 700)]);
      expect(await index.reads(direct, [bob])).toEqual([{ epoch: NEW_EPOCH, seq: 1 }]);
      expect(await index.reads(direct, [])).toEqual([]);
    });
  });
}

function activity(user: UserId, conversation: ConversationId, atMs: number): ConversationActivity {
  return { user, conversation, atMs };
}

function position(user: UserId, conversation: ConversationId, epoch: AckedPosition['epoch'], seq: number): AckedPosition {
  return { user, conversation, epoch, seq };
}

function summary(entries: ReadonlyArray<{ conversation: ConversationId; lastActivityMs: number }>): Array<[string, number]> {
  return entries.map((entry) => [entry.conversation, entry.lastActivityMs]);
}
