// How the message stores and inboxes keep a stored message, memory and Redis adapters alike:
// where it goes in an inbox, and its encoded body read back with the position its key names.
import { asConversationId, asEpoch, decodeStoredMessage, type Epoch, type Seq, type StoredMessage } from '@parley/protocol';
import type { InboxRef } from './inbox';

/** Where a stored message goes in an inbox; throws when its position is not set. */
export function inboxRefOf(message: StoredMessage): InboxRef {
  if (!message.position?.epoch) throw new Error(`inbox addition without a position (msgId ${message.msgId})`);
  return {
    conversation: asConversationId(message.conversation),
    epoch: asEpoch(message.position.epoch),
    seq: Number(message.position.seq ?? 0),
  };
}

/**
 * A fresh message decoded from a stored body, with the position the store's key gives it, so
 * `seq` is a plain number whatever the decoder made of the uint64 (and callers may set fields
 * on what they get).
 */
export function storedMessageAt(body: Uint8Array, epoch: Epoch, seq: Seq): StoredMessage {
  const message = decodeStoredMessage(body);
  message.position = { epoch, seq };
  return message;
}
