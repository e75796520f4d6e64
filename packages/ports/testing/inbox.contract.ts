/// <reference types="jest" />
// The Inbox contract, run over every adapter: what offline:R / offlineack:R rely on
// (idempotent adds, a stable order, paging after an entry that neither skips nor repeats).
import {
  asConversationId,
  asEpoch,
  asUserId,
  parley,
  type StoredMessage,
} from '@parley/protocol';
import type { Inbox, InboxRef } from '@parley/ports';

export interface InboxFixture {
  readonly inbox: Inbox;
  close(): Promise<void>;
}

/** `make` is called once per test and must return an inbox with nothing in it. */
export function describeInboxContract(name: string, make: () => Promise<InboxFixture>): void {
  describe(`Inbox contract: ${name}`, () => {
    let fixture: InboxFixture;
    const bob = asUserId('bob');
    const carol = asUserId('carol');

    beforeEach(async () => {
      fixture = await make();
    });
    afterEach(async () => {
      await fixture.close();
    });

    it('returns entries in (conversation, epoch, seq) order whatever the order they were added in', async () => {
      await fixture.inbox.add(
        [
          ref('conv-b', 'e1', 2),
          ref('conv-a', 'e2', 1),
          ref('conv-b', 'e1', 10),
          ref('conv-a', 'e1', 3),
          ref('conv-b', 'e1', 1),
          ref('conv-a', 'e1', 1),
        ].map((r) => ({ user: bob, message: message(r) })),
      );

      const page = await fixture.inbox.page(bob, undefined, 100);

      expect(page.messages.map(label)).toEqual([
        'conv-a/e1/1',
        'conv-a/e1/3',
        'conv-a/e2/1',
        'conv-b/e1/1',
        'conv-b/e1/2',
        'conv-b/e1/10',
      ]);
      expect(page.hasMore).toBe(false);
      expect(page.next).toBeUndefined();
    });

    it('hands back the stored message, position included', async () => {
      await fixture.inbox.add([{ user: bob, message: message(ref('conv-a', 'e1', 4)) }]);

      const [stored] = (await fixture.inbox.page(bob, undefined, 10)).messages;

      expect(stored!.conversation).toBe('conv-a');
      expect(stored!.position?.epoch).toBe('e1');
      expect(Number(stored!.position?.seq)).toBe(4);
      expect(stored!.msgId).toBe('msg-conv-a-e1-4');
      expect(stored!.fromUser).toBe('alice');
      expect(new TextDecoder().decode(stored!.payload)).toBe('payload conv-a/e1/4');
    });

    it('keeps one entry when the same (user, conversation, epoch, seq) is added twice', async () => {
      const r = ref('conv-a', 'e1', 1);
      await fixture.inbox.add([
        { user: bob, message: message(r) },
        { user: bob, message: message(r) },
      ]);
      await fixture.inbox.add([{ user: bob, message: message(r) }]);

      expect(await fixture.inbox.size(bob)).toBe(1);
      expect((await fixture.inbox.page(bob, undefined, 10)).messages.map(label)).toEqual(['conv-a/e1/1']);
    });

    it('keeps each user to their own entries', async () => {
      await fixture.inbox.add([
        { user: bob, message: message(ref('conv-a', 'e1', 1)) },
        { user: carol, message: message(ref('conv-a', 'e1', 1)) },
        { user: carol, message: message(ref('conv-a', 'e1', 2)) },
      ]);

      expect(await fixture.inbox.size(bob)).toBe(1);
      expect(await fixture.inbox.size(carol)).toBe(2);
      expect(await fixture.inbox.size(asUserId('dave'))).toBe(0);
      expect(await fixture.inbox.page(asUserId('dave'), undefined, 10)).toEqual({ messages: [], hasMore: false, next: undefined });
    });

    it('pages after the last entry returned, neither skipping nor repeating, and says when there is more', async () => {
      const refs = [1, 2, 3, 4, 5].map((seq) => ref('conv-a', 'e1', seq));
      await fixture.inbox.add(refs.map((r) => ({ user: bob, message: message(r) })));

      const first = await fixture.inbox.page(bob, undefined, 2);
      const second = await fixture.inbox.page(bob, first.next, 2);
      const third = await fixture.inbox.page(bob, second.next, 2);

      expect([first, second, third].map((p) => p.messages.map(label))).toEqual([
        ['conv-a/e1/1', 'conv-a/e1/2'],
        ['conv-a/e1/3', 'conv-a/e1/4'],
        ['conv-a/e1/5'],
      ]);
      expect([first.hasMore, second.hasMore, third.hasMore]).toEqual([true, true, false]);
      expect(first.next).toEqual(ref('conv-a', 'e1', 2));
      expect(third.next).toBeUndefined();
      // Paging does not remove anything.
      expect(await fixture.inbox.size(bob)).toBe(5);
    });

    it('says there is no more when the last page is exactly full', async () => {
      await fixture.inbox.add([1, 2].map((seq) => ({ user: bob, message: message(ref('conv-a', 'e1', seq)) })));

      const page = await fixture.inbox.page(bob, undefined, 2);

      expect(page.messages).toHaveLength(2);
      expect(page.hasMore).toBe(false);
      expect(page.next).toBeUndefined();
    });

    it('resumes after an entry even when it was removed meanwhile', async () => {
      await fixture.inbox.add([1, 2, 3, 4].map((seq) => ({ user: bob, message: message(ref('conv-a', 'e1', seq)) })));
      const first = await fixture.inbox.page(bob, undefined, 2);

      await fixture.inbox.remove(bob, [ref('conv-a', 'e1', 1), ref('conv-a', 'e1', 2)]);
      const second = await fixture.inbox.page(bob, first.next, 2);

      expect(second.messages.map(label)).toEqual(['conv-a/e1/3', 'conv-a/e1/4']);
      expect(second.hasMore).toBe(false);
    });

    it('removes the named entries, ignores absent ones, and counts only what it removed', async () => {
      await fixture.inbox.add([1, 2, 3].map((seq) => ({ user: bob, message: message(ref('conv-a', 'e1', seq)) })));
      await fixture.inbox.add([{ user: carol, message: message(ref('conv-a', 'e1', 2)) }]);

      const removed = await fixture.inbox.remove(bob, [
        ref('conv-a', 'e1', 2),
        ref('conv-a', 'e1', 9),
        ref('conv-a', 'e2', 1),
        ref('conv-z', 'e1', 1),
      ]);

      expect(removed).toBe(1);
      expect((await fixture.inbox.page(bob, undefined, 10)).messages.map(label)).toEqual(['conv-a/e1/1', 'conv-a/e1/3']);
      expect(await fixture.inbox.size(carol)).toBe(1);
      expect(await fixture.inbox.remove(bob, [ref('conv-a', 'e1', 2)])).toBe(0);
      expect(await fixture.inbox.remove(asUserId('dave'), [ref('conv-a', 'e1', 1)])).toBe(0);
      expect(await fixture.inbox.remove(bob, [])).toBe(0);
    });

    it('tells which entries it holds: added and not removed, per user', async () => {
      await fixture.inbox.add([1, 2].map((seq) => ({ user: bob, message: message(ref('conv-a', 'e1', seq)) })));
      await fixture.inbox.remove(bob, [ref('conv-a', 'e1', 1)]);
      expect(
        await fixture.inbox.holds([
          { user: bob, ref: ref('conv-a', 'e1', 1) },
          { user: bob, ref: ref('conv-a', 'e1', 2) },
          { user: carol, ref: ref('conv-a', 'e1', 2) },
          { user: bob, ref: ref('conv-a', 'e2', 2) },
        ]),
      ).toEqual([false, true, false, false]);
      expect(await fixture.inbox.holds([])).toEqual([]);
    });

    it('tells the lowest seq held per (user, conversation, epoch), undefined where none is held', async () => {
      await fixture.inbox.add(
        [ref('conv-a', 'e1', 4), ref('conv-a', 'e1', 2), ref('conv-a', 'e2', 7), ref('conv-a|x', 'e1', 1), ref('conv-b', 'e1', 9)].map((r) => ({ user: bob, message: message(r) })),
      );
      await fixture.inbox.add([{ user: carol, message: message(ref('conv-a', 'e1', 1)) }]);
      await fixture.inbox.remove(bob, [ref('conv-a', 'e1', 2)]);
      const q = (user: typeof bob, conversation: string, epoch: string) => ({ user, conversation: asConversationId(conversation), epoch: asEpoch(epoch) });

      expect(
        await fixture.inbox.firstHeld([q(bob, 'conv-a', 'e1'), q(bob, 'conv-a', 'e2'), q(bob, 'conv-a', 'e3'), q(bob, 'conv-c', 'e1'), q(carol, 'conv-a', 'e1'), q(carol, 'conv-b', 'e1'), q(bob, 'conv-a|x', 'e1')]),
      ).toEqual([4, 7, undefined, undefined, 1, undefined, 1]);
      expect(await fixture.inbox.firstHeld([])).toEqual([]);
    });

    it('takes an entry back after it was removed', async () => {
      const r = ref('conv-a', 'e1', 1);
      await fixture.inbox.add([{ user: bob, message: message(r) }]);
      await fixture.inbox.remove(bob, [r]);
      await fixture.inbox.add([{ user: bob, message: message(r) }]);

      expect((await fixture.inbox.page(bob, undefined, 10)).messages.map(label)).toEqual(['conv-a/e1/1']);
    });
  });
}

function ref(conversation: string, epoch: string, seq: number): InboxRef {
  return { conversation: asConversationId(conversation), epoch: asEpoch(epoch), seq };
}

function message(r: InboxRef): StoredMessage {
  const name = `${r.conversation}/${r.epoch}/${r.seq}`;
  return parley.v1.StoredMessage.create({
    conversation: r.conversation,
    position: { epoch: r.epoch, seq: r.seq },
    msgId: `msg-${r.conversation}-${r.epoch}-${r.seq}`,
    fromUser: 'alice',
    toUsers: ['bob'],
    payload: new TextEncoder().encode(`payload ${name}`),
    serverTimeMs: 1_700_000_000_000 + r.seq,
  });
}

function label(m: StoredMessage): string {
  return `${m.conversation}/${m.position?.epoch ?? '?'}/${Number(m.position?.seq ?? 0)}`;
}
