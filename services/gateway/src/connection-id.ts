// Connection ids: 72 random bits as 12 base64url characters. The random bytes come from a
// pooled buffer refilled in one call per 512 ids, so a new connection allocates only its id
// string (randomBytes(9) per connection allocates a Buffer and its backing store each time).
import { randomFillSync } from 'node:crypto';
import { asConnectionId, ConnectionId } from '@parley/protocol';

const ID_BYTES = 9;
const IDS_PER_FILL = 512;
const pool = Buffer.allocUnsafeSlow(ID_BYTES * IDS_PER_FILL);
let taken = pool.length;

export function newConnectionId(): ConnectionId {
  if (taken === pool.length) {
    randomFillSync(pool);
    taken = 0;
  }
  const id = pool.toString('base64url', taken, taken + ID_BYTES);
  taken += ID_BYTES;
  return asConnectionId(id);
}
