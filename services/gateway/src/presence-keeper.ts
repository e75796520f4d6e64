// Keeps this gateway's connections registered in the presence store: batched
// registrations and removals, a periodic refresh well within the TTL, and on start the
// removal of every entry an earlier run of this gateway id left behind.
import type { Clock, Presence, PresenceEntry, TimerHandle } from '@parley/ports';
import type { ConnectionId, GatewayId, UserId } from '@parley/protocol';
import type { Logger } from '@parley/observability';

export class PresenceKeeper {
  private refreshTimer: TimerHandle | undefined;
  private stopped = false;

  constructor(
    private readonly presence: Presence,
    private readonly gatewayId: GatewayId,
    private readonly ttlMs: number,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly currentEntries: () => Iterable<{ user: UserId; connectionId: ConnectionId }>,
  ) {}

  /** Removes stale entries of this gateway id; must complete before the gateway serves. */
  async clearStale(): Promise<number> {
    const removed = await this.presence.clearGateway(this.gatewayId);
    if (removed > 0) this.logger.info({ gatewayId: this.gatewayId, removed }, 'removed presence entries left by an earlier run');
    return removed;
  }

  startRefreshing(): void {
    this.scheduleRefresh();
  }

  async register(user: UserId, connectionId: ConnectionId): Promise<void> {
    await this.presence.register([{ user, gatewayId: this.gatewayId, connectionId }], this.ttlMs);
  }

  async unregister(user: UserId, connectionId: ConnectionId): Promise<void> {
    await this.presence.unregister([{ user, gatewayId: this.gatewayId, connectionId }]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.refreshTimer) this.clock.clearTimeout(this.refreshTimer);
    await this.presence.clearGateway(this.gatewayId);
  }

  private scheduleRefresh(): void {
    if (this.stopped) return;
    this.refreshTimer = this.clock.setTimeout(() => {
      this.refresh()
        .catch((err: unknown) => this.logger.warn({ err }, 'presence refresh failed; retrying at the next interval'))
        .finally(() => this.scheduleRefresh());
    }, Math.floor(this.ttlMs / 3));
  }

  private async refresh(): Promise<void> {
    const entries: PresenceEntry[] = [];
    for (const { user, connectionId } of this.currentEntries()) entries.push({ user, gatewayId: this.gatewayId, connectionId });
    for (let i = 0; i < entries.length; i += 1000) await this.presence.register(entries.slice(i, i + 1000), this.ttlMs);
  }
}
