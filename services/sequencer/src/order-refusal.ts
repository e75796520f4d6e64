// The answer to a msg:R the SeqStore refused for its client_seq (docs/PROTOCOL.md,
// "Devices and client_seq"): the sequencer owns the sender's order, so it tells the sender.
import { assertNever, ErrorCode, FrameInit, isRetryable } from '@parley/protocol';
import type { ClientSeqReused, OutOfOrder } from '@parley/ports';
import type { SendRequest } from './sequence-request';

/** The error frame for the sending connection; its msg_id is the client's own (without the sender prefix). */
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
