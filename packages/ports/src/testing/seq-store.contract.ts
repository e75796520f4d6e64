/// <reference types="jest" />
// The SeqStore + MessageStore contract, run over every adapter (memory in unit tests,
// Redis in integration tests): what the sequencer relies on for "no seq reused, no gap,
// a retransmit gets its first answer, a lost store starts a new epoch".
import {
  asConversationId,
  asMsgId,
  parley,
  type ConversationId,
  type Epoch,
  type StoredMessage,
} from '@parley/protocol';
import type { MessageStore } from '../message-store';
import type { AssignRequest, Assignment, SeqStore } from '../seq-store';

export interface SeqStoreFixture {
  readonly seqStore: SeqStore;
  /** Reads what `seqStore` wrote. */
  readonly messageStore: MessageStore;
  /** Makes the store lose every conversation's counter, msgIds and messages. */
  loseData(): Promise<void>;
  close(): Promise<void>;
}

/** `make` is called once per test and must return a store with nothing in it. */
export function describeSeqStoreContract(name: string, make: () => Promise<SeqStoreFixture>): void {
  describe(`SeqStore contract: ${name}`, () => {
    let fixture: SeqStoreFixture;
    const alpha = asConversationId('d:alice:bob');
    const beta = asConversationId('d:alice:carol');

    beforeEach(async () => {
      fixture = await make();
    });
    afterEach(async () => {
      await fixture.close();
    });

    it('gives each conversation seqs 1..N in request order, in one epoch, independently of the others', async () => {
      const first = await fixture.seqStore.assign([
        request(alpha, 'a1'),
        request(beta, 'b1'),
        request(alpha, 'a2'),
        request(alpha, 'a3'),
        request(beta, 'b2'),
      ]);
      const second = await fixture.seqStore.assign([request(beta, 'b3'), request(alpha, 'a4')]);

      expect(first.map((a) => a.seq)).toEqual([1, 1, 2, 3, 2]);
      expect(second.map((a) => a.seq)).toEqual([3, 4]);
      expect([...first, ...second].every((a) => !a.duplicate)).toBe(true);
      const alphaEpochs = new Set([first[0], first[2], first[3], second[1]].map((a) => a!.epoch));
      const betaEpochs = new Set([first[1], first[4], second[0]].map((a) => a!.epoch));
      expect(alphaEpochs.size).toBe(1);
      expect(betaEpochs.size).toBe(1);
      expect([...alphaEpochs][0]).toMatch(/^[^:|]+$/);
    });

    it('answers a known msgId with its first position, marked duplicate, and stores nothing new', async () => {
      const [m1, m2] = await fixture.seqStore.assign([request(alpha, 'm1', 'first'), request(alpha, 'm2', 'second')]);
      const [again] = await fixture.seqStore.assign([request(alpha, 'm1', 'retransmit with other bytes')]);
      const [m3] = await fixture.seqStore.assign([request(alpha, 'm3', 'third')]);

      expect(again).toEqual<Assignment>({ epoch: m1!.epoch, seq: 1, duplicate: true });
      expect(m2!.seq).toBe(2);
      expect(m3).toEqual<Assignment>({ epoch: m1!.epoch, seq: 3, duplicate: false });
      const stored = await fixture.messageStore.get(alpha, [1, 2, 3, 4]);
      expect(stored.map(summary)).toEqual([
        { msgId: 'm1', text: 'first', epoch: m1!.epoch, seq: 1 },
        { msgId: 'm2', text: 'second', epoch: m1!.epoch, seq: 2 },
        { msgId: 'm3', text: 'third', epoch: m1!.epoch, seq: 3 },
      ]);
    });

    it('dedupes a msgId repeated inside one assign call', async () => {
      const results = await fixture.seqStore.assign([request(alpha, 'm1'), request(alpha, 'm1'), request(alpha, 'm2')]);
      expect(results.map(({ seq, duplicate }) => ({ seq, duplicate }))).toEqual([
        { seq: 1, duplicate: false },
        { seq: 1, duplicate: true },
        { seq: 2, duplicate: false },
      ]);
    });

    it('treats the same msgId in two conversations as two messages', async () => {
      const results = await fixture.seqStore.assign([request(alpha, 'same'), request(beta, 'same')]);
      expect(results.map(({ seq, duplicate }) => ({ seq, duplicate }))).toEqual([
        { seq: 1, duplicate: false },
        { seq: 1, duplicate: false },
      ]);
      expect((await fixture.messageStore.get(beta, [1])).map((m) => m.conversation)).toEqual([beta]);
    });

    it('reads stored messages with their position, in the order asked, leaving out missing seqs', async () => {
      const [a1, , a3] = await fixture.seqStore.assign([
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
      const before = await fixture.seqStore.assign([request(alpha, 'a1'), request(alpha, 'a2'), request(alpha, 'a3')]);
      const oldEpoch = before[0]!.epoch;

      await fixture.loseData();
      const after = await fixture.seqStore.assign([
        request(alpha, 'a1', 'a1 after the loss'),
        request(alpha, 'a4', 'a4 after the loss'),
      ]);
      const later = await fixture.seqStore.assign([request(alpha, 'a2'), request(alpha, 'a1')]);

      const newEpoch: Epoch = after[0]!.epoch;
      expect(newEpoch).not.toBe(oldEpoch);
      expect(after).toEqual<Assignment[]>([
        { epoch: newEpoch, seq: 1, duplicate: false },
        { epoch: newEpoch, seq: 2, duplicate: false },
      ]);
      expect(later).toEqual<Assignment[]>([
        { epoch: newEpoch, seq: 3, duplicate: false },
        { epoch: newEpoch, seq: 1, duplicate: true },
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
          fixture.seqStore.assign(
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
      expect(alphaResults.every((a) => !a.duplicate)).toBe(true);
      // Within one call, one conversation's requests are applied in array order.
      for (const result of results) {
        const callSeqs = result.slice(0, perCall).map((a) => a.seq);
        expect(callSeqs).toEqual([...callSeqs].sort((x, y) => x - y));
      }
      const betaSeqs = results.map((r) => r[perCall]!.seq).sort((x, y) => x - y);
      expect(betaSeqs).toEqual(Array.from({ length: calls }, (_, i) => i + 1));
    });
  });
}

function request(conversation: ConversationId, msgId: string, text = `text of ${msgId}`): AssignRequest {
  const [from = 'alice', to = 'bob'] = conversation.split(':').slice(1);
  const message = parley.v1.StoredMessage.create({
    conversation,
    msgId,
    fromUser: from,
    toUsers: [to],
    payload: new TextEncoder().encode(text),
    serverTimeMs: 1_700_000_000_123,
    clientSeq: 7,
    receivedAtMs: 1_700_000_000_100,
  });
  return { conversation, msgId: asMsgId(msgId), message };
}

function summary(message: StoredMessage): { msgId: string; text: string; epoch: string; seq: number } {
  return {
    msgId: message.msgId,
    text: new TextDecoder().decode(message.payload),
    epoch: message.position?.epoch ?? '',
    seq: Number(message.position?.seq ?? 0),
  };
}
