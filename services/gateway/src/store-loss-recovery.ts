// What the gateway does when the store (Redis) lost its data: the presence entries of its
// connections went with it, so delivery finds nobody online and pushes nothing. Every
// connection is registered again at once, and only then told resync:N, so that (as after
// a welcome) every message newer than the client's catch-up is either pushed or in the
// inbox it pulls.
import type { Clock, TimerHandle } from '@parley/ports';
import type { Counter, Logger } from '@parley/observability';
import { PACKET_NAMES } from '@parley/protocol';
import { resyncFrame } from './outbound-frame';
import type { ClientLink } from './client-link';
import type { PresenceKeeper } from './presence-keeper';

export interface StoreLossRecoveryParts {
  readonly presence: PresenceKeeper;
  /** A snapshot of the gateway's connections (WebSocket and long-poll alike). */
  readonly links: () => ClientLink[];
  readonly clock: Clock;
  readonly logger: Logger;
  /** `parley_packets_total` (type, direction). */
  readonly packets: Counter<'type' | 'direction'>;
  /** Wait before registering again when the store refused the re-registration, in ms. */
  readonly retryDelayMs: number;
}

/**
 * One recovery at a time: losses reported while one runs are covered by one more run after
 * it (its snapshot is taken then), so a connection gets at most one resync:N per loss. A
 * connection not yet welcomed gets none: its own registration is in the snapshot, and its
 * welcome, which the client answers with the same catch-up, comes after it.
 */
export class StoreLossRecovery {
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private retryTimer: TimerHandle | undefined;
  private wakeRetry: (() => void) | undefined;

  constructor(private readonly parts: StoreLossRecoveryParts) {}

  /** The store lost its data: re-register, then resync. Resolves when this loss is handled (or the gateway stops). */
  recover(reason = 'store lost its data'): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.run(reason).finally(() => {
      this.running = undefined;
      if (this.again && !this.stopped) {
        this.again = false;
        void this.recover(reason);
      }
    });
    return this.running;
  }

  stop(): void {
    this.stopped = true;
    if (this.retryTimer) this.parts.clock.clearTimeout(this.retryTimer);
    this.wakeRetry?.();
  }

  private async run(reason: string): Promise<void> {
    const links = this.parts.links();
    const startedAt = this.parts.clock.now();
    for (;;) {
      try {
        await this.parts.presence.registerAll(links.filter((link) => !link.state.closed).map((link) => link.state));
        break;
      } catch (err) {
        this.parts.logger.warn({ err, connections: links.length }, 'presence re-registration after the store loss failed; retrying');
        await this.delay(this.parts.retryDelayMs);
        if (this.stopped) return;
      }
    }
    const frame = resyncFrame(reason);
    let told = 0;
    for (const link of links) {
      if (link.state.closed || !link.state.welcomed) continue;
      link.send([frame]);
      told += 1;
    }
    this.parts.packets.inc({ type: PACKET_NAMES.resyncN, direction: 'out' }, told);
    this.parts.logger.warn({ connections: links.length, resynced: told, tookMs: this.parts.clock.now() - startedAt }, 'presence restored after the store loss; connections told to resync');
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wakeRetry = resolve;
      this.retryTimer = this.parts.clock.setTimeout(() => {
        this.retryTimer = undefined;
        resolve();
      }, ms);
    });
  }
}
