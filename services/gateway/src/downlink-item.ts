// The gateway's edge for downlink envelopes (docs/ARCHITECTURE.md, "Downlink"): each item of a
// DownlinkBatch from the services becomes, once, a record with branded ids that says what to
// do on this gateway: write a frame to some users' connections, or close them.
import { asConnectionId, asUserId, type ConnectionId, type DownlinkBatch, type UserId } from '@parley/protocol';

/** Frames for `users`' connections here: only `connection` when set, never `except`. */
export interface DownlinkFrame {
  readonly kind: 'frame';
  readonly users: readonly UserId[];
  /** '' = every connection of each user. */
  readonly connection: ConnectionId | '';
  /** The sender's own connection, which had msg:A instead; '' = none. */
  readonly except: ConnectionId | '';
  /** An encoded Frame, written as is. */
  readonly frame: Uint8Array;
}

/** Closes a user's connections here (only `connection` when set), e.g. 4008 REVOKED. */
export interface DownlinkClose {
  readonly kind: 'close';
  readonly user: UserId;
  /** '' = every connection of the user. */
  readonly connection: ConnectionId | '';
  readonly code: number;
  readonly reason: string;
}

export type DownlinkWrite = DownlinkFrame | DownlinkClose;

/** What a downlink batch asks of this gateway; an item naming no user (or, but for a close, no frame) asks nothing. */
export function readDownlinkBatch(batch: DownlinkBatch): DownlinkWrite[] {
  const writes: DownlinkWrite[] = [];
  for (const item of batch.items) {
    if (!item.userId) continue;
    const connection = item.connectionId ? asConnectionId(item.connectionId) : '';
    if (item.closeCode) {
      writes.push({ kind: 'close', user: asUserId(item.userId), connection, code: item.closeCode, reason: item.closeReason || 'closed by the server' });
      continue;
    }
    // Decoded, an absent frame is an empty one: a Frame with no packet, which no client could read.
    if (!item.frame || item.frame.byteLength === 0) continue;
    const more = item.moreUserIds ?? [];
    // One array per item (the ids are branded by a cast: no copy per id).
    const users = [item.userId, ...more] as UserId[];
    writes.push({
      kind: 'frame',
      users,
      connection,
      except: item.exceptConnectionId ? asConnectionId(item.exceptConnectionId) : '',
      frame: item.frame,
    });
  }
  return writes;
}
