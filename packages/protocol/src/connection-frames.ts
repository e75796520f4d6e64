// The frames a gateway writes to every connection, encoded by hand: `welcome` once per
// connection and `pong` for each heartbeat. protobufjs would build a writer, an operation
// object per field, a copy per string and a LongBits per 64-bit field each time (about 1 KB of
// garbage for a welcome, ~0.5 KB for a pong: a burst of reconnects turns the first into
// young-generation growth, idle connections' heartbeats the second into steady garbage).
// Welcome's fields that are the same on every connection of a gateway (limits, version) are
// encoded once, and each connection's frame is those bytes with its three ids around them.
// The bytes are those of encodeFrame({ welcome }) and encodeFrame({ pong }) (unit-tested).
import { parley } from './gen/parley';
import { stringBytes, varint32Size, writeString, writeVarint32, writeVarint64 } from './wire-writer';

/** Welcome's fields that every connection of one gateway shares. */
export interface WelcomeConstants {
  readonly heartbeatIntervalMs: number;
  readonly maxFrameBytes: number;
  readonly maxPayloadBytes: number;
  readonly maxOfflinePage: number;
  readonly serverVersion: string;
}

/** One connection's ids in its welcome. */
export interface WelcomeIds {
  readonly userId: string;
  readonly connectionId: string;
  readonly deviceId: string;
}

/** Frame.welcome is field 12 and Frame.pong field 11, length-delimited. */
const FRAME_WELCOME_TAG = (12 << 3) | 2;
const FRAME_PONG_TAG = (11 << 3) | 2;
/** Pong.nonce (1) and Pong.server_time_ms (2), varints. */
const NONCE_TAG = 1 << 3;
const SERVER_TIME_TAG = 2 << 3;
/** Welcome.user_id (1), connection_id (2) and device_id (8), length-delimited. */
const USER_ID_TAG = (1 << 3) | 2;
const CONNECTION_ID_TAG = (2 << 3) | 2;
const DEVICE_ID_TAG = (8 << 3) | 2;

function writeStringField(buffer: Buffer, at: number, tag: number, value: string, bytes: number): number {
  buffer[at] = tag;
  return writeString(buffer, at + 1, value, bytes);
}

/** Encodes welcome frames for one gateway: `constants` once, then each connection's ids. */
export class WelcomeEncoder {
  private readonly constants: Uint8Array;

  constructor(constants: WelcomeConstants) {
    this.constants = parley.v1.Welcome.encode(constants).finish();
  }

  /** The frame's bytes (a short frame shares Node's buffer pool: it is written to the socket at once). */
  encode(ids: WelcomeIds): Uint8Array {
    const user = stringBytes(ids.userId);
    const connection = stringBytes(ids.connectionId);
    const device = stringBytes(ids.deviceId);
    const body =
      1 + varint32Size(user) + user + (1 + varint32Size(connection) + connection) + this.constants.length + (1 + varint32Size(device) + device);
    const buffer = Buffer.allocUnsafe(1 + varint32Size(body) + body);
    buffer[0] = FRAME_WELCOME_TAG;
    let at = writeVarint32(buffer, 1, body);
    at = writeStringField(buffer, at, USER_ID_TAG, ids.userId, user);
    at = writeStringField(buffer, at, CONNECTION_ID_TAG, ids.connectionId, connection);
    buffer.set(this.constants, at);
    at += this.constants.length;
    writeStringField(buffer, at, DEVICE_ID_TAG, ids.deviceId, device);
    return buffer;
  }
}

/**
 * Room for a pong: tag, length, two tags and two varints of at most 10 bytes. Made at the
 * first pong, not at load: the client SDK's browser bundle loads this module, and a browser
 * has no Buffer.
 */
let pongScratch: Buffer | undefined;

/** The pong answering a ping with `nonce`, stamped with the server's time. */
export function encodePongFrame(nonce: number, serverTimeMs: number): Uint8Array {
  const scratch = (pongScratch ??= Buffer.alloc(24));
  scratch[2] = NONCE_TAG;
  let at = writeVarint64(scratch, 3, nonce);
  scratch[at++] = SERVER_TIME_TAG;
  at = writeVarint64(scratch, at, serverTimeMs);
  scratch[0] = FRAME_PONG_TAG;
  scratch[1] = at - 2;
  const frame = Buffer.allocUnsafe(at);
  scratch.copy(frame, 0, 0, at);
  return frame;
}
