// The Inbox port: per-user store of messages not yet confirmed by the user's device,
// pulled with offline:R and trimmed with offlineack:R (or ack:R).
import type { ConversationId, Epoch, Seq, StoredMessage, UserId } from '@parley/protocol';

export interface InboxRef {
  readonly conversation: ConversationId;
  readonly epoch: Epoch;
  readonly seq: Seq;
}

export interface InboxPage {
  /** In (conversation, epoch, seq) order. */
  readonly messages: StoredMessage[];
  readonly hasMore: boolean;
  /**
   * The last entry returned when `hasMore`: pass it as `after` for the next page (the client
   * gets it as an opaque cursor, `encodeInboxCursor`). Undefined when there is no next page.
   */
  readonly next: InboxRef | undefined;
}

export interface InboxAddition {
  readonly user: UserId;
  /** Must have its position set. */
  readonly message: StoredMessage;
}

export interface Inbox {
  /** Idempotent: adding the same (user, conversation, epoch, seq) twice keeps one entry. */
  add(additions: readonly InboxAddition[]): Promise<void>;
  /**
   * Up to `limit` entries strictly after `after` (undefined = from the start), in (conversation,
   * epoch, seq) order; `after` need not be in the inbox any more (removed meanwhile). Does not
   * remove anything.
   */
  page(user: UserId, after: InboxRef | undefined, limit: number): Promise<InboxPage>;
  /** Removes the named entries (absent ones are ignored); returns how many were removed. */
  remove(user: UserId, refs: readonly InboxRef[]): Promise<number>;
  /**
   * Which of `entries` are in their user's inbox, in the order given. An entry once added and
   * now absent was removed: its receiver confirmed it (ack:R or offlineack:R).
   */
  holds(entries: ReadonlyArray<{ readonly user: UserId; readonly ref: InboxRef }>): Promise<boolean[]>;
  /**
   * For each query, the lowest seq of its user's entries in that conversation and epoch,
   * undefined when there is none: every message of that epoch below it has been confirmed
   * by the user (or never was the user's to confirm). In the order given.
   */
  firstHeld(queries: ReadonlyArray<{ readonly user: UserId; readonly conversation: ConversationId; readonly epoch: Epoch }>): Promise<Array<Seq | undefined>>;
  /** Number of entries (metrics, tests). */
  size(user: UserId): Promise<number>;
}
