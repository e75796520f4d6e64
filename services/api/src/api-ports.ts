// The ports the server API uses, and nothing else of the process's adapters: the composition
// root (main.ts, the all-in-one server, a test) hands them in.
import type { Bus, ConversationIndex, Downlink, Membership, MessageStore, Presence, TokenRevocations } from '@parley/ports';

export interface ApiPorts {
  /** Requests to the sequencer (send topic); the deliver topic consumed for webhooks. */
  readonly bus: Bus;
  /** The sequencer's answers to this API process. */
  readonly downlink: Downlink;
  readonly messageStore: MessageStore;
  readonly conversationIndex: ConversationIndex;
  readonly presence: Presence;
  readonly membership: Membership;
  /** Revoking a user's tokens. */
  readonly revocations: TokenRevocations;
}
