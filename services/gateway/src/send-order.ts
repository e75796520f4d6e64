// Keeps one connection's msg:R in its sender's order per conversation after a refusal.
// A retryable refusal (rate limit, bus unavailable) makes the client retransmit that message
// later; messages it sent after it must not be sequenced first, so they are refused too
// (OUT_OF_ORDER, retryable) until the refused one comes again: go-back-N on client_seq.
import type { ConnectionState } from './connection';

/** Messages without a client_seq (0) are not numbered by their client: nothing is held for them. */
const UNNUMBERED = 0;

/** After a msg:R of `conversation` with `clientSeq` was refused with a retryable error. */
export function holdSendsAfter(state: ConnectionState, conversation: string, clientSeq: number): void {
  if (clientSeq === UNNUMBERED) return;
  const held = (state.resendFrom ??= new Map());
  const from = held.get(conversation);
  held.set(conversation, from === undefined ? clientSeq : Math.min(from, clientSeq));
}

/**
 * Whether a msg:R may go on: yes unless an earlier one of its conversation was refused and
 * this one comes after it. The refused one (or any earlier) coming again lifts the hold.
 * Returns the client_seq waited for when the message must be refused.
 */
export function heldFor(state: ConnectionState, conversation: string, clientSeq: number): number | undefined {
  const from = state.resendFrom?.get(conversation);
  if (from === undefined || clientSeq === UNNUMBERED) return undefined;
  if (clientSeq > from) return from;
  state.resendFrom!.delete(conversation);
  if (state.resendFrom!.size === 0) state.resendFrom = undefined;
  return undefined;
}
