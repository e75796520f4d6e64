// The embedded mode's adapters: every port in this process's memory.
import {
  Clock,
  MemoryBus,
  MemoryConversationLog,
  MemoryConversationIndex,
  MemoryDownlink,
  MemoryMembership,
  MemoryInbox,
  MemoryMessageStore,
  MemoryPresence,
  MemoryTokenRevocations,
  MemorySeqStore,
  MemoryStoreGeneration,
  DEFAULT_RETENTION,
  RetentionPolicy,
} from '@parley/ports';
import type { Infrastructure } from './infrastructure';
import { createStoreWatch, type StoreWatchSettings } from './process-store-watch';

/**
 * The embedded mode: every adapter in this process's memory. Single process only. Its
 * store never loses data by itself (`storeGeneration` is a MemoryStoreGeneration, whose
 * `forget()` lets tests stage a loss).
 */
export function createMemoryInfrastructure(clock: Clock, retention: RetentionPolicy = DEFAULT_RETENTION, watch: StoreWatchSettings = {}): Infrastructure {
  const log = new MemoryConversationLog();
  // The sequencer's and delivery's groups are the only ones: what both committed is dropped,
  // so a long-running `npm start` holds only the records still being processed.
  const bus = new MemoryBus({ dropCommitted: true });
  const storeGeneration = new MemoryStoreGeneration();
  const storeWatch = createStoreWatch(storeGeneration, clock, watch);
  return {
    mode: 'embedded',
    bus,
    seqStore: new MemorySeqStore(log, clock, retention),
    messageStore: new MemoryMessageStore(log, clock, retention),
    inbox: new MemoryInbox(),
    presence: new MemoryPresence(clock),
    downlink: new MemoryDownlink(),
    membership: new MemoryMembership(),
    conversationIndex: new MemoryConversationIndex(),
    revocations: new MemoryTokenRevocations(),
    storeGeneration,
    storeWatch,
    close: async () => {
      storeWatch.stop();
      await bus.close?.();
    },
  };
}
