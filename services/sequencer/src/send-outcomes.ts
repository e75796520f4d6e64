// What a msg:R comes to, as the records and frames the sequencer sends: the deliver-topic
// record of a sequenced message, and the sender's answer: msg:A, NOT_A_MEMBER, or the refusal
// of a client_seq out of the device's order (docs/PROTOCOL.md, "Devices and client_seq": the
// sequencer owns the sender's order, so it tells the sender).
import { assertNever, encodeDeliveryCommand, ErrorCode, FrameInit, isRetryable, type ConversationId } from '@parley/protocol';
import type { BusRecord, ClientSeqReused, OutOfOrder, Positioned } from '@parley/ports';
import { wireOrigin, type SendRequest, type Sender } from './send-envelope';

/** Where the answer to a request goes: its sender's connection on its gateway. */
export const answerTarget = (sender: Sender) => ({ gatewayId: sender.gatewayId, user: sender.user, connectionId: sender.connectionId });

/** The message with its position, for delivery (`duplicate`: a repeat of a msgId already sequenced, delivered again idempotently). */
export function sequencedRecord(request: SendRequest, assignment: Positioned): BusRecord {
  // The request's own message (the store kept a copy of it, and nothing else holds it) with
  // its position: no copy of every field per message.
  const message = request.assign.message;
  message.position = { epoch: assignment.epoch, seq: assignment.seq };
  return {
    key: request.assign.conversation,
    value: encodeDeliveryCommand({ sequenced: { message, duplicate: assignment.outcome === 'duplicate', origin: wireOrigin(request.sender) } }),
  };
}

/** msg:A: the message's position; its msg_id is the client's own (without the sender prefix). */
export const acceptedAnswer = (request: SendRequest, assignment: Positioned, nowMs: number): FrameInit => ({
  msgA: {
    msgId: request.assign.message.msgId,
    conversation: request.assign.conversation,
    position: { epoch: assignment.epoch, seq: assignment.seq },
    serverTimeMs: nowMs,
  },
});

/** A group send from someone who is not a member: never sequenced. */
export const notAMemberAnswer = (request: SendRequest, conversation: ConversationId): FrameInit => ({
  error: { code: ErrorCode.NOT_A_MEMBER, message: `not a member of ${conversation}`, retryable: false, msgId: request.assign.message.msgId },
});

/** The error frame for a msg:R the SeqStore refused for its client_seq; its msg_id is the client's own. */
export function orderRefusal(request: SendRequest, refusal: OutOfOrder | ClientSeqReused): FrameInit {
  const { conversation, clientSeq, message } = request.assign;
  switch (refusal.outcome) {
    case 'out_of_order':
      return {
        error: {
          code: ErrorCode.OUT_OF_ORDER,
          message: `client_seq ${clientSeq} of ${conversation} is ahead of ${refusal.expectedClientSeq}: resend from it, in order`,
          retryable: isRetryable(ErrorCode.OUT_OF_ORDER),
          msgId: message.msgId,
          expectedClientSeq: refusal.expectedClientSeq,
        },
      };
    case 'client_seq_reused':
      return {
        error: {
          code: ErrorCode.CLIENT_SEQ_REUSED,
          message: `client_seq ${clientSeq} of ${conversation} was already used by this device (last ${refusal.lastClientSeq}): a client that lost its counters must use a new device id`,
          retryable: isRetryable(ErrorCode.CLIENT_SEQ_REUSED),
          msgId: message.msgId,
        },
      };
    default:
      return assertNever(refusal);
  }
}
