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
  if (poolAt + RANDOM_CHARS > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolAt = 0;
  }
  let tail = '';
  for (let i = 0; i < RANDOM_CHARS; i++) tail += (pool[poolAt + i]! % 36).toString(36);
  poolAt += RANDOM_CHARS;
  return asEpoch(time + tail);
}

// Random bytes are read 4 KiB at a time: one read costs about as much as minting the rest of an
// epoch several times over, and the seq store mints a candidate per assign call. Each byte is used once.
const POOL_BYTES = 4096;
let pool: Buffer = Buffer.alloc(0);
let poolAt = 0;
