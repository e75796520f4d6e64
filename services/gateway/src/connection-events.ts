// user.connected / user.disconnected for the server API's webhooks: one small AppEvent record
// per connection welcomed or closed, keyed by the user, handed to the uplink (which gathers the
// event-loop turn's records into one publish): the client's path never waits for it. Only a
// welcomed connection is told, so every disconnected follows its connected. A record the bus
// refused is dropped and counted (a webhook is not worth holding a client for); a gateway that
// dies tells no disconnected for its connections (their presence entries expire with the TTL).
import { encodeAppEvent, type GatewayId } from '@parley/protocol';
import type { Clock } from '@parley/ports';
import type { Counter, Logger } from '@parley/observability';
import type { ConnectionState } from './connection';
import type { Uplink } from './uplink';

/** At most one log line about refused events per this long, in ms. */
const LOG_EVERY_MS = 10_000;

export interface ConnectionEventsParts {
  readonly uplink: Uplink;
  /** The deliver topic. */
  readonly topic: string;
  readonly gatewayId: GatewayId;
  readonly clock: Clock;
  readonly logger: Logger;
  /** `parley_gateway_app_events_dropped_total`. */
  readonly dropped: Counter<string>;
}

export class ConnectionEvents {
  private loggedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly parts: ConnectionEventsParts) {}

  connected(state: ConnectionState): void {
    this.publish(state, true);
  }

  disconnected(state: ConnectionState): void {
    this.publish(state, false);
  }

  private publish(state: ConnectionState, connected: boolean): void {
    const { uplink, topic, gatewayId, clock } = this.parts;
    const value = encodeAppEvent({
      atMs: clock.now(),
      userConnection: { userId: state.user, connected, gatewayId, connectionId: state.connectionId, deviceId: state.device },
    });
    uplink.publish(topic, { record: { key: state.user, value }, onFailure: (err) => this.refused(err) });
  }

  private refused(err: Error): void {
    this.parts.dropped.inc();
    const now = this.parts.clock.now();
    if (now - this.loggedAt < LOG_EVERY_MS) return;
    this.loggedAt = now;
    this.parts.logger.warn({ err }, 'connection events refused by the bus and dropped (the webhooks miss them)');
  }
}
