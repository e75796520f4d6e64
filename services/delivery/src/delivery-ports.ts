// The ports delivery uses, and nothing else of the process's adapters: the composition root
// (main.ts, the all-in-one server, a test) hands them in.
import type { Bus, ConversationIndex, Downlink, Inbox, Membership, MessageStore, Presence } from '@parley/ports';
import type { StoreWatch } from '@parley/runtime';

export interface DeliveryPorts {
  /** The deliver topic consumed. */
  readonly bus: Bus;
  /** msg:N, ack:N and the answers to client requests, one batch per gateway. */
  readonly downlink: Downlink;
  /** Where each receiver is connected. */
  readonly presence: Presence;
  /** What each user has not acknowledged yet. */
  readonly inbox: Inbox;
  /** The conversations' messages (sync, re-pushes of group messages). */
  readonly messageStore: MessageStore;
  /** Group members (fan-out). */
  readonly membership: Pick<Membership, 'members'>;
  /** Each user's conversations with their read and ack positions. */
  readonly conversationIndex: ConversationIndex;
  /** A loss of the store's data: what delivery holds in memory is written back. */
  readonly storeWatch: StoreWatch;
}
