// The set of adapters a process runs on. The embedded mode shares one in-memory set
// between the gateway, sequencer and delivery of a single process; the distributed
// mode talks to Kafka and Redis.
import type { Bus, ConversationIndex, Downlink, Inbox, Membership, MessageStore, Presence, SeqStore } from '@parley/ports';

export interface Infrastructure {
  readonly mode: 'embedded' | 'distributed';
  readonly bus: Bus;
  readonly seqStore: SeqStore;
  readonly messageStore: MessageStore;
  readonly inbox: Inbox;
  readonly presence: Presence;
  readonly downlink: Downlink;
  readonly membership: Membership;
  readonly conversationIndex: ConversationIndex;
  close(): Promise<void>;
}
