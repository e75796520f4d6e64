// The embedded-path harness measures what it claims: every message of every round gets its
// msg:A, msg:N, ack:A and ack:N from the real all-in-one server before the next round starts.
import path from 'node:path';
import { measureEmbeddedPath } from '../../src/bench/embedded-path-cost';

describe('measureEmbeddedPath', () => {
  it('runs every message through the server and counts four answers per message', async () => {
    const result = await measureEmbeddedPath({ root: path.join(__dirname, '..', '..', '..', '..'), perRound: 4, messages: 200, pairs: 20, runs: 2 });

    expect(result.messages).toBe(200);
    expect(result.usPerMessage).toHaveLength(2);
    expect(result.minUsPerMessage).toBe(Math.min(...result.usPerMessage));
    expect(result.minUsPerMessage).toBeGreaterThan(0);
    // msg:A to the sender, msg:N to the receiver, ack:A to the receiver, ack:N to the sender.
    expect(result.framesPerMessage).toBe(4);
  });
});
