// What a receiver keeps at hand per (connection, group conversation) to take a msg:N straight
// from its bytes (Receiver.tryPushedBytes): the conversation's and the current epoch's bytes
// to compare with, its ordering model and receipts, and the last sender's bytes and index in
// the ledger. Nothing here decides anything: it only saves decoding and looking up, per
// message, what was the same for the message before.
import type { ReceivedMessage } from '@parley/client/wire';
import type { OrderedDelivery } from './ordered-delivery';
import type { ConversationReceipts } from './verdict';

export interface ReceiveLane {
  readonly conversation: string;
  /** The conversation id's UTF-8 bytes as they came on the wire. */
  readonly conversationBytes: Uint8Array;
  readonly delivery: OrderedDelivery<ReceivedMessage>;
  readonly receipts: ConversationReceipts;
  /** The delivery's current epoch when `epochBytes` were taken (undefined: none yet). */
  epoch: string | undefined;
  epochBytes: Uint8Array;
  /** The last sender read here: its id's bytes, its id, and its index in the connection's ledger. */
  fromBytes: Uint8Array;
  from: string;
  sender: number;
}

const NO_BYTES = new Uint8Array(0);

export function newReceiveLane(conversation: string, conversationBytes: Uint8Array, delivery: OrderedDelivery<ReceivedMessage>, receipts: ConversationReceipts): ReceiveLane {
  return { conversation, conversationBytes, delivery, receipts, epoch: undefined, epochBytes: NO_BYTES, fromBytes: NO_BYTES, from: '', sender: -1 };
}
