// The StoreGeneration contract over MemoryStoreGeneration (one object stands for the store).
import { MemoryStoreGeneration } from '@parley/ports';
import { describeStoreGenerationContract } from '@parley/ports/testing';

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
