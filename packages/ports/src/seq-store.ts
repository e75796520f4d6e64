// The SeqStore port: assigns each accepted message its (epoch, seq) in its
// conversation and stores it, atomically, with client msgId deduplication and the
// sending device's client_seq order.
import type { Brand, ConversationId, DeviceId, Epoch, MsgId, Seq, StoredMessage, UserId } from '@parley/protocol';

/** `<user>/<device>`: one sending device of one user (user ids never contain `/`). */
export type SenderDevice = Brand<string, 'SenderDevice'>;

export const senderDevice = (user: UserId, device: DeviceId): SenderDevice => `${user}/${device}` as SenderDevice;

/** client_seq 0: the message is not numbered by its client; no order is enforced for it. */
export const UNNUMBERED_CLIENT_SEQ = 0;

export interface AssignRequest {
  readonly conversation: ConversationId;
  readonly msgId: MsgId;
  /** The device that sent the message: its client_seqs are counted per (device, conversation). */
  readonly sender: SenderDevice;
  /**
   * The device's number for this message in this conversation (1, 2, 3, ... with no gaps),
   * or UNNUMBERED_CLIENT_SEQ. A safe non-negative integer.
   */
  readonly clientSeq: number;
  /**
   * The message to store, without its position (the store sets it). Stored only when
   * the msgId is new in the conversation and the message is accepted.
   */
  readonly message: StoredMessage;
}

/** The message has a position: `new` (stored now) or `duplicate` (the msgId's first position, nothing written). */
export interface Positioned {
  readonly outcome: 'new' | 'duplicate';
  readonly epoch: Epoch;
  readonly seq: Seq;
}

/** Refused, nothing written: the device's previous client_seq here was `expectedClientSeq - 1`, this one is further ahead. */
export interface OutOfOrder {
  readonly outcome: 'out_of_order';
  readonly expectedClientSeq: number;
}

/** Refused, nothing written: a new msgId with a client_seq at or below the device's last one here. */
export interface ClientSeqReused {
  readonly outcome: 'client_seq_reused';
  readonly lastClientSeq: number;
}

export type Assignment = Positioned | OutOfOrder | ClientSeqReused;

export const isPositioned = (assignment: Assignment): assignment is Positioned =>
  assignment.outcome === 'new' || assignment.outcome === 'duplicate';

export interface SeqStore {
  /**
   * For each request, in order, atomically per request:
   * 1. when the conversation's counter is missing (never used, or lost by the store: a
   *    restart without persistence, a failover), starts a NEW epoch with seq 0 and no
   *    client_seq state;
   * 2. if (conversation, msgId) already has a position in the current epoch, returns it
   *    (`duplicate`), whatever the request's client_seq;
   * 3. with clientSeq c > 0 and the sender device's last sequenced client_seq `last` in
   *    this conversation and epoch: no `last` (the device's first message here, or the
   *    state was lost) or c == last + 1 goes on; c > last + 1 is refused `out_of_order`
   *    (expected last + 1); c <= last is refused `client_seq_reused`. A refusal writes
   *    nothing and takes no seq. clientSeq 0 is never checked and leaves `last` as is;
   * 4. increments seq, stores the message, the msgId -> position mapping and, for c > 0,
   *    c as the device's last client_seq (`new`).
   * A (epoch, seq) pair is never given to two messages. Requests for the same
   * conversation are applied in array order. Results are in request order.
   * Deduplication and the client_seq state hold for at least `dedupeWindowMs` of the
   * store's configuration after the conversation's last new message, and end with the epoch.
   */
  assign(requests: readonly AssignRequest[]): Promise<Assignment[]>;
}
