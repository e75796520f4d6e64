// The Presence contract over MemoryPresence, with a FakeClock so expiry needs no sleeping.
import { FakeClock } from '../../src/clock';
import { MemoryPresence } from '../../src/presence.memory';
import { describePresenceContract } from '../../src/testing/presence.contract';

describePresenceContract('memory', async () => {
  const clock = new FakeClock();
  return {
    presence: new MemoryPresence(clock),
    shortTtlMs: 1_000,
    letTimePass: async (ms, condition, what) => {
      clock.advance(ms);
      if (!(await condition())) throw new Error(`still waiting for ${what} after ${ms}ms of fake time`);
    },
    close: async () => {},
  };
});
