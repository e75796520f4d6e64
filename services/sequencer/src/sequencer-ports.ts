// The ports the sequencer uses, and nothing else of the process's adapters: the composition
// root (main.ts, the all-in-one server, a test) hands them in.
import type { Bus, Downlink, Membership, MembershipRestore, SeqStore } from '@parley/ports';
import type { StoreWatch } from '@parley/runtime';

export interface SequencerPorts {
  /** The send topic consumed, the deliver and groups topics written. */
  readonly bus: Bus;
  /** (epoch, seq) assignment, dedupe and the messages' storage. */
  readonly seqStore: SeqStore;
  /** msg:A and refusals to the senders' gateways. */
  readonly downlink: Downlink;
  /** Group members; the restore part rebuilds them from the groups topic after a store loss. */
  readonly membership: Membership & MembershipRestore;
  /** A loss of the store's data starts the membership rebuild. */
  readonly storeWatch: StoreWatch;
}
