// Makes new epoch names for SeqStore adapters: one name per life of a conversation's counter.
import { randomBytes } from 'node:crypto';
import { asEpoch, type Epoch } from '@parley/protocol';

const RANDOM_CHARS = 8;

/**
 * `<ms since 1970, base36, 9 chars><8 random base36 chars>`, e.g. `0lmx2k9qa7f3kq0zb`.
 * The time comes first so epochs of one conversation sort in the order they were
 * started (inbox pages are in (conversation, epoch, seq) order); the random tail keeps
 * two stores that lost their data in the same millisecond from minting the same epoch.
 * Never contains `:` or `|`, which the Redis adapters use as separators.
 */
export function newEpoch(nowMs: number): Epoch {
  const time = Math.max(0, Math.floor(nowMs)).toString(36).padStart(9, '0');
  const bytes = randomBytes(RANDOM_CHARS);
  let tail = '';
  for (const byte of bytes) tail += (byte % 36).toString(36);
  return asEpoch(time + tail);
}
