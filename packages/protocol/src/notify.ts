// The msg:N a receiver gets for a stored message: the stored fields a client may see.
import { parley } from './gen/parley';

export function toMsgNotify(message: parley.v1.IStoredMessage): parley.v1.IMsgNotify {
  return {
    conversation: message.conversation ?? '',
    position: message.position ?? null,
    msgId: message.msgId ?? '',
    fromUser: message.fromUser ?? '',
    payload: message.payload ?? new Uint8Array(0),
    serverTimeMs: message.serverTimeMs ?? 0,
    clientSeq: message.clientSeq ?? 0,
  };
}
