// The API's way into the sequencer: the same bus record a gateway publishes for a client's
// msg:R or group:R (a ClientPacket with its Origin, keyed by conversation, on the send
// topic), so dedupe, ordering and group rules are the sequencer's, exactly as for clients.
// This process subscribes to the downlink under its own id to hear the answers.
import { randomBytes } from 'node:crypto';
import {
  asConnectionId,
  asDeviceId,
  ConnectionId,
  encodeClientPacket,
  ErrorCode,
  FrameInit,
  GatewayId,
  UserId,
} from '@parley/protocol';
import type { Bus, Clock, Downlink, DownlinkSubscription } from '@parley/ports';
import { ApiError } from './api-error';
import { Answer, PendingAnswers } from './pending-answers';

/** The device an API request speaks from: its messages carry client_seq 0 (unnumbered, no device order). */
export const API_DEVICE = asDeviceId('server-api');

export interface SequencerRequestsOptions {
  readonly bus: Bus;
  readonly downlink: Downlink;
  readonly sendTopic: string;
  /** This process's downlink id (unique among gateways and API processes). */
  readonly apiId: GatewayId;
  readonly clock: Clock;
  readonly answerTimeoutMs: number;
}

export class SequencerRequests {
  private readonly pending: PendingAnswers;
  private subscription: DownlinkSubscription | undefined;
  private readonly connectionPrefix = `api-${randomBytes(6).toString('hex')}-`;
  private nextConnection = 1;

  constructor(private readonly options: SequencerRequestsOptions) {
    this.pending = new PendingAnswers(options.clock, options.answerTimeoutMs);
  }

  async start(): Promise<void> {
    this.subscription = await this.options.downlink.subscribe(this.options.apiId, (batch) => this.pending.settle(batch));
  }

  async stop(): Promise<void> {
    this.pending.close();
    await this.subscription?.close();
    this.subscription = undefined;
  }

  /**
   * Publishes `frame` (a msg:R or group:R whose id is `requestId`) as `user`, keyed by
   * `conversation`, and resolves with the sequencer's answer; rejects with the refusal it
   * answered, or UNAVAILABLE when the bus refused the record or no answer came in time.
   */
  async request(user: UserId, conversation: string, requestId: string, frame: FrameInit): Promise<Answer> {
    // A connection id per request: answers are matched by it, and the sender's own
    // connection is the one delivery leaves out of the msg:N fan-out (none of the user's real devices).
    const connection: ConnectionId = asConnectionId(`${this.connectionPrefix}${this.nextConnection++}`);
    const answer = this.pending.wait(connection, requestId);
    const now = this.options.clock.now();
    const value = encodeClientPacket({
      origin: { gatewayId: this.options.apiId, connectionId: connection, userId: user, receivedAtMs: now, deviceId: API_DEVICE },
      frame,
    });
    try {
      await this.options.bus.publish(this.options.sendTopic, [{ key: conversation, value }]);
    } catch (err) {
      this.pending.fail(connection, new ApiError(503, ErrorCode.UNAVAILABLE, `the bus refused the request (${(err as Error).message}); retry with the same id`));
    }
    return answer;
  }

  get waiting(): number {
    return this.pending.size;
  }
}
