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

export class BatchScope {
  readonly out = new DownlinkBatcher();
  /** Per conversation: the user lists touched (by reference: a group's list is one array per batch) and the latest time. */
  private readonly touched = new Map<ConversationId, { users: Set<Iterable<UserId>>; atMs: number }>();
  private readonly presence = new Map<UserId, PresenceEntry[]>();
  /** Made at the first group read (most 1:1 batches never read one). */
  private members: Map<ConversationId, UserId[]> | undefined;
  private memberSets: Map<ConversationId, Set<UserId>> | undefined;
  private readonly onPublished: Array<() => void> = [];
  /** Application events for the deliver topic, published with the batch's frames (webhooks). */
  readonly appEvents: BusRecord[] = [];

  constructor(private readonly parts: BatchScopeParts) {}

  /** Connections of `users` (cached for the batch: one lookup per user per batch). */
  async connectionsOf(users: Iterable<UserId>): Promise<Map<UserId, PresenceEntry[]>> {
    const missing = [...new Set(users)].filter((user) => !this.presence.has(user));
    if (missing.length > 0) {
      const found = await this.parts.presence.lookup(missing);
      for (const user of missing) this.presence.set(user, found.get(user) ?? []);
    }
    return this.presence;
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
    this.onPublished.push(change);
  }

  /** The batch's effects are done: applies the changes waiting for that, in order. */
  published(): void {
    for (const change of this.onPublished.splice(0)) change();
  }

  /** Records activity in a conversation; written once per (user, conversation) per batch, at the latest time. */
  touch(conversation: ConversationId, users: Iterable<UserId>, atMs: number): void {
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
