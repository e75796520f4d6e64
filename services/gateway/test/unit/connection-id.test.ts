// Connection ids are 12 base64url characters, distinct across refills of the random pool.
import { newConnectionId } from '../../src/connection-id';

describe('connection ids', () => {
  it('are 72-bit base64url strings, never repeated over several refills of the pool', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5_000; i++) {
      const id = newConnectionId();
      expect(id).toMatch(/^[A-Za-z0-9_-]{12}$/);
      seen.add(id);
    }
    expect(seen.size).toBe(5_000);
  });
});
