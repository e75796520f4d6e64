// Builders for test messages.
import { asConversationId, asEpoch, asMsgId, asUserId } from '@parley/protocol';
import type { ReceivedMessage } from '../../src/frames';

export const CONV = asConversationId('d:alice:bob');

export function message(seq: number, options: { epoch?: string; msgId?: string; from?: string; conversation?: string } = {}): ReceivedMessage {
  return {
    conversation: options.conversation ? asConversationId(options.conversation) : CONV,
    position: { epoch: asEpoch(options.epoch ?? 'e1'), seq },
    msgId: asMsgId(options.msgId ?? `m-${options.epoch ?? 'e1'}-${seq}`),
    fromUser: asUserId(options.from ?? 'bob'),
    payload: new TextEncoder().encode(`payload ${seq}`),
    serverTimeMs: 1,
    clientSeq: seq,
  };
}

/** The seqs of delivered messages, for compact assertions. */
export const seqs = (messages: readonly ReceivedMessage[]): number[] => messages.map((m) => m.position.seq);
