import { Heartbeat } from '../../src/heartbeat';
import { FakeClock } from '../support/fake-clock';

describe('heartbeat', () => {
  const interval = 10_000;
  let clock: FakeClock;
  let pings: number[];
  let dead: number;
  let heartbeat: Heartbeat;

  beforeEach(() => {
    clock = new FakeClock();
    pings = [];
    dead = 0;
    heartbeat = new Heartbeat(clock, { ping: (nonce) => pings.push(nonce), dead: () => (dead += 1) });
    heartbeat.start(interval);
  });

  it('pings once per interval while frames keep arriving', () => {
    for (let i = 0; i < 5; i++) {
      clock.advance(interval);
      heartbeat.frameReceived();
    }
    expect(pings).toEqual([1, 2, 3, 4, 5]);
    expect(dead).toBe(0);
  });

  it('declares the link dead one interval after an unanswered ping, and stops', () => {
    clock.advance(interval);
    expect(pings).toEqual([1]);
    clock.advance(interval - 1);
    expect(dead).toBe(0);
    clock.advance(1);
    expect(dead).toBe(1);
    expect(heartbeat.running).toBe(false);
    clock.advance(10 * interval);
    expect(pings).toEqual([1]);
    expect(dead).toBe(1);
  });

  it('counts any frame as a sign of life, not only the pong', () => {
    clock.advance(interval);
    clock.advance(interval / 2);
    heartbeat.frameReceived(); // e.g. a msg:N queued before the pong
    clock.advance(interval / 2);
    expect(dead).toBe(0);
    expect(pings).toEqual([1, 2]);
  });

  it('ignores frames that arrived before the ping', () => {
    heartbeat.frameReceived();
    clock.advance(interval);
    clock.advance(interval);
    expect(dead).toBe(1);
  });

  it('stop() clears its timer', () => {
    heartbeat.stop();
    expect(clock.pendingTimers()).toBe(0);
  });
});
