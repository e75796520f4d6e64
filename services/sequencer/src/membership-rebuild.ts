// Puts every group back into the membership store from the groups topic when the store
// lost its data (or is new), and holds the sequencer's batches while it does: nothing is
// sequenced or refused on a membership the store does not have yet. Delivery needs nothing
// from here: its reads of a group the store lost are refused as not known yet (transient)
// until the restored mark this writes.
import { MembershipUnavailableError, type Bus, type Clock, type Membership, type MembershipRestore, type TimerHandle } from '@parley/ports';
import type { Counter, Logger } from '@parley/observability';
import type { StoreWatch } from '@parley/runtime';
import { readGroupLog } from './group-log';

export interface MembershipRebuildParts {
  readonly bus: Bus;
  /** The groups topic. */
  readonly topic: string;
  readonly membership: Membership & MembershipRestore;
  readonly clock: Clock;
  readonly logger: Logger;
  /** `parley_sequencer_membership_rebuilds_total`. */
  readonly rebuilds: Counter<string>;
  /** Wait before a failed rebuild started by a loss is tried again, in ms. Default 1000. */
  readonly retryMs?: number;
}

/** Retriable failures in a row of the background rebuild logged at info before they become warnings. */
const TRANSIENT_FAILURES_LOGGED_AS_INFO = 5;

export class MembershipRebuild {
  private running: Promise<void> | undefined;
  private retryTimer: TimerHandle | undefined;
  private removeLossListener: (() => void) | undefined;
  private stopped = false;
  /** Background rebuilds failed in a row (reset by a success). */
  private failuresInARow = 0;
  /**
   * A loss was reported since the last rebuild started: the next one runs even where the
   * store is marked restored, as the mark may come from a rebuild the loss cut short (written
   * into the new, empty store after half the groups went into the old one).
   */
  private forced = false;

  constructor(private readonly parts: MembershipRebuildParts) {}

  /** Rebuilds at every loss the watch reports, and now if the store is not marked restored. */
  start(watch: StoreWatch): void {
    this.removeLossListener = watch.onLoss(() => {
      this.forced = true;
      this.rebuildInBackground();
    });
    this.rebuildInBackground();
  }

  stop(): void {
    this.stopped = true;
    this.removeLossListener?.();
    if (this.retryTimer) this.parts.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  /** Resolves once no rebuild is running (at once, nearly always); never rejects. */
  async settled(): Promise<void> {
    await this.running?.catch(() => undefined);
  }

  /**
   * Runs `work` (a batch) once the store's groups are there: when it meets a group the store
   * does not hold while it is not restored, rebuilds (or joins the rebuild in flight) and runs
   * it again. A rebuild that fails, or a second such refusal, rejects (transient: the batch is
   * handed again).
   */
  async whenRestored<T>(work: () => Promise<T>): Promise<T> {
    await this.settled();
    try {
      return await work();
    } catch (err) {
      if (!(err instanceof MembershipUnavailableError)) throw err;
      await this.ensureRestored();
      return await work();
    }
  }

  /**
   * Rebuilds unless the store is marked restored (and no loss was reported since the last
   * rebuild started); one rebuild at a time (callers join it), run again when a loss is
   * reported while it runs.
   */
  ensureRestored(): Promise<void> {
    this.running ??= this.rebuildUntilCurrent().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private rebuildInBackground(): void {
    if (this.stopped) return;
    if (this.retryTimer) this.parts.clock.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.ensureRestored().then(
      () => {
        this.failuresInARow = 0;
      },
      (err: unknown) => {
        if (this.stopped) return;
        this.reportFailure(err);
        this.retryTimer = this.parts.clock.setTimeout(() => this.rebuildInBackground(), this.parts.retryMs ?? 1_000);
      },
    );
  }

  /**
   * A broker that is starting answers "not the leader" for its new topics for a few seconds: a
   * retriable failure is worth a warning only when it lasts.
   */
  private reportFailure(err: unknown): void {
    this.failuresInARow++;
    const retriable = (err as { retriable?: unknown } | undefined)?.retriable === true;
    if (retriable && this.failuresInARow <= TRANSIENT_FAILURES_LOGGED_AS_INFO) {
      this.parts.logger.info({ err: (err as Error).message }, 'group membership not readable from the groups topic yet; trying again');
    } else {
      this.parts.logger.warn({ err }, 'rebuilding group membership from the groups topic failed; trying again');
    }
  }

  private async rebuildUntilCurrent(): Promise<void> {
    do {
      const forced = this.forced;
      this.forced = false;
      try {
        if (forced || !(await this.parts.membership.isRestored())) await this.rebuildOnce();
      } catch (err) {
        this.forced ||= forced;
        throw err;
      }
    } while (this.forced && !this.stopped);
  }

  private async rebuildOnce(): Promise<void> {
    const { membership, bus, topic, logger, clock } = this.parts;
    const started = clock.now();
    const groups = await readGroupLog(bus, topic, logger);
    await membership.restore(groups);
    // Only now may a group the store does not hold be answered as not existing.
    await membership.markRestored();
    this.parts.rebuilds.inc();
    logger.info({ groups: groups.length, ms: clock.now() - started }, 'group membership rebuilt from the groups topic');
  }
}
