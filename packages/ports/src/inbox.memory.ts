// Inbox kept in this process's memory: per user, entries sorted by (conversation, epoch, seq).
import { encodeStoredMessage, type ConversationId, type Epoch, type Seq, type UserId } from '@parley/protocol';
import type { Inbox, InboxAddition, InboxPage, InboxRef } from './inbox';
import { inboxRefOf, storedMessageAt } from './stored-body';

interface InboxEntry {
  readonly ref: InboxRef;
  /** Encoded with its position, so each page hands out fresh copies. */
  readonly body: Uint8Array;
}

/**
 * Single process only, lost on restart. Entries are kept in a sorted array per user
 * (insertion is O(n)): fine for tests and the embedded mode, not for large inboxes.
 * Paging resumes strictly after the given entry, so it works when that entry was removed in
 * between.
 */
export class MemoryInbox implements Inbox {
  private readonly entriesByUser = new Map<UserId, InboxEntry[]>();

  async add(additions: readonly InboxAddition[]): Promise<void> {
    // Every position checked before anything is added: a bad batch adds nothing.
    const refs = additions.map(({ message }) => inboxRefOf(message));
    additions.forEach(({ user, message }, i) => {
      const ref = refs[i]!;
      let entries = this.entriesByUser.get(user);
      if (!entries) {
        entries = [];
        this.entriesByUser.set(user, entries);
      }
      const index = firstIndexNotBefore(entries, ref);
      if (index < entries.length && compareRefs(entries[index]!.ref, ref) === 0) return;
      entries.splice(index, 0, { ref, body: encodeStoredMessage(message) });
    });
  }

  async page(user: UserId, after: InboxRef | undefined, limit: number): Promise<InboxPage> {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`inbox page limit must be >= 1, got ${limit}`);
    const entries = this.entriesByUser.get(user) ?? [];
    let start = 0;
    if (after) {
      start = firstIndexNotBefore(entries, after);
      if (start < entries.length && compareRefs(entries[start]!.ref, after) === 0) start += 1;
    }
    const taken = entries.slice(start, start + limit);
    const hasMore = start + taken.length < entries.length;
    const last = taken[taken.length - 1];
    return {
      messages: taken.map(({ body, ref }) => storedMessageAt(body, ref.epoch, ref.seq)),
      hasMore,
      next: hasMore && last ? last.ref : undefined,
    };
  }

  async remove(user: UserId, refs: readonly InboxRef[]): Promise<number> {
    const entries = this.entriesByUser.get(user);
    if (!entries) return 0;
    let removed = 0;
    for (const ref of refs) {
      const index = firstIndexNotBefore(entries, ref);
      if (index < entries.length && compareRefs(entries[index]!.ref, ref) === 0) {
        entries.splice(index, 1);
        removed += 1;
      }
    }
    if (entries.length === 0) this.entriesByUser.delete(user);
    return removed;
  }

  async holds(entries: ReadonlyArray<{ readonly user: UserId; readonly ref: InboxRef }>): Promise<boolean[]> {
    return entries.map(({ user, ref }) => {
      const kept = this.entriesByUser.get(user);
      if (!kept) return false;
      const index = firstIndexNotBefore(kept, ref);
      return index < kept.length && compareRefs(kept[index]!.ref, ref) === 0;
    });
  }

  async firstHeld(queries: ReadonlyArray<{ readonly user: UserId; readonly conversation: ConversationId; readonly epoch: Epoch }>): Promise<Array<Seq | undefined>> {
    return queries.map(({ user, conversation, epoch }) => {
      const kept = this.entriesByUser.get(user) ?? [];
      const entry = kept[firstIndexNotBefore(kept, { conversation, epoch, seq: 0 })];
      return entry && entry.ref.conversation === conversation && entry.ref.epoch === epoch ? entry.ref.seq : undefined;
    });
  }

  async size(user: UserId): Promise<number> {
    return this.entriesByUser.get(user)?.length ?? 0;
  }
}

function compareRefs(a: InboxRef, b: InboxRef): number {
  if (a.conversation !== b.conversation) return a.conversation < b.conversation ? -1 : 1;
  if (a.epoch !== b.epoch) return a.epoch < b.epoch ? -1 : 1;
  return a.seq - b.seq;
}

/** Binary search: the index of the first entry that is not before `ref`. */
function firstIndexNotBefore(entries: readonly InboxEntry[], ref: InboxRef): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (compareRefs(entries[mid]!.ref, ref) < 0) low = mid + 1;
    else high = mid;
  }
  return low;
}
