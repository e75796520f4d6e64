// The StoreGeneration contract over MemoryStoreGeneration (one object stands for the store).
import { MemoryStoreGeneration } from '../../src/store-generation.memory';
import { describeStoreGenerationContract } from '../../src/testing/store-generation.contract';

describeStoreGenerationContract('memory', async () => {
  const store = new MemoryStoreGeneration();
  return {
    first: store,
    second: store,
    lose: async () => store.forget(),
    reconnect: async () => store.reconnected(),
    close: async () => {},
  };
});
