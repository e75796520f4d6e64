// Whether a connection attempt may open, WebSocket upgrade and long-poll open alike: the
// source address's attempt rate (before the token is read), then the token, Origin and
// device (admission.ts), then the user's attempt rate and connection count (connect-limits.ts),
// where a device connecting again at the limit replaces its own older connection. Every
// refusal is counted here; the transport writes it.
import { CloseCode, DeviceId, ErrorCode, errorCodeName, UserId } from '@parley/protocol';
import type { SharedMetrics } from '@parley/observability';
import { Admission, AdmissionRequest, admit, Refusal } from './admission';
import type { Transport } from './client-link';
import { ConnectLimits } from './connect-limits';
import type { ConnectionRegistry } from './connection-registry';
import type { GatewayMetrics } from './gateway-metrics';
import type { Clock } from '@parley/ports';
import type { AdmissionSettings } from './gateway-options';

/** A connection attempt: what admission reads, and the source address the connect limits read. */
export interface ConnectAttempt extends AdmissionRequest {
  /** The peer's IP address as text (IPv4, IPv6 or IPv4-mapped IPv6). */
  readonly address: string;
}

export interface ConnectGateParts {
  readonly connections: ConnectionRegistry;
  readonly metrics: GatewayMetrics;
  readonly shared: SharedMetrics;
  /** False while the gateway is starting or stopping: new connections are refused. */
  readonly isAccepting: () => boolean;
}

export class ConnectGate {
  private readonly limits: ConnectLimits;

  constructor(
    private readonly settings: AdmissionSettings,
    private readonly clock: Clock,
    private readonly parts: ConnectGateParts,
  ) {
    this.limits = new ConnectLimits(settings.connectLimits, (user) => parts.connections.countOf(user));
  }

  admit(attempt: ConnectAttempt, transport: Transport): Admission {
    const now = this.clock.now();
    const accepting = this.parts.isAccepting();
    const byAddress = accepting ? this.limits.checkAddress(attempt.address, now) : undefined;
    if (byAddress) {
      this.parts.metrics.limitHits.inc({ reason: byAddress.limit });
      return this.refused(byAddress, transport);
    }
    const admission = admit(attempt, {
      accepting,
      allowedOrigins: this.settings.allowedOrigins,
      jwtSecret: this.settings.jwtSecret,
      maxTokenBytes: this.settings.maxTokenBytes,
      nowMs: now,
    });
    if (!admission.admitted) {
      if (admission.code === ErrorCode.TOKEN_TOO_LARGE) this.parts.metrics.limitHits.inc({ reason: 'token_too_large' });
      return this.refused(admission, transport);
    }
    const byUser = this.limits.checkUser(admission.user, now);
    if (byUser?.limit === 'connection_limit' && this.replaceSameDevice(admission.user, admission.device)) return admission;
    if (byUser) {
      this.parts.metrics.limitHits.inc({ reason: byUser.limit });
      return this.refused(byUser, transport);
    }
    return admission;
  }

  /**
   * At the connection limit, a device connecting again replaces its own oldest connection
   * (closed 4006 REPLACED): that one is almost surely a link that died without a close (a
   * phone changing networks), which the server would only notice after 2 heartbeats, and a
   * device reconnecting a few times in that window must not lock its user out.
   */
  private replaceSameDevice(user: UserId, device: DeviceId | undefined): boolean {
    if (device === undefined) return false;
    const old = this.parts.connections.find(user, '').find((link) => link.state.device === device);
    if (!old) return false;
    this.parts.metrics.limitHits.inc({ reason: 'replaced' });
    old.close(CloseCode.REPLACED, 'replaced by a newer connection of this device');
    return true;
  }

  private refused(refusal: Refusal, transport: Transport): Admission {
    const name = errorCodeName(refusal.code) ?? String(refusal.code);
    this.parts.metrics.rejectedUpgrades.inc({ reason: name, transport });
    this.parts.shared.errors.inc({ code: name, service: 'gateway' });
    const { status, code, message, retryAfterSec } = refusal;
    return { admitted: false, status, code, message, ...(retryAfterSec === undefined ? {} : { retryAfterSec }) };
  }
}
