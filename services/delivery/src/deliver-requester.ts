// Who waits for the answer to a deliver-topic record (for the error a poison record gets): the
// sender of a sequenced message (it waits for ack:N, named by msg_id), or the client of a
// request that is answered (ack:R, offline:R, sync:R and conversations:R; offlineack:R is not).
import { decodeDeliveryCommand } from '@parley/protocol';
import type { Requester } from '@parley/runtime';
import type { ConsumedRecord } from '@parley/ports';

export function deliverRequester(record: ConsumedRecord): Requester | undefined {
  const command = decodeDeliveryCommand(record.value);
  const sequenced = command.sequenced;
  if (sequenced?.origin && sequenced.message) return { origin: sequenced.origin, msgId: sequenced.message.msgId ?? '' };
  const client = command.client;
  if (!client?.origin || !client.frame) return undefined;
  const frame = client.frame;
  if (frame.syncR) return { origin: client.origin, msgId: frame.syncR.requestId ?? '' };
  if (frame.conversationsR) return { origin: client.origin, msgId: frame.conversationsR.requestId ?? '' };
  if (frame.ackR || frame.offlineR) return { origin: client.origin, msgId: '' };
  return undefined;
}
