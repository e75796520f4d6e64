// After the store lost its data: what delivery holds in memory for it (pending 1:1 pushes,
// group messages a member's connection has not acked) is written back to the receivers'
// inboxes, retried every second until written; and an inbox pull waits for that write-back,
// so the pull a client makes after resync:N finds every pending message.
import type { Logger } from '@parley/observability';
import type { Clock } from '@parley/ports';
import type { StoreWatch } from '@parley/runtime';
import type { DeliveryMetrics } from './delivery-metrics';

/** Writes what one part holds back to the inboxes; resolves with how many entries it wrote. */
export interface InboxRestorers {
  direct(): Promise<number>;
  group(): Promise<{ restored: number; unkept: number }>;
}

export interface StoreLossRecoveryParts {
  readonly storeWatch: StoreWatch;
  readonly restorers: InboxRestorers;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Pick<DeliveryMetrics, 'inboxRestored'>;
}

/** What an inbox pull waits for before it reads the inbox. */
export interface StoreLossSettling {
  settled(): Promise<void>;
}

export class StoreLossRecovery implements StoreLossSettling {
  private removeLossListener: (() => void) | undefined;
  private stopped = false;
  /** The write-back after a store loss, while it runs (losses in a row queue behind each other). */
  private restoring: Promise<void> | undefined;

  constructor(private readonly parts: StoreLossRecoveryParts) {}

  /** Listens for losses and starts the store watch. */
  async start(): Promise<void> {
    this.removeLossListener = this.parts.storeWatch.onLoss(() => {
      const restoring: Promise<void> = (this.restoring ?? Promise.resolve()).then(() => this.afterStoreLoss());
      this.restoring = restoring;
      void restoring.finally(() => {
        if (this.restoring === restoring) this.restoring = undefined;
      });
    });
    await this.parts.storeWatch.start();
  }

  /** No more losses are listened to; a write-back in progress stops retrying. */
  stop(): void {
    this.stopped = true;
    this.removeLossListener?.();
  }

  /**
   * Before an inbox pull: the store is checked for a loss now (one marker read, shared with
   * a read in flight) and a write-back in progress is awaited, so the pull a client makes
   * after resync:N finds every pending message, even when this process's connection to the
   * store came back after the gateway's.
   */
  async settled(): Promise<void> {
    await this.parts.storeWatch.check();
    await this.restoring;
  }

  /**
   * The store lost its data. Pending 1:1 messages, and the kept group messages a member's
   * connection has not acked, go back into their receivers' inboxes (until written, retried
   * every second: the receivers pull after their resync:N, and that pull waits for this).
   * Both stay tracked and are pushed again from memory until acked.
   */
  async afterStoreLoss(): Promise<void> {
    const { restorers, metrics, logger, clock } = this.parts;
    for (let attempt = 1; !this.stopped; attempt += 1) {
      try {
        const [direct, group] = await Promise.all([restorers.direct(), restorers.group()]);
        metrics.inboxRestored.inc({ kind: 'direct' }, direct);
        metrics.inboxRestored.inc({ kind: 'group' }, group.restored);
        logger.warn({ restored: direct, groupRestored: group.restored, groupUnkept: group.unkept }, 'pending messages written back to the inboxes after the store loss');
        return;
      } catch (err) {
        logger.warn({ err, attempt }, 'writing pending messages back to the inboxes failed; retrying');
        await new Promise<void>((resolve) => clock.setTimeout(resolve, 1_000));
      }
    }
  }
}
