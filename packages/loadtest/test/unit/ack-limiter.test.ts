// A receiver acks a 1:1 position at most once per interval however many copies arrive,
// and again once the interval has passed (the server re-pushes until it hears an ack).
import { AckLimiter } from '../../src/ack-limiter';

describe('AckLimiter', () => {
  it('lets one ack per position through per interval, and forgets old positions', () => {
    let now = 0;
    const limiter = new AckLimiter(1000, () => now);
    expect(limiter.allow('d:a:b/e/1')).toBe(true);
    expect(limiter.allow('d:a:b/e/1')).toBe(false);
    expect(limiter.allow('d:a:b/e/2')).toBe(true);
    now = 999;
    expect(limiter.allow('d:a:b/e/1')).toBe(false);
    now = 1000;
    expect(limiter.allow('d:a:b/e/1')).toBe(true);
    now = 2500;
    limiter.allow('d:a:b/e/3');
    expect(limiter.size).toBe(1);
  });
});
