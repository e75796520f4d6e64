// The sequencer's rule for client tests (docs/PROTOCOL.md "Devices and client_seq"), exactly:
// per conversation and epoch, a msgId already sequenced (by the same sender) keeps its
// position whatever its client_seq; a new msgId with client_seq c > 0 is accepted when
// the sender's device has no state here (its first message, or the state was lost), or
// c == last + 1; c > last + 1 is refused OUT_OF_ORDER with expected_client_seq = last + 1;
// c <= last is refused CLIENT_SEQ_REUSED. client_seq 0 is accepted unordered.
import { ErrorCode } from '@parley/protocol';

export type SequenceResult =
  | { readonly kind: 'accepted'; readonly seq: number; readonly duplicate: boolean }
  | { readonly kind: 'refused'; readonly code: number; readonly retryable: boolean; readonly expectedClientSeq: number; readonly message: string };

export interface SequencedEntry {
  readonly conversation: string;
  readonly epoch: string;
  readonly seq: number;
  readonly msgId: string;
  readonly user: string;
  readonly device: string;
  readonly clientSeq: number;
}

interface ConversationState {
  epoch: string;
  /** `<user> <msgId>` → seq. */
  readonly byMsgId: Map<string, number>;
  /** `<user>/<device>` → last client_seq sequenced. */
  readonly senders: Map<string, number>;
}

export class ModelSequencer {
  /** Every new position, in the order taken. */
  readonly log: SequencedEntry[] = [];
  private readonly conversations = new Map<string, ConversationState>();

  constructor(
    /** Takes the conversation's next seq (shared with messages published by the test). */
    private readonly takeSeq: (conversation: string) => number,
    private readonly epochOf: (conversation: string) => string,
  ) {}

  sequence(conversation: string, user: string, device: string, msgId: string, clientSeq: number): SequenceResult {
    const state = this.state(conversation);
    const known = state.byMsgId.get(`${user} ${msgId}`);
    if (known !== undefined) return { kind: 'accepted', seq: known, duplicate: true };
    const sender = `${user}/${device}`;
    if (clientSeq > 0) {
      const last = state.senders.get(sender);
      if (last !== undefined && clientSeq > last + 1) {
        return { kind: 'refused', code: ErrorCode.OUT_OF_ORDER, retryable: true, expectedClientSeq: last + 1, message: `expected client_seq ${last + 1}` };
      }
      if (last !== undefined && clientSeq <= last) {
        return { kind: 'refused', code: ErrorCode.CLIENT_SEQ_REUSED, retryable: false, expectedClientSeq: 0, message: `client_seq ${clientSeq} already used` };
      }
      state.senders.set(sender, clientSeq);
    }
    const seq = this.takeSeq(conversation);
    state.byMsgId.set(`${user} ${msgId}`, seq);
    this.log.push({ conversation, epoch: state.epoch, seq, msgId, user, device, clientSeq });
    return { kind: 'accepted', seq, duplicate: false };
  }

  /** The store lost the conversation's state (a new epoch starts): no dedupe data, no sender counters. */
  forget(conversation: string): void {
    this.conversations.delete(conversation);
  }

  private state(conversation: string): ConversationState {
    const epoch = this.epochOf(conversation);
    let state = this.conversations.get(conversation);
    if (!state || state.epoch !== epoch) {
      state = { epoch, byMsgId: new Map(), senders: new Map() };
      this.conversations.set(conversation, state);
    }
    return state;
  }
}
