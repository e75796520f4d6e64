// Packet kinds of a Frame and their protocol names (msg:R, ack:N, ...).
import { parley } from './gen/parley';

export type Frame = parley.v1.Frame;
export type FrameInit = parley.v1.IFrame;
export type PacketKind = NonNullable<parley.v1.Frame['packet']>;

export const PACKET_NAMES: Readonly<Record<PacketKind, string>> = {
  msgR: 'msg:R',
  msgA: 'msg:A',
  msgN: 'msg:N',
  ackR: 'ack:R',
  ackA: 'ack:A',
  ackN: 'ack:N',
  offlineR: 'offline:R',
  offlineA: 'offline:A',
  offlineackR: 'offlineack:R',
  ping: 'ping',
  pong: 'pong',
  welcome: 'welcome',
  error: 'error',
  groupR: 'group:R',
  groupA: 'group:A',
  syncR: 'sync:R',
  syncA: 'sync:A',
  conversationsR: 'conversations:R',
  conversationsA: 'conversations:A',
  resyncN: 'resync:N',
  readR: 'read:R',
  readN: 'read:N',
  typingR: 'typing:R',
  typingN: 'typing:N',
};

export const PACKET_KINDS = Object.keys(PACKET_NAMES) as PacketKind[];

/** Packets a client may send; any other kind from a client is UNEXPECTED_PACKET. */
const CLIENT_PACKETS: ReadonlySet<PacketKind> = new Set<PacketKind>([
  'msgR',
  'ackR',
  'offlineR',
  'offlineackR',
  'ping',
  'groupR',
  'syncR',
  'conversationsR',
  'readR',
  'typingR',
]);

export const isClientPacket = (kind: PacketKind): boolean => CLIENT_PACKETS.has(kind);

/** For exhaustive switches over packet kinds. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${String(value)}`);
}
