// Builders for test messages.
import { asConversationId, asEpoch, asMsgId, asUserId } from '@parley/protocol';
import type { ReceivedMessage } from '../../src/frames';
import type { Delivery } from '../../src/receive-order';

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

/** The seqs of delivered messages (resets left out), for compact assertions. */
export const seqs = (items: readonly (ReceivedMessage | Delivery)[]): number[] =>
  items.flatMap((item) => {
    if (!('kind' in item)) return [item.position.seq];
    return item.kind === 'message' ? [item.message.position.seq] : [];
  });

/** Deliveries as `e1/3` (a message) and `reset e1/1>e1/2 epoch` (a break), for asserting their order. */
export const trace = (items: readonly Delivery[]): string[] =>
  items.map((item) =>
    item.kind === 'message'
      ? `${item.message.position.epoch}/${item.message.position.seq}`
      : `reset ${item.reset.from.epoch}/${item.reset.from.seq}>${item.reset.to.epoch}/${item.reset.to.seq} ${item.reset.reason}`,
  );
