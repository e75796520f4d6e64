// Notices, within one check interval, that the shared store (Redis) lost its data: reads
// the store's generation marker periodically and at every reconnect, and tells the
// services that hold state tied to the store (a gateway's presence entries, delivery's
// pending pushes) so they can put it back.
import type { Clock, StoreGeneration, StoreGenerationId, TimerHandle } from '@parley/ports';
import type { Counter, Logger } from '@parley/observability';

export interface StoreLoss {
  /** The generation this process knew. */
  readonly previous: StoreGenerationId;
  /** The generation the store holds now (written by whichever process read it first). */
  readonly current: StoreGenerationId;
}

export type StoreLossListener = (loss: StoreLoss) => void;

export interface StoreWatchOptions {
  /** Time between two reads of the marker, in milliseconds. */
  readonly intervalMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
  /** `parley_store_data_loss_total`. */
  readonly losses: Counter<string>;
}

/**
 * The first successful read is the baseline (a store without a marker at start is a new
 * store, not a loss). Reads never overlap: a reconnect during a read asks for one more
 * read right after it. An unreachable store is logged once per outage; its losses are
 * seen when it answers again (the reconnect triggers the read at once).
 */
export class StoreWatch {
  private readonly listeners = new Set<StoreLossListener>();
  private known: StoreGenerationId | undefined;
  private timer: TimerHandle | undefined;
  private removeReconnectListener: (() => void) | undefined;
  private running = false;
  private reading: Promise<void> | undefined;
  /** The read asked for while one was in flight: it starts when that one ends. */
  private readAfter: Promise<void> | undefined;
  private unreachable = false;

  constructor(
    private readonly generation: StoreGeneration,
    private readonly options: StoreWatchOptions,
  ) {}

  /** Registers a listener (listeners run in registration order); returns its removal. */
  onLoss(listener: StoreLossListener): () => void {
    const registered: StoreLossListener = (loss) => listener(loss);
    this.listeners.add(registered);
    return () => {
      this.listeners.delete(registered);
    };
  }

  /** Reads the baseline now, then every interval and at each reconnect. Starting twice does nothing. */
  start(): Promise<void> {
    if (this.running) return this.reading ?? Promise.resolve();
    this.running = true;
    this.removeReconnectListener = this.generation.onReconnect(() => void this.check());
    return this.check();
  }

  stop(): void {
    this.running = false;
    this.removeReconnectListener?.();
    this.removeReconnectListener = undefined;
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * Reads the marker now, or right after the read in flight (which may have been answered
   * before the reason to check arose); resolves once a read that started after this call
   * is done and its loss, if any, reported.
   */
  check(): Promise<void> {
    if (!this.running) return Promise.resolve();
    if (!this.reading) return this.startRead();
    this.readAfter ??= this.reading.then(() => {
      this.readAfter = undefined;
      return this.running ? this.startRead() : undefined;
    });
    return this.readAfter;
  }

  private startRead(): Promise<void> {
    if (this.timer) this.options.clock.clearTimeout(this.timer);
    this.timer = undefined;
    const reading: Promise<void> = this.readOnce().finally(() => {
      if (this.reading === reading) this.reading = undefined;
      if (this.running && !this.readAfter) this.timer = this.options.clock.setTimeout(() => void this.check(), this.options.intervalMs);
    });
    this.reading = reading;
    return reading;
  }

  private async readOnce(): Promise<void> {
    let current: StoreGenerationId;
    try {
      current = await this.generation.read();
    } catch (err) {
      if (!this.unreachable) this.options.logger.warn({ err }, 'store unreachable; its generation is read again when it answers');
      this.unreachable = true;
      return;
    }
    this.unreachable = false;
    const previous = this.known;
    this.known = current;
    if (previous === undefined || previous === current || !this.running) return;
    this.options.losses.inc();
    this.options.logger.error({ previous, current }, 'the store (Redis) lost its data: its generation marker is gone or replaced');
    for (const listener of [...this.listeners]) {
      try {
        listener({ previous, current });
      } catch (err) {
        this.options.logger.error({ err }, 'a store loss listener failed');
      }
    }
  }
}
