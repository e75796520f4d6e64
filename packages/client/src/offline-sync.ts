// The offline inbox pull run after every welcome: offline:R page by page until has_more
// is false, and offline:R again (same cursor) when an answer does not come in time.
import { backoffCeilingMs } from '@parley/protocol';
import type { Clock, TimerHandle } from './clock';

/** What an offline:A means for the pull. */
export type OfflinePageVerdict =
  /** The next page was requested. */
  | 'more'
  /** That was the last page. */
  | 'done'
  /** Not the answer to the request outstanding (a late copy, or no pull running): nothing changes. */
  | 'stale';

export interface OfflineSyncTiming {
  /** First wait for an offline:A before asking again, in ms; doubles per retry. */
  readonly retryTimeoutMs: number;
  /** Ceiling of the doubling wait, in ms. */
  readonly maxRetryTimeoutMs: number;
}

/**
 * The pull only decides what to ask for; the caller feeds each page's messages to the
 * receive path and sends its offlineack:R before calling answered(), so the acks of a page
 * go out before the request for the next one.
 *
 * The protocol has no request id: an answer whose next_cursor is the cursor just requested
 * is the late copy of the previous page (answering a retried request), not a new page.
 */
export class OfflineSync {
  private running = false;
  private cursor = '';
  private limit = 0;
  private attempt = 0;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly timing: OfflineSyncTiming,
    /** Sends offline:R. */
    private readonly request: (limit: number, cursor: string) => void,
  ) {}

  get inProgress(): boolean {
    return this.running;
  }

  /** Starts a pull from the beginning of the inbox (any pull in progress is abandoned). */
  start(limit: number): void {
    this.stop();
    this.running = true;
    this.cursor = '';
    this.limit = limit;
    this.attempt = 0;
    this.ask();
  }

  answered(hasMore: boolean, nextCursor: string): OfflinePageVerdict {
    if (!this.running) return 'stale';
    if (hasMore && nextCursor !== '' && nextCursor === this.cursor) return 'stale';
    this.clearTimer();
    // has_more without a cursor would restart from the beginning forever: treat it as the end.
    if (!hasMore || !nextCursor) {
      this.running = false;
      return 'done';
    }
    this.cursor = nextCursor;
    this.attempt = 0;
    this.ask();
    return 'more';
  }

  /** The link is gone (or the client closed): the next welcome starts a new pull. */
  stop(): void {
    this.running = false;
    this.clearTimer();
  }

  private ask(): void {
    const delay = backoffCeilingMs({ minDelayMs: this.timing.retryTimeoutMs, maxDelayMs: this.timing.maxRetryTimeoutMs }, this.attempt);
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.attempt += 1;
      this.ask();
    }, delay);
    this.request(this.limit, this.cursor);
  }

  private clearTimer(): void {
    if (this.timer) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }
}
