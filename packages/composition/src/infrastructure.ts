// The set of adapters a process runs on. The embedded mode shares one in-memory set
// between the gateway, sequencer and delivery of a single process; the distributed
// mode talks to Kafka and Redis. Each service takes only the ports it uses from it.
import type { Logger, Registry } from '@parley/observability';
import type { Bus, Clock, ConversationIndex, Downlink, Inbox, Membership, MembershipRestore, MessageStore, Presence, SeqStore, StoreGeneration, TokenRevocations } from '@parley/ports';
import type { StoreWatch } from '@parley/runtime';

export interface Infrastructure {
  readonly mode: 'embedded' | 'distributed';
  readonly bus: Bus;
  readonly seqStore: SeqStore;
  readonly messageStore: MessageStore;
  readonly inbox: Inbox;
  readonly presence: Presence;
  readonly downlink: Downlink;
  /** Group members; the restore part is the sequencer's (the rebuild from the groups topic). */
  readonly membership: Membership & MembershipRestore;
  readonly conversationIndex: ConversationIndex;
  /** Per user, the time before which the user's tokens are refused (gateways read, the server API writes). */
  readonly revocations: TokenRevocations;
  /** The stores' generation marker (Redis: one key; memory: never lost). */
  readonly storeGeneration: StoreGeneration;
  /**
   * Watches `storeGeneration` for a loss of the stores' data. One per process, shared by the
   * services that react to a loss (each registers with `onLoss`, then calls `start`); `close`
   * stops it.
   */
  readonly storeWatch: StoreWatch;
  close(): Promise<void>;
}

/** What building the infrastructure needs besides the configuration. */
export interface InfrastructureDependencies {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly registry: Registry;
  /** Kafka client id and Redis connection name. */
  readonly clientId: string;
  /** A service run alone must not silently start on memory adapters nobody else can see. */
  readonly requireReal?: boolean;
}
