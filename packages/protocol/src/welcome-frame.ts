// The `welcome` frame, which every connection gets once: its fields that are the same on every
// connection of a gateway (limits, version) are encoded once, and each connection's frame is
// those bytes with its three ids around them, written into one buffer. protobufjs would build
// a writer, an operation object per field and a copy per string for every connection (about
// 1 KB of garbage each, which a burst of reconnects turns into young-generation growth).
// The bytes are those of encodeFrame({ welcome }) (guarded by a unit test).
import { parley } from './gen/parley';

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

/** Frame.welcome is field 12, length-delimited. */
const FRAME_WELCOME_TAG = (12 << 3) | 2;
/** Welcome.user_id (1), connection_id (2) and device_id (8), length-delimited. */
const USER_ID_TAG = (1 << 3) | 2;
const CONNECTION_ID_TAG = (2 << 3) | 2;
const DEVICE_ID_TAG = (8 << 3) | 2;

const varintLength = (value: number): number => (value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x200000 ? 3 : value < 0x10000000 ? 4 : 5);

function writeVarint(buffer: Buffer, at: number, value: number): number {
  while (value >= 0x80) {
    buffer[at++] = (value & 0x7f) | 0x80;
    value >>>= 7;
  }
  buffer[at++] = value;
  return at;
}

function writeString(buffer: Buffer, at: number, tag: number, value: string, bytes: number): number {
  buffer[at++] = tag;
  at = writeVarint(buffer, at, bytes);
  return at + buffer.write(value, at, bytes, 'utf8');
}

/** Encodes welcome frames for one gateway: `constants` once, then each connection's ids. */
export class WelcomeEncoder {
  private readonly constants: Uint8Array;

  constructor(constants: WelcomeConstants) {
    this.constants = parley.v1.Welcome.encode(constants).finish();
  }

  /** The frame's bytes (a short frame shares Node's buffer pool: it is written to the socket at once). */
  encode(ids: WelcomeIds): Uint8Array {
    const user = Buffer.byteLength(ids.userId, 'utf8');
    const connection = Buffer.byteLength(ids.connectionId, 'utf8');
    const device = Buffer.byteLength(ids.deviceId, 'utf8');
    const body =
      1 + varintLength(user) + user + (1 + varintLength(connection) + connection) + this.constants.length + (1 + varintLength(device) + device);
    const buffer = Buffer.allocUnsafe(1 + varintLength(body) + body);
    buffer[0] = FRAME_WELCOME_TAG;
    let at = writeVarint(buffer, 1, body);
    at = writeString(buffer, at, USER_ID_TAG, ids.userId, user);
    at = writeString(buffer, at, CONNECTION_ID_TAG, ids.connectionId, connection);
    buffer.set(this.constants, at);
    at += this.constants.length;
    writeString(buffer, at, DEVICE_ID_TAG, ids.deviceId, device);
    return buffer;
  }
}
