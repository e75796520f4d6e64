/// <reference types="jest" />
// The SeqStore + MessageStore contract, run over every adapter (memory in unit tests,
// Redis in integration tests): what the sequencer relies on for "no seq reused, no gap,
// a retransmit gets its first answer, a lost store starts a new epoch", and what history
// sync relies on: contiguous ranges, retention by count and age, "history is gone"
// told explicitly through oldestSeq.
import {
  asConversationId,
  asDeviceId,
  asEpoch,
  asMsgId,
  asUserId,
  parley,
  type ConversationId,
  type Epoch,
  type StoredMessage,
} from '@parley/protocol';
import {
  type Assignment,
  type AssignRequest,
  DEFAULT_RETENTION,
  FakeClock,
  isPositioned,
  type MessageRange,
  type MessageStore,
  type Positioned,
  type RetentionPolicy,
  senderDevice,
  type SeqStore,
  UNNUMBERED_CLIENT_SEQ,
} from '@parley/ports';

export interface SeqStoreFixture {
  readonly seqStore: SeqStore;
  /** Reads what `seqStore` wrote. */
  readonly messageStore: MessageStore;
  /** Makes the store lose every conversation's counter, msgIds and messages. */
  loseData(): Promise<void>;
  close(): Promise<void>;
}

/** What both stores of one fixture must be built with. */
export interface SeqStoreSetup {
  /** The time both stores read (new epochs, message age); the suite moves it. */
  readonly clock: FakeClock;
  readonly retention: RetentionPolicy;
}

interface OpenStores {
  readonly seqStore: SeqStore;
  readonly messageStore: MessageStore;
  loseData(): Promise<void>;
  readonly clock: FakeClock;
}

/** Server time of the suite's messages, unless a test stamps them with its clock. */
const SERVER_TIME_MS = 1_700_000_000_123;

/**
 * `make` is called at least once per test (again for each retention a test needs) and
 * must return stores with nothing in them, built with `setup`'s clock and retention.
 */
export function describeSeqStoreContract(name: string, make: (setup: SeqStoreSetup) => Promise<SeqStoreFixture>): void {
  describe(`SeqStore contract: ${name}`, () => {
    let fixture: OpenStores;
    let opened: SeqStoreFixture[];
    const alpha = asConversationId('d:alice:bob');
    const beta = asConversationId('d:alice:carol');

    /** Stores with their own clock and retention, closed after the test. */
    async function open(retention: RetentionPolicy = DEFAULT_RETENTION): Promise<OpenStores> {
      const clock = new FakeClock();
      const made = await make({ clock, retention });
      opened.push(made);
      return { seqStore: made.seqStore, messageStore: made.messageStore, loseData: () => made.loseData(), clock };
    }

    beforeEach(async () => {
      opened = [];
      fixture = await open();
    });
    afterEach(async () => {
      await Promise.all(opened.map((made) => made.close()));
    });

    it('gives each conversation seqs 1..N in request order, in one epoch, independently of the others', async () => {
      const first = await place(fixture.seqStore, [
        request(alpha, 'a1'),
        request(beta, 'b1'),
        request(alpha, 'a2'),
        request(alpha, 'a3'),
        request(beta, 'b2'),
      ]);
      const second = await place(fixture.seqStore, [request(beta, 'b3'), request(alpha, 'a4')]);

      expect(first.map((a) => a.seq)).toEqual([1, 1, 2, 3, 2]);
      expect(second.map((a) => a.seq)).toEqual([3, 4]);
      expect([...first, ...second].every((a) => a.outcome === 'new')).toBe(true);
      const alphaEpochs = new Set([first[0], first[2], first[3], second[1]].map((a) => a!.epoch));
      const betaEpochs = new Set([first[1], first[4], second[0]].map((a) => a!.epoch));
      expect(alphaEpochs.size).toBe(1);
      expect(betaEpochs.size).toBe(1);
      expect([...alphaEpochs][0]).toMatch(/^[^:|]+$/);
    });

    it('answers a known msgId with its first position, marked duplicate, and stores nothing new', async () => {
      const [m1, m2] = await place(fixture.seqStore, [request(alpha, 'm1', 'first'), request(alpha, 'm2', 'second')]);
      const [again] = await place(fixture.seqStore, [request(alpha, 'm1', 'retransmit with other bytes')]);
      const [m3] = await place(fixture.seqStore, [request(alpha, 'm3', 'third')]);

      expect(again).toEqual<Assignment>({ outcome: 'duplicate', epoch: m1!.epoch, seq: 1 });
      expect(m2!.seq).toBe(2);
      expect(m3).toEqual<Assignment>({ outcome: 'new', epoch: m1!.epoch, seq: 3 });
      const stored = await fixture.messageStore.get(alpha, [1, 2, 3, 4]);
      expect(stored.map(summary)).toEqual([
        { msgId: 'm1', text: 'first', epoch: m1!.epoch, seq: 1 },
        { msgId: 'm2', text: 'second', epoch: m1!.epoch, seq: 2 },
        { msgId: 'm3', text: 'third', epoch: m1!.epoch, seq: 3 },
      ]);
    });

    it('dedupes a msgId repeated inside one assign call', async () => {
      const results = await place(fixture.seqStore, [request(alpha, 'm1'), request(alpha, 'm1'), request(alpha, 'm2')]);
      expect(results.map(positionSummary)).toEqual([
        { outcome: 'new', seq: 1 },
        { outcome: 'duplicate', seq: 1 },
        { outcome: 'new', seq: 2 },
      ]);
    });

    it('treats the same msgId in two conversations as two messages', async () => {
      const results = await place(fixture.seqStore, [request(alpha, 'same'), request(beta, 'same')]);
      expect(results.map(positionSummary)).toEqual([
        { outcome: 'new', seq: 1 },
        { outcome: 'new', seq: 1 },
      ]);
      expect((await fixture.messageStore.get(beta, [1])).map((m) => m.conversation)).toEqual([beta]);
    });

    it('reads stored messages with their position, in the order asked, leaving out missing seqs', async () => {
      const [a1, , a3] = await place(fixture.seqStore, [
        request(alpha, 'a1', 'one'),
        request(alpha, 'a2', 'two'),
        request(alpha, 'a3', 'three'),
      ]);

      const stored = await fixture.messageStore.get(alpha, [3, 99, 1, 0]);

      expect(stored.map(summary)).toEqual([
        { msgId: 'a3', text: 'three', epoch: a3!.epoch, seq: 3 },
        { msgId: 'a1', text: 'one', epoch: a1!.epoch, seq: 1 },
      ]);
      const [third] = stored;
      expect(third!.conversation).toBe(alpha);
      expect(third!.fromUser).toBe('alice');
      expect(third!.toUsers).toEqual(['bob']);
      expect(Number(third!.serverTimeMs)).toBe(1_700_000_000_123);
      expect(Number(third!.clientSeq)).toBe(7);
      expect(await fixture.messageStore.get(asConversationId('d:nobody:here'), [1, 2])).toEqual([]);
      expect(await fixture.messageStore.get(alpha, [])).toEqual([]);
    });

    it('starts a NEW epoch at seq 1 after the store lost its data, and never returns the old epoch again', async () => {
      const before = await place(fixture.seqStore, [request(alpha, 'a1'), request(alpha, 'a2'), request(alpha, 'a3')]);
      const oldEpoch = before[0]!.epoch;

      await fixture.loseData();
      const after = await place(fixture.seqStore, [
        request(alpha, 'a1', 'a1 after the loss'),
        request(alpha, 'a4', 'a4 after the loss'),
      ]);
      const later = await place(fixture.seqStore, [request(alpha, 'a2'), request(alpha, 'a1')]);

      const newEpoch: Epoch = after[0]!.epoch;
      expect(newEpoch).not.toBe(oldEpoch);
      expect(after).toEqual<Assignment[]>([
        { outcome: 'new', epoch: newEpoch, seq: 1 },
        { outcome: 'new', epoch: newEpoch, seq: 2 },
      ]);
      expect(later).toEqual<Assignment[]>([
        { outcome: 'new', epoch: newEpoch, seq: 3 },
        { outcome: 'duplicate', epoch: newEpoch, seq: 1 },
      ]);
      const stored = await fixture.messageStore.get(alpha, [1, 2, 3, 4]);
      expect(stored.map(summary)).toEqual([
        { msgId: 'a1', text: 'a1 after the loss', epoch: newEpoch, seq: 1 },
        { msgId: 'a4', text: 'a4 after the loss', epoch: newEpoch, seq: 2 },
        { msgId: 'a2', text: 'text of a2', epoch: newEpoch, seq: 3 },
      ]);
    });

    it('never gives the same seq twice to concurrent assign calls on one conversation', async () => {
      const calls = 40;
      const perCall = 5;
      const results = await Promise.all(
        Array.from({ length: calls }, (_, call) =>
          place(fixture.seqStore, 
            Array.from({ length: perCall }, (_, i) => request(alpha, `c${call}-m${i}`)).concat(
              request(beta, `c${call}-other`),
            ),
          ),
        ),
      );

      const alphaResults = results.flatMap((r) => r.slice(0, perCall));
      const seqs = alphaResults.map((a) => a.seq).sort((x, y) => x - y);
      expect(seqs).toEqual(Array.from({ length: calls * perCall }, (_, i) => i + 1));
      expect(new Set(alphaResults.map((a) => a.epoch)).size).toBe(1);
      expect(alphaResults.every((a) => a.outcome === 'new')).toBe(true);
      // Within one call, one conversation's requests are applied in array order.
      for (const result of results) {
        const callSeqs = result.slice(0, perCall).map((a) => a.seq);
        expect(callSeqs).toEqual([...callSeqs].sort((x, y) => x - y));
      }
      const betaSeqs = results.map((r) => r[perCall]!.seq).sort((x, y) => x - y);
      expect(betaSeqs).toEqual(Array.from({ length: calls }, (_, i) => i + 1));
    });

    describe("the sender's order (client_seq per device and conversation)", () => {
      const outcomes = (assignments: readonly Assignment[]) => assignments.map(positionSummary);

      it('takes a device\'s messages 1, 2, 3 in order, one seq each', async () => {
        const assigned = await fixture.seqStore.assign([numbered(alpha, 'm1', 1), numbered(alpha, 'm2', 2)]);
        const third = await fixture.seqStore.assign([numbered(alpha, 'm3', 3)]);

        expect(outcomes([...assigned, ...third])).toEqual([
          { outcome: 'new', seq: 1 },
          { outcome: 'new', seq: 2 },
          { outcome: 'new', seq: 3 },
        ]);
        expect((await fixture.messageStore.get(alpha, [1, 2, 3])).map((m) => m.msgId)).toEqual(['m1', 'm2', 'm3']);
      });

      it('refuses a client_seq ahead of the next one with out_of_order naming the expected one, then takes the resend in order', async () => {
        await fixture.seqStore.assign([numbered(alpha, 'm1', 1)]);
        // m2 was refused before it reached the store (say its publish failed); m3 and m4 came on.
        const ahead = await fixture.seqStore.assign([numbered(alpha, 'm3', 3), numbered(alpha, 'm4', 4)]);
        const resent = await fixture.seqStore.assign([numbered(alpha, 'm2', 2), numbered(alpha, 'm3', 3), numbered(alpha, 'm4', 4)]);

        expect(ahead).toEqual<Assignment[]>([
          { outcome: 'out_of_order', expectedClientSeq: 2 },
          { outcome: 'out_of_order', expectedClientSeq: 2 },
        ]);
        expect(outcomes(resent)).toEqual([
          { outcome: 'new', seq: 2 },
          { outcome: 'new', seq: 3 },
          { outcome: 'new', seq: 4 },
        ]);
        expect((await fixture.messageStore.get(alpha, [1, 2, 3, 4])).map((m) => m.msgId)).toEqual(['m1', 'm2', 'm3', 'm4']);
      });

      it('applies the rule request by request inside one call', async () => {
        const results = await fixture.seqStore.assign([
          numbered(alpha, 'm1', 1),
          numbered(alpha, 'm3', 3),
          numbered(alpha, 'm2', 2),
          numbered(alpha, 'm3', 3),
        ]);
        expect(results).toEqual<Assignment[]>([
          { outcome: 'new', epoch: (results[0] as Positioned).epoch, seq: 1 },
          { outcome: 'out_of_order', expectedClientSeq: 2 },
          { outcome: 'new', epoch: (results[0] as Positioned).epoch, seq: 2 },
          { outcome: 'new', epoch: (results[0] as Positioned).epoch, seq: 3 },
        ]);
      });

      it('answers a retransmit of an old msgId with its position, whatever client_seq it carries', async () => {
        const [m1, m2] = await place(fixture.seqStore, [numbered(alpha, 'm1', 1), numbered(alpha, 'm2', 2), numbered(alpha, 'm3', 3)]);

        const again = await fixture.seqStore.assign([
          numbered(alpha, 'm1', 1),
          numbered(alpha, 'm2', 9),
          numbered(alpha, 'm2', 0),
          numbered(alpha, 'm1', 1, 'laptop'),
        ]);

        expect(again).toEqual<Assignment[]>([
          { outcome: 'duplicate', epoch: m1!.epoch, seq: 1 },
          { outcome: 'duplicate', epoch: m1!.epoch, seq: 2 },
          { outcome: 'duplicate', epoch: m1!.epoch, seq: 2 },
          { outcome: 'duplicate', epoch: m1!.epoch, seq: 1 },
        ]);
        // The duplicates moved nothing: 4 is still the next one.
        expect(outcomes(await fixture.seqStore.assign([numbered(alpha, 'm4', 4)]))).toEqual([{ outcome: 'new', seq: 4 }]);
        expect(m2!.seq).toBe(2);
      });

      it('refuses a new msgId with a client_seq the device already used (client_seq_reused)', async () => {
        await fixture.seqStore.assign([numbered(alpha, 'm1', 1), numbered(alpha, 'm2', 2)]);

        const reused = await fixture.seqStore.assign([numbered(alpha, 'other', 2), numbered(alpha, 'older', 1)]);

        expect(reused).toEqual<Assignment[]>([
          { outcome: 'client_seq_reused', lastClientSeq: 2 },
          { outcome: 'client_seq_reused', lastClientSeq: 2 },
        ]);
        expect(outcomes(await fixture.seqStore.assign([numbered(alpha, 'm3', 3)]))).toEqual([{ outcome: 'new', seq: 3 }]);
      });

      it('never checks client_seq 0, and 0 does not move the device\'s counter', async () => {
        const results = await fixture.seqStore.assign([
          numbered(alpha, 'u1', 0),
          numbered(alpha, 'm1', 1),
          numbered(alpha, 'u2', 0),
          numbered(alpha, 'u3', 0),
          numbered(alpha, 'm2', 2),
        ]);
        expect(outcomes(results)).toEqual([1, 2, 3, 4, 5].map((seq) => ({ outcome: 'new', seq })));
      });

      it('accepts any client_seq as the first of a device in a conversation, then holds it to the next one', async () => {
        const results = await fixture.seqStore.assign([numbered(alpha, 'm5', 5), numbered(alpha, 'm6', 6), numbered(alpha, 'm8', 8)]);
        expect(outcomes(results)).toEqual([
          { outcome: 'new', seq: 1 },
          { outcome: 'new', seq: 2 },
          { outcome: 'out_of_order' },
        ]);
        expect(results[2]).toEqual({ outcome: 'out_of_order', expectedClientSeq: 7 });
      });

      it('keeps one state per (device, conversation): two devices of one user, two users, two conversations', async () => {
        await fixture.seqStore.assign([numbered(alpha, 'p1', 1, 'phone'), numbered(alpha, 'p2', 2, 'phone')]);

        const results = await fixture.seqStore.assign([
          numbered(alpha, 'l1', 1, 'laptop'), // alice's other device starts at 1
          numbered(alpha, 'b1', 1, 'phone', 'bob'), // bob's device of the same name too
          numbered(beta, 'q1', 1, 'phone'), // the same device in another conversation
          numbered(alpha, 'p3', 3, 'phone'),
          numbered(alpha, 'l3', 3, 'laptop'),
          numbered(alpha, 'b2', 2, 'phone', 'bob'),
        ]);

        expect(outcomes(results)).toEqual([
          { outcome: 'new', seq: 3 },
          { outcome: 'new', seq: 4 },
          { outcome: 'new', seq: 1 },
          { outcome: 'new', seq: 5 },
          { outcome: 'out_of_order' },
          { outcome: 'new', seq: 6 },
        ]);
        expect(results[4]).toEqual({ outcome: 'out_of_order', expectedClientSeq: 2 });
      });

      it('starts over with a new epoch: once the store lost the counter, a device\'s first message is accepted whatever its client_seq', async () => {
        const [before] = await place(fixture.seqStore, [numbered(alpha, 'm1', 1), numbered(alpha, 'm2', 2), numbered(alpha, 'm3', 3)]);

        await fixture.loseData();
        const after = await fixture.seqStore.assign([
          numbered(alpha, 'm7', 7), // the device's 4..6 are in flight or refused: no state says so any more
          numbered(alpha, 'm9', 9),
          numbered(alpha, 'm8', 8),
          numbered(alpha, 'l2', 2, 'laptop'),
          numbered(alpha, 'again', 3),
        ]);

        const epoch = (after[0] as Positioned).epoch;
        expect(epoch).not.toBe(before!.epoch);
        expect(after).toEqual<Assignment[]>([
          { outcome: 'new', epoch, seq: 1 },
          { outcome: 'out_of_order', expectedClientSeq: 8 },
          { outcome: 'new', epoch, seq: 2 },
          { outcome: 'new', epoch, seq: 3 },
          { outcome: 'client_seq_reused', lastClientSeq: 8 },
        ]);
      });

      it('writes nothing for a refused message: no seq taken, no msgId remembered, nothing stored', async () => {
        await fixture.seqStore.assign([numbered(alpha, 'm1', 1)]);

        const refused = await fixture.seqStore.assign([numbered(alpha, 'm3', 3), numbered(alpha, 'reuse', 1)]);
        expect(refused.map((a) => a.outcome)).toEqual(['out_of_order', 'client_seq_reused']);
        expect(rangeSummary(await fixture.messageStore.range(alpha, 0, 10))).toMatchObject({ latestSeq: 1, seqs: [1] });
        expect(await fixture.messageStore.get(alpha, [2, 3])).toEqual([]);

        // The refused msgIds are new when they come in order: they were never given a position.
        const later = await fixture.seqStore.assign([numbered(alpha, 'm2', 2), numbered(alpha, 'm3', 3), numbered(alpha, 'reuse', 4)]);
        expect(outcomes(later)).toEqual([
          { outcome: 'new', seq: 2 },
          { outcome: 'new', seq: 3 },
          { outcome: 'new', seq: 4 },
        ]);
        expect((await fixture.messageStore.get(alpha, [1, 2, 3, 4])).map((m) => m.msgId)).toEqual(['m1', 'm2', 'm3', 'reuse']);
      });
    });

    describe('range', () => {
      it('pages through the conversation in seq order, contiguous, with positions, at most `limit` per call', async () => {
        const assigned = await place(fixture.seqStore, 
          Array.from({ length: 7 }, (_, i) => request(alpha, `a${i + 1}`)).concat(request(beta, 'b1')),
        );
        const epoch = assigned[0]!.epoch;

        const first = await fixture.messageStore.range(alpha, 0, 3);
        const second = await fixture.messageStore.range(alpha, 3, 3);
        const last = await fixture.messageStore.range(alpha, 6, 3);
        const past = await fixture.messageStore.range(alpha, 7, 3);

        expect(rangeSummary(first)).toEqual({ epoch, latestSeq: 7, oldestSeq: 1, seqs: [1, 2, 3] });
        expect(rangeSummary(second)).toEqual({ epoch, latestSeq: 7, oldestSeq: 1, seqs: [4, 5, 6] });
        expect(rangeSummary(last)).toEqual({ epoch, latestSeq: 7, oldestSeq: 1, seqs: [7] });
        expect(rangeSummary(past)).toEqual({ epoch, latestSeq: 7, oldestSeq: 1, seqs: [] });
        expect(rangeSummary(await fixture.messageStore.range(alpha, 50, 3))).toEqual({ epoch, latestSeq: 7, oldestSeq: 1, seqs: [] });
        expect(second.messages.map(summary)).toEqual([4, 5, 6].map((seq) => ({ msgId: `a${seq}`, text: `text of a${seq}`, epoch, seq })));
        expect(second.messages[0]!.conversation).toBe(alpha);
        expect(Number(second.messages[0]!.serverTimeMs)).toBe(SERVER_TIME_MS);
        expect(rangeSummary(await fixture.messageStore.range(beta, 0, 10))).toMatchObject({ latestSeq: 1, oldestSeq: 1, seqs: [1] });
      });

      it('answers an unknown conversation with no epoch and nothing kept, and refuses a bad limit or afterSeq', async () => {
        expect(await fixture.messageStore.range(alpha, 0, 10)).toEqual<MessageRange>({
          epoch: asEpoch(''),
          latestSeq: 0,
          oldestSeq: 1,
          messages: [],
        });
        await expect(fixture.messageStore.range(alpha, 0, 0)).rejects.toThrow(RangeError);
        await expect(fixture.messageStore.range(alpha, -1, 10)).rejects.toThrow(RangeError);
        await expect(fixture.messageStore.range(alpha, 1.5, 10)).rejects.toThrow(RangeError);
      });

      it('keeps only the newest maxMessages: older ones are deleted when a newer one is stored', async () => {
        const stores = await open({ maxMessages: 5, maxAgeMs: DEFAULT_RETENTION.maxAgeMs });
        const assigned = await place(stores.seqStore, Array.from({ length: 9 }, (_, i) => request(alpha, `a${i + 1}`)));
        await place(stores.seqStore, [request(alpha, 'a10'), request(alpha, 'a11'), request(alpha, 'a12')]);
        await place(stores.seqStore, [request(beta, 'b1'), request(beta, 'b2')]);
        const epoch = assigned[0]!.epoch;

        expect(rangeSummary(await stores.messageStore.range(alpha, 0, 100))).toEqual({ epoch, latestSeq: 12, oldestSeq: 8, seqs: [8, 9, 10, 11, 12] });
        // The caller was at 2: afterSeq + 1 < oldestSeq tells it 3..7 are gone.
        expect(rangeSummary(await stores.messageStore.range(alpha, 2, 2))).toEqual({ epoch, latestSeq: 12, oldestSeq: 8, seqs: [8, 9] });
        expect(rangeSummary(await stores.messageStore.range(alpha, 9, 100))).toEqual({ epoch, latestSeq: 12, oldestSeq: 8, seqs: [10, 11, 12] });
        const all = Array.from({ length: 12 }, (_, i) => i + 1);
        expect((await stores.messageStore.get(alpha, all)).map((m) => Number(m.position?.seq))).toEqual([8, 9, 10, 11, 12]);
        expect(rangeSummary(await stores.messageStore.range(beta, 0, 100))).toMatchObject({ latestSeq: 2, oldestSeq: 1, seqs: [1, 2] });
        // Deduplication outlives the message: a retransmit of a trimmed one is still a duplicate.
        expect(await place(stores.seqStore, [request(alpha, 'a1')])).toEqual<Assignment[]>([{ outcome: 'duplicate', epoch, seq: 1 }]);
        expect(rangeSummary(await stores.messageStore.range(alpha, 0, 100)).seqs).toEqual([8, 9, 10, 11, 12]);
      });

      it('treats messages older than maxAgeMs as gone, and moves oldestSeq past them', async () => {
        const stores = await open({ maxMessages: 1_000, maxAgeMs: 60_000 });
        const { clock } = stores;
        const stamped = (msgId: string): AssignRequest => request(alpha, msgId, `text of ${msgId}`, clock.now());
        const [first] = await place(stores.seqStore, [stamped('a1'), stamped('a2'), stamped('a3')]);
        clock.advance(30_000);
        await place(stores.seqStore, [stamped('a4'), stamped('a5')]);
        const epoch = first!.epoch;

        // a1..a3 are 60,001 ms old, a4 and a5 30,001 ms.
        clock.advance(30_001);
        // Asked from past the expired ones first, so the store must notice them without reading them.
        expect(rangeSummary(await stores.messageStore.range(alpha, 4, 10))).toEqual({ epoch, latestSeq: 5, oldestSeq: 4, seqs: [5] });
        expect(rangeSummary(await stores.messageStore.range(alpha, 0, 10))).toEqual({ epoch, latestSeq: 5, oldestSeq: 4, seqs: [4, 5] });
        expect(rangeSummary(await stores.messageStore.range(alpha, 1, 1))).toEqual({ epoch, latestSeq: 5, oldestSeq: 4, seqs: [4] });

        // Exactly maxAgeMs old is still kept; one ms more is not.
        clock.advance(29_999);
        expect(rangeSummary(await stores.messageStore.range(alpha, 0, 10)).seqs).toEqual([4, 5]);
        clock.advance(1);
        expect(rangeSummary(await stores.messageStore.range(alpha, 0, 10))).toEqual({ epoch, latestSeq: 5, oldestSeq: 6, seqs: [] });
        expect(rangeSummary(await stores.messageStore.range(alpha, 5, 10))).toEqual({ epoch, latestSeq: 5, oldestSeq: 6, seqs: [] });

        // The conversation goes on in the same epoch.
        expect(await place(stores.seqStore, [stamped('a6')])).toEqual<Assignment[]>([{ outcome: 'new', epoch, seq: 6 }]);
        expect(rangeSummary(await stores.messageStore.range(alpha, 0, 10))).toEqual({ epoch, latestSeq: 6, oldestSeq: 6, seqs: [6] });
      });

      it('finds the oldest kept message deep in a long expired history', async () => {
        const stores = await open({ maxMessages: 5_000, maxAgeMs: 60_000 });
        const { clock } = stores;
        for (let from = 1; from <= 3_000; from += 500) {
          await place(stores.seqStore, 
            Array.from({ length: 500 }, (_, i) => request(alpha, `a${from + i}`, `text ${from + i}`, clock.now())),
          );
          clock.advance(1_000);
        }
        // Batches stamped t0, t0+1s, ..., t0+5s; at t0+64.5s the cutoff is t0+4.5s: seqs 1..2500 are expired.
        clock.advance(58_500);

        expect(rangeSummary(await stores.messageStore.range(alpha, 10, 3))).toMatchObject({ latestSeq: 3_000, oldestSeq: 2_501, seqs: [2_501, 2_502, 2_503] });
        expect(rangeSummary(await stores.messageStore.range(alpha, 2_998, 3))).toMatchObject({ latestSeq: 3_000, oldestSeq: 2_501, seqs: [2_999, 3_000] });
      });

      it('trims by count and by age together, whichever removes more', async () => {
        const stores = await open({ maxMessages: 4, maxAgeMs: 60_000 });
        const { clock } = stores;
        await place(stores.seqStore, Array.from({ length: 6 }, (_, i) => request(alpha, `a${i + 1}`, 'old', clock.now())));
        clock.advance(30_000);
        await place(stores.seqStore, [request(alpha, 'a7', 'newer', clock.now())]);

        expect(rangeSummary(await stores.messageStore.range(alpha, 0, 10))).toMatchObject({ latestSeq: 7, oldestSeq: 4, seqs: [4, 5, 6, 7] });
        clock.advance(30_001);
        expect(rangeSummary(await stores.messageStore.range(alpha, 0, 10))).toMatchObject({ latestSeq: 7, oldestSeq: 7, seqs: [7] });
      });

      it('returns only the new epoch after the store lost its data', async () => {
        const before = await place(fixture.seqStore, [request(alpha, 'a1'), request(alpha, 'a2'), request(alpha, 'a3')]);

        await fixture.loseData();
        const after = await place(fixture.seqStore, [request(alpha, 'x1', 'after the loss')]);

        const range = await fixture.messageStore.range(alpha, 0, 10);
        expect(after[0]!.epoch).not.toBe(before[0]!.epoch);
        expect(rangeSummary(range)).toEqual({ epoch: after[0]!.epoch, latestSeq: 1, oldestSeq: 1, seqs: [1] });
        expect(range.messages.map(summary)).toEqual([{ msgId: 'x1', text: 'after the loss', epoch: after[0]!.epoch, seq: 1 }]);
      });
    });
  });
}

function request(
  conversation: ConversationId,
  msgId: string,
  text = `text of ${msgId}`,
  serverTimeMs = SERVER_TIME_MS,
): AssignRequest {
  const [from = 'alice', to = 'bob'] = conversation.split(':').slice(1);
  const message = parley.v1.StoredMessage.create({
    conversation,
    msgId,
    fromUser: from,
    toUsers: [to],
    payload: new TextEncoder().encode(text),
    serverTimeMs,
    clientSeq: 7,
    receivedAtMs: 1_700_000_000_100,
  });
  return { conversation, msgId: asMsgId(msgId), sender: senderDevice(asUserId(from), asDeviceId('phone')), clientSeq: UNNUMBERED_CLIENT_SEQ, message };
}

/** A message numbered by its device: `clientSeq` from `user`'s device `device`. */
function numbered(conversation: ConversationId, msgId: string, clientSeq: number, device = 'phone', user = 'alice'): AssignRequest {
  return { ...request(conversation, msgId), sender: senderDevice(asUserId(user), asDeviceId(device)), clientSeq };
}

/** assign() for requests that must all get a position (the order rules never refuse them here). */
async function place(seqStore: SeqStore, requests: readonly AssignRequest[]): Promise<Positioned[]> {
  const assignments = await seqStore.assign(requests);
  return assignments.map((assignment) => {
    if (!isPositioned(assignment)) throw new Error(`expected a position, got ${JSON.stringify(assignment)}`);
    return assignment;
  });
}

function positionSummary(assignment: Assignment): { outcome: string; seq?: number } {
  return isPositioned(assignment) ? { outcome: assignment.outcome, seq: assignment.seq } : { outcome: assignment.outcome };
}

function summary(message: StoredMessage): { msgId: string; text: string; epoch: string; seq: number } {
  return {
    msgId: message.msgId,
    text: new TextDecoder().decode(message.payload),
    epoch: message.position?.epoch ?? '',
    seq: Number(message.position?.seq ?? 0),
  };
}

/** What a range says, with its messages reduced to their seqs (checked contiguous by comparing with a list). */
function rangeSummary(range: MessageRange): { epoch: string; latestSeq: number; oldestSeq: number; seqs: number[] } {
  for (const message of range.messages) expect(message.position?.epoch).toBe(range.epoch);
  return {
    epoch: range.epoch,
    latestSeq: range.latestSeq,
    oldestSeq: range.oldestSeq,
    seqs: range.messages.map((message) => Number(message.position?.seq)),
  };
}
