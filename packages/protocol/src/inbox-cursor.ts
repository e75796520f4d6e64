// The offline:R cursor: the one place that writes and reads it. Clients treat it as opaque;
// the gateway rejects a malformed one at the edge and delivery before it touches the inbox.
import { directMembers, isGroupConversation } from './conversation';
import { ErrorCode, ParleyError } from './errors';
import { asConversationId, asEpoch, ConversationId, Epoch, isValidEpoch, isValidUserId, Seq } from './ids';

/** The inbox entry a page ended with: the next page starts strictly after it. */
export interface InboxCursor {
  readonly conversation: ConversationId;
  readonly epoch: Epoch;
  readonly seq: Seq;
}

/** Thrown when an offline:R cursor is not one the server could have issued. */
export class InvalidCursorError extends ParleyError {
  constructor(reason: string) {
    super(ErrorCode.INVALID_CURSOR, `invalid cursor: ${reason}; start again from an empty cursor`);
  }
}

const SEQ_DIGITS = 20;
const SEQ_PATTERN = /^\d{20}$/;
/** `d:` + two 64-char user ids, or `g:` + a 64-char group id, then `|epoch|seq`. */
export const MAX_INBOX_CURSOR_LENGTH = 2 + 64 + 1 + 64 + 1 + 64 + 1 + SEQ_DIGITS;

/** `<conversation>|<epoch>|<seq, 20 digits>`: sorts like (conversation, epoch, seq) within one conversation. */
export function encodeInboxCursor(cursor: InboxCursor): string {
  return `${cursor.conversation}|${cursor.epoch}|${String(cursor.seq).padStart(SEQ_DIGITS, '0')}`;
}

/**
 * Reads a client's cursor: '' is "from the start" (undefined); anything the server could not
 * have issued throws InvalidCursorError (never anything else).
 */
export function decodeInboxCursor(text: string): InboxCursor | undefined {
  if (text === '') return undefined;
  if (text.length > MAX_INBOX_CURSOR_LENGTH) throw new InvalidCursorError(`longer than ${MAX_INBOX_CURSOR_LENGTH} characters`);
  const seqAt = text.lastIndexOf('|');
  const epochAt = seqAt > 0 ? text.lastIndexOf('|', seqAt - 1) : -1;
  if (epochAt < 0) throw new InvalidCursorError('not <conversation>|<epoch>|<seq>');
  const conversation = text.slice(0, epochAt);
  const epoch = text.slice(epochAt + 1, seqAt);
  const seqText = text.slice(seqAt + 1);
  if (!isStoredConversation(conversation)) throw new InvalidCursorError('not a conversation id');
  if (!isValidEpoch(epoch)) throw new InvalidCursorError('not an epoch');
  const seq = Number(seqText);
  if (!SEQ_PATTERN.test(seqText) || !Number.isSafeInteger(seq)) throw new InvalidCursorError('not a seq');
  return { conversation: asConversationId(conversation), epoch: asEpoch(epoch), seq };
}

/** Whether a client's cursor is one the server could have issued ('' included). */
export function isValidInboxCursor(text: string): boolean {
  try {
    decodeInboxCursor(text);
    return true;
  } catch {
    return false;
  }
}

function isStoredConversation(conversation: string): boolean {
  if (isGroupConversation(conversation)) return true;
  const members = directMembers(asConversationId(conversation));
  return members !== undefined && isValidUserId(members[0]) && isValidUserId(members[1]) && members[0] < members[1];
}
