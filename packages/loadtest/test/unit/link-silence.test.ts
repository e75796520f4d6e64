// The load tester's heartbeat verdict (PROTOCOL.md "Heartbeat"): silent for one interval after a ping = dead.
import { linkIsSilent } from '../../src/load-connection';

const link = (pingSentMs: number, lastReceivedMs: number) => ({ pingSentMs, lastReceivedMs, heartbeatMs: 3_000 });

describe('a link with no frame after a ping', () => {
  it('is dead one interval after the ping, not before', () => {
    expect(linkIsSilent(link(10_000, 9_000), 12_999)).toBe(false);
    expect(linkIsSilent(link(10_000, 9_000), 13_000)).toBe(true);
  });

  it('is alive when any frame came after the ping, however long ago', () => {
    expect(linkIsSilent(link(10_000, 10_001), 60_000)).toBe(false);
  });

  it('is never judged without a ping awaiting an answer', () => {
    expect(linkIsSilent(link(0, 0), 1_000_000)).toBe(false);
  });
});
