// The Presence contract over MemoryPresence, with a FakeClock so expiry needs no sleeping.
import { FakeClock, MemoryPresence } from '@parley/ports';
import { describePresenceContract } from '@parley/ports/testing';

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
