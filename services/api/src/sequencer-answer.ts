// The server API's edge for the sequencer's answers (downlink items addressed to this
// process): each item is read here, once, into the answer it carries for one of the API's
// request connections, with branded ids: msg:A, group:A, a refusal, or an answer missing a
// field (`invalid`, named by the field), which the waiting request turns into an explicit
// error rather than a position of 0 or an empty conversation.
import {
  asConnectionId,
  asConversationId,
  decodeFrame,
  isGroupConversation,
  isValidUserId,
  type ConnectionId,
  type ConversationId,
  type DownlinkBatch,
  type Frame,
  type UserId,
} from '@parley/protocol';
import { isConversationId, readPosition, type InvalidField, type Position } from './stored-message';

/** msg:A: where the message was stored. */
export interface MessageAccepted {
  readonly kind: 'msg';
  readonly conversation: ConversationId;
  readonly position: Position;
  readonly serverTimeMs: number;
}

/** group:A: the group's members after the request. */
export interface GroupAnswered {
  readonly kind: 'group';
  readonly conversation: ConversationId;
  readonly members: readonly UserId[];
}

export type AnswerBody =
  | MessageAccepted
  | GroupAnswered
  /** An error frame: the sequencer refused the request (its catalogue code). */
  | { readonly kind: 'refused'; readonly code: number; readonly message: string }
  | { readonly kind: 'invalid'; readonly invalid: InvalidField };

/** An answer to the request named `requestId` (a msg_id or request_id) sent from `connection`. */
export interface SequencerAnswer {
  readonly connection: ConnectionId;
  readonly requestId: string;
  readonly body: AnswerBody;
}

/** The answers in a downlink batch; items that answer no request (other packets, no connection, bytes no Frame) are left out. */
export function readSequencerAnswers(batch: DownlinkBatch): SequencerAnswer[] {
  const answers: SequencerAnswer[] = [];
  for (const item of batch.items) {
    if (!item.connectionId || !item.frame || item.frame.byteLength === 0) continue;
    let frame: Frame;
    try {
      frame = decodeFrame(item.frame);
    } catch {
      continue;
    }
    const answer = readAnswer(frame);
    if (answer) answers.push({ connection: asConnectionId(item.connectionId), requestId: answer.requestId, body: answer.body });
  }
  return answers;
}

function readAnswer(frame: Frame): { requestId: string; body: AnswerBody } | undefined {
  if (frame.msgA) {
    const { msgId, conversation } = frame.msgA;
    const requestId = msgId ?? '';
    if (!conversation || !isConversationId(conversation)) return { requestId, body: { kind: 'invalid', invalid: 'conversation' } };
    const position = readPosition(frame.msgA.position);
    if (!position) return { requestId, body: { kind: 'invalid', invalid: 'position' } };
    return { requestId, body: { kind: 'msg', conversation: asConversationId(conversation), position, serverTimeMs: Number(frame.msgA.serverTimeMs ?? 0) } };
  }
  if (frame.groupA) {
    const { requestId, conversation, members } = frame.groupA;
    if (!conversation || !isGroupConversation(conversation)) return { requestId: requestId ?? '', body: { kind: 'invalid', invalid: 'conversation' } };
    const list = members ?? [];
    if (!list.every(isValidUserId)) return { requestId: requestId ?? '', body: { kind: 'invalid', invalid: 'user' } };
    return { requestId: requestId ?? '', body: { kind: 'group', conversation: asConversationId(conversation), members: list } };
  }
  if (frame.error) return { requestId: frame.error.msgId ?? '', body: { kind: 'refused', code: frame.error.code ?? 0, message: frame.error.message ?? '' } };
  return undefined;
}
