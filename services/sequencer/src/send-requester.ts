// Who waits for the answer to a send-topic record (for the error a poison record gets): the
// sender of a msg:R (named by msg_id) or of a group:R (named by request_id).
import { decodeClientPacket } from '@parley/protocol';
import type { Requester } from '@parley/runtime';
import type { ConsumedRecord } from '@parley/ports';

export function sendRequester(record: ConsumedRecord): Requester | undefined {
  const packet = decodeClientPacket(record.value);
  if (!packet.origin) return undefined;
  const frame = packet.frame;
  if (frame?.msgR) return { origin: packet.origin, msgId: frame.msgR.msgId ?? '' };
  if (frame?.groupR) return { origin: packet.origin, msgId: frame.groupR.requestId ?? '' };
  return undefined;
}
