// The TokenRevocations contract over MemoryTokenRevocations (one object stands for the store).
import { MemoryTokenRevocations } from '../../src/token-revocations.memory';
import { describeTokenRevocationsContract } from '../../src/testing/token-revocations.contract';

describeTokenRevocationsContract('memory', async () => {
  const store = new MemoryTokenRevocations();
  return { writer: store, reader: store, close: async () => {} };
});
