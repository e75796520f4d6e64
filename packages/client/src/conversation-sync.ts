// Sync by seq: which conversations page through sync:R / sync:A, where each next page
// starts, and which wait for a turn (at most maxConcurrent at once). Pure logic: the
// caller sends the requests and feeds the pages to the receive path.
import type { ConversationId } from '@parley/protocol';
import type { Position } from './frames';

/** reconnect: after a welcome. gap: a gap stayed open. manual: ParleyClient.sync(). */
export type SyncReason = 'reconnect' | 'gap' | 'manual';

/** Someone waiting for a conversation's sync to end (ParleyClient.sync()). */
export interface SyncWaiter {
  resolve(): void;
  reject(error: Error): void;
}

export interface SyncHooks {
  /**
   * Send the sync:R for the page after `after`; undefined: after the conversation's
   * delivered position at the time of sending (the first page of a run).
   */
  requestPage(conversation: ConversationId, after: Position | undefined): void;
}

interface SyncRun {
  /** true: page until has_more is false. false (gap only): stop as soon as the gap is closed. */
  toEnd: boolean;
  started: boolean;
  readonly waiters: SyncWaiter[];
}

/** What to do after a page. more: the next page was requested. done: the run ended. */
export type SyncPageVerdict = 'more' | 'done';

/**
 * One run per conversation: a start() for a conversation already running or queued joins
 * that run (a gap run asked to reconnect or manual pages to the end). Runs start in the
 * order they were asked for. A run ends at the first page with has_more false, or empty
 * (has_more without messages would ask for the same page forever), or, for a gap run,
 * once the gap is closed.
 */
export class ConversationSync {
  private readonly runs = new Map<ConversationId, SyncRun>();
  private active = 0;

  constructor(
    private readonly maxConcurrent: number,
    private readonly hooks: SyncHooks,
  ) {}

  /** Runs waiting for a page. */
  get running(): number {
    return this.active;
  }

  /** Runs waiting for a turn. */
  get queued(): number {
    return this.runs.size - this.active;
  }

  isSyncing(conversation: ConversationId): boolean {
    return this.runs.has(conversation);
  }

  start(conversation: ConversationId, reason: SyncReason, waiter?: SyncWaiter): void {
    const toEnd = reason !== 'gap';
    const run = this.runs.get(conversation);
    if (run) {
      run.toEnd ||= toEnd;
      if (waiter) run.waiters.push(waiter);
      return;
    }
    this.runs.set(conversation, { toEnd, started: false, waiters: waiter ? [waiter] : [] });
    this.pump();
  }

  /**
   * The caller has fed a page to the receive path. `last`: the page's last message's
   * position; `gapOpen`: whether the conversation still has a gap after it.
   */
  pageProcessed(conversation: ConversationId, page: { hasMore: boolean; last: Position | undefined }, gapOpen: boolean): SyncPageVerdict {
    const run = this.runs.get(conversation);
    if (!run?.started) return 'done';
    if (page.hasMore && page.last && (run.toEnd || gapOpen)) {
      this.hooks.requestPage(conversation, page.last);
      return 'more';
    }
    this.end(conversation, run);
    for (const waiter of run.waiters) waiter.resolve();
    return 'done';
  }

  /** A page request failed for good: the run ends, its waiters get `error`. */
  failed(conversation: ConversationId, error: Error): void {
    const run = this.runs.get(conversation);
    if (!run?.started) return;
    this.end(conversation, run);
    for (const waiter of run.waiters) waiter.reject(error);
  }

  /** Ends every run, rejecting its waiters (close()). */
  failAll(error: Error): void {
    const runs = [...this.runs.values()];
    this.runs.clear();
    this.active = 0;
    for (const run of runs) for (const waiter of run.waiters) waiter.reject(error);
  }

  private end(conversation: ConversationId, run: SyncRun): void {
    this.runs.delete(conversation);
    if (run.started) this.active -= 1;
    this.pump();
  }

  private pump(): void {
    for (const [conversation, run] of this.runs) {
      if (this.active >= this.maxConcurrent) return;
      if (run.started) continue;
      run.started = true;
      this.active += 1;
      this.hooks.requestPage(conversation, undefined);
    }
  }
}
