// Per-batch state shared by delivery's handlers: the frames to publish, cached
// presence and membership reads, and conversation activity to record, all written in
// one go when the batch ends; and the changes to delivery's memory that may only happen once
// that succeeded (a batch that fails is handed again and must publish the same frames).
import { DownlinkBatcher, type BusRecord, type ConversationActivity, type Membership, type Presence, type PresenceEntry } from '@parley/ports';
import { directPeer, encodeAppEvent, isGroupConversation, type ConversationId, type StoredMessage, type UserId } from '@parley/protocol';

export interface BatchScopeParts {
  readonly presence: Pick<Presence, 'lookup'>;
  readonly membership: Pick<Membership, 'members'>;
  /** Whether message.delivered application events are published (PARLEY_APP_EVENTS). */
  readonly appEvents: boolean;
}

/** Longest list of users `connectionsOf` deduplicates by scanning it (a set beyond). */
const SCAN_LIMIT = 16;

export class BatchScope {
  readonly out = new DownlinkBatcher();
  /** Per conversation: the user lists touched (by reference: a group's list is one array per batch) and the latest time; made at the first touch (an ack batch touches none). */
  private touched: Map<ConversationId, { users: Set<Iterable<UserId>>; atMs: number }> | undefined;
  private readonly presence = new Map<UserId, PresenceEntry[]>();
  /** Made at the first group read (most 1:1 batches never read one). */
  private members: Map<ConversationId, UserId[]> | undefined;
  private memberSets: Map<ConversationId, Set<UserId>> | undefined;
  private onPublished: Array<() => void> | undefined;
  private hasFailed = false;
  /** Application events for the deliver topic, published with the batch's frames (webhooks). */
  readonly appEvents: BusRecord[] = [];

  constructor(private readonly parts: BatchScopeParts) {}

  /** Connections of `users` (cached for the batch: one lookup per user per batch). */
  async connectionsOf(users: Iterable<UserId>): Promise<Map<UserId, PresenceEntry[]>> {
    const missing = this.notRead(users);
    if (missing) {
      const found = await this.parts.presence.lookup(missing);
      for (const user of missing) this.presence.set(user, found.get(user) ?? []);
    }
    return this.presence;
  }

  /**
   * `users` whose presence this batch has not read, each once, in order (undefined: none). A
   * short list is deduplicated by a scan (most calls name one or two users), a long one by a set.
   */
  private notRead(users: Iterable<UserId>): UserId[] | undefined {
    let missing: UserId[] | undefined;
    let seen: Set<UserId> | undefined;
    for (const user of users) {
      if (this.presence.has(user)) continue;
      if (!missing) {
        missing = [user];
        continue;
      }
      if (seen) {
        if (seen.has(user)) continue;
        seen.add(user);
      } else {
        if (missing.includes(user)) continue;
        if (missing.length >= SCAN_LIMIT) seen = new Set([...missing, user]);
      }
      missing.push(user);
    }
    return missing;
  }

  /** A group's members (cached for the batch; group:R changes go through the sequencer first). */
  async membersOf(conversation: ConversationId): Promise<UserId[]> {
    this.members ??= new Map();
    let members = this.members.get(conversation);
    if (!members) {
      members = await this.parts.membership.members(conversation);
      this.members.set(conversation, members);
    }
    return members;
  }

  /**
   * Whether `user` is a member of `conversation`: one of its two users (1:1), or in the group's
   * members (a set per group per batch: a 5,000-member group's acks stay O(1) each).
   */
  async isMember(conversation: ConversationId, user: UserId): Promise<boolean> {
    if (!isGroupConversation(conversation)) return directPeer(conversation, user) !== undefined;
    this.memberSets ??= new Map();
    let set = this.memberSets.get(conversation);
    if (!set) {
      set = new Set(await this.membersOf(conversation));
      this.memberSets.set(conversation, set);
    }
    return set.has(user);
  }

  /** A 1:1 message's first device ack: message.delivered for the webhooks, keyed by its conversation (after the message in that partition). */
  delivered(message: StoredMessage, receiver: UserId, atMs: number): void {
    if (!this.parts.appEvents) return;
    this.appEvents.push({
      key: message.conversation,
      value: encodeAppEvent({ atMs, messageDelivered: { conversation: message.conversation, position: message.position, msgId: message.msgId, fromUser: message.fromUser, toUser: receiver } }),
    });
  }

  /** Runs `change` once the batch's frames are published and its writes done (never, if the batch fails). */
  afterPublished(change: () => void): void {
    (this.onPublished ??= []).push(change);
  }

  /** The batch's effects are done: applies the changes waiting for that, in order. */
  published(): void {
    const changes = this.onPublished;
    this.onPublished = undefined;
    if (changes) for (const change of changes) change();
  }

  /** The batch failed (it is handed again): its waiting changes never happen, its announcements are void. */
  fail(): void {
    this.hasFailed = true;
    this.onPublished = undefined;
  }

  /** Whether the batch failed (an Announcer of pending-deliveries.ts). */
  get failed(): boolean {
    return this.hasFailed;
  }

  /** Records activity in a conversation; written once per (user, conversation) per batch, at the latest time. */
  touch(conversation: ConversationId, users: Iterable<UserId>, atMs: number): void {
    this.touched ??= new Map();
    const entry = this.touched.get(conversation);
    if (!entry) this.touched.set(conversation, { users: new Set([users]), atMs });
    else {
      entry.users.add(users);
      entry.atMs = Math.max(entry.atMs, atMs);
    }
  }

  /** The batch's conversation activity, one entry per (user, conversation). */
  activity(): ConversationActivity[] {
    const activity: ConversationActivity[] = [];
    if (!this.touched) return activity;
    for (const [conversation, { users, atMs }] of this.touched) {
      const seen = new Set<UserId>();
      for (const list of users) for (const user of list) if (!seen.has(user)) {
        seen.add(user);
        activity.push({ user, conversation, atMs });
      }
    }
    return activity;
  }
}
