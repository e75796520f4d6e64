// The TokenRevocations contract over MemoryTokenRevocations (one object stands for the store).
import { MemoryTokenRevocations } from '@parley/ports';
import { describeTokenRevocationsContract } from '@parley/ports/testing';

describeTokenRevocationsContract('memory', async () => {
  const store = new MemoryTokenRevocations();
  return { writer: store, reader: store, close: async () => {} };
});
