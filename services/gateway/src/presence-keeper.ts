// Keeps this gateway's connections registered in the presence store: registrations and
// removals gathered per event-loop turn into one call each, a periodic refresh well
// within the TTL, and on start the removal of every entry an earlier run of this gateway
// id left behind.
import type { Clock, Presence, PresenceEntry, TimerHandle } from '@parley/ports';
import type { ConnectionId, GatewayId, UserId } from '@parley/protocol';
import type { Logger } from '@parley/observability';

/** A connection as presence sees it (a connection's state serves as is). */
export interface PresenceKey {
  readonly user: UserId;
  readonly connectionId: ConnectionId;
}

/** Entries per presence call: a refresh of many connections goes out in slices of this size. */
const SLICE = 1000;

/**
 * Registrations gathered in one event-loop turn; `stored` settles as their one store call does.
 * It holds the connections themselves and their entries are made as the call goes out: an
 * entry per connection held through a turn of handshakes was promoted by the scavenges of a
 * burst of reconnects.
 */
class RegistrationBatch {
  readonly connections: PresenceKey[] = [];
  readonly stored: Promise<void>;
  settle!: (outcome: Promise<void>) => void;

  constructor() {
    this.stored = new Promise<void>((resolve) => {
      this.settle = resolve;
    });
  }
}

export interface PresenceKeeperOptions {
  /** Runs a flush once the current event-loop turn's connections are gathered (default setImmediate). */
  readonly schedule?: (task: () => void) => void;
}

export class PresenceKeeper {
  private refreshTimer: TimerHandle | undefined;
  private stopped = false;
  private registering: RegistrationBatch | undefined;
  private unregistering: PresenceEntry[] = [];
  private flushScheduled = false;
  private readonly schedule: (task: () => void) => void;

  constructor(
    private readonly presence: Presence,
    private readonly gatewayId: GatewayId,
    private readonly ttlMs: number,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly currentEntries: () => Iterable<PresenceKey>,
    options: PresenceKeeperOptions = {},
  ) {
    this.schedule = options.schedule ?? setImmediate;
  }

  /** Removes stale entries of this gateway id; must complete before the gateway serves. */
  async clearStale(): Promise<number> {
    const removed = await this.presence.clearGateway(this.gatewayId);
    if (removed > 0) this.logger.info({ gatewayId: this.gatewayId, removed }, 'removed presence entries left by an earlier run');
    return removed;
  }

  startRefreshing(): void {
    this.scheduleRefresh();
  }

  /**
   * Registers a connection. Settles once the batch holding it is stored: the connections
   * registered in one event-loop turn share one store call and one promise.
   */
  register(connection: PresenceKey): Promise<void> {
    if (!this.registering) this.registering = new RegistrationBatch();
    this.registering.connections.push(connection);
    this.scheduleFlush();
    return this.registering.stored;
  }

  /** Removes a connection's entry with the turn's other removals; a failure is only logged (the entry expires with its TTL). */
  unregister(connection: PresenceKey): void {
    this.unregistering.push(this.entryOf(connection));
    this.scheduleFlush();
  }

  /** Sends what is gathered, stops refreshing and removes every entry of this gateway. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.refreshTimer) this.clock.clearTimeout(this.refreshTimer);
    this.flush();
    await this.presence.clearGateway(this.gatewayId);
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    this.schedule(() => this.flush());
  }

  /** Registrations go before removals: a connection that opened and closed in one turn ends unregistered. */
  private flush(): void {
    this.flushScheduled = false;
    const batch = this.registering;
    this.registering = undefined;
    if (batch) batch.settle(this.presence.register(batch.connections.map((connection) => this.entryOf(connection)), this.ttlMs));
    if (this.unregistering.length === 0) return;
    const removals = this.unregistering;
    this.unregistering = [];
    this.presence.unregister(removals).catch((err: unknown) => {
      this.logger.warn({ err, entries: removals.length }, 'presence removal failed; the entries expire with their TTL');
    });
  }

  private entryOf(connection: PresenceKey): PresenceEntry {
    return { user: connection.user, gatewayId: this.gatewayId, connectionId: connection.connectionId };
  }

  private scheduleRefresh(): void {
    if (this.stopped) return;
    this.refreshTimer = this.clock.setTimeout(() => {
      this.refresh()
        .catch((err: unknown) => this.logger.warn({ err }, 'presence refresh failed; retrying at the next interval'))
        .finally(() => this.scheduleRefresh());
    }, Math.floor(this.ttlMs / 3));
  }

  /**
   * Registers these connections now, every slice issued at once (the store client pipelines
   * them): after the store lost its data the whole gateway must be findable again fast.
   * Settles when every slice is stored; rejects when one failed.
   */
  async registerAll(connections: Iterable<PresenceKey>): Promise<void> {
    const stores: Array<Promise<void>> = [];
    let slice: PresenceEntry[] = [];
    for (const connection of connections) {
      slice.push(this.entryOf(connection));
      if (slice.length < SLICE) continue;
      stores.push(this.presence.register(slice, this.ttlMs));
      slice = [];
    }
    if (slice.length > 0) stores.push(this.presence.register(slice, this.ttlMs));
    await Promise.all(stores);
  }

  /** Registers every current connection again, a slice at a time (never a list of every entry at once). */
  private async refresh(): Promise<void> {
    let slice: PresenceEntry[] = [];
    for (const connection of this.currentEntries()) {
      slice.push(this.entryOf(connection));
      if (slice.length < SLICE) continue;
      await this.presence.register(slice, this.ttlMs);
      slice = [];
    }
    if (slice.length > 0) await this.presence.register(slice, this.ttlMs);
  }
}
