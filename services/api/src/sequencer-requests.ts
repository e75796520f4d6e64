// The API's way into the sequencer: the same bus record a gateway publishes for a client's
// msg:R or group:R (a ClientPacket with its Origin, keyed by conversation, on the send
// topic), so dedupe, ordering and group rules are the sequencer's, exactly as for clients.
// This process subscribes to the downlink under its own id to hear the answers.
import { randomBytes } from 'node:crypto';
import { asConnectionId, asDeviceId, ConnectionId, ConversationId, ErrorCode, FrameInit, GatewayId, UserId } from '@parley/protocol';
import type { Bus, Clock, Downlink, DownlinkSubscription } from '@parley/ports';
import { ApiError } from './api-error';
import { requestRecord } from './outbound-records';
import { AnswerKind, AnswerOf, PendingAnswers } from './pending-answers';
import type { GroupAnswered, MessageAccepted } from './sequencer-answer';
import type { InvalidField } from './stored-message';

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
  /** Counts an answer that lacked a field (its request fails INTERNAL). */
  readonly countInvalidAnswer: (field: InvalidField) => void;
}

export class SequencerRequests {
  private readonly pending: PendingAnswers;
  private subscription: DownlinkSubscription | undefined;
  private readonly connectionPrefix = `api-${randomBytes(6).toString('hex')}-`;
  private nextConnection = 1;

  constructor(private readonly options: SequencerRequestsOptions) {
    this.pending = new PendingAnswers(options.clock, options.answerTimeoutMs, options.countInvalidAnswer);
  }

  async start(): Promise<void> {
    this.subscription = await this.options.downlink.subscribe(this.options.apiId, (batch) => this.pending.settle(batch));
  }

  async stop(): Promise<void> {
    this.pending.close();
    await this.subscription?.close();
    this.subscription = undefined;
  }

  /** Sends a msg:R (`msgId` its id) as `user` and resolves with its msg:A (see `request`). */
  send(user: UserId, conversation: ConversationId, msgId: string, msgR: NonNullable<FrameInit['msgR']>): Promise<MessageAccepted> {
    return this.request('msg', user, conversation, msgId, { msgR });
  }

  /** Sends a group:R as `user` and resolves with its group:A (see `request`). */
  group(user: UserId, conversation: ConversationId, groupR: NonNullable<FrameInit['groupR']> & { requestId: string }): Promise<GroupAnswered> {
    return this.request('group', user, conversation, groupR.requestId, { groupR });
  }

  /**
   * Publishes `frame` (a msg:R or group:R whose id is `requestId`) as `user`, keyed by
   * `conversation`, and resolves with the sequencer's answer; rejects with the refusal it
   * answered, or UNAVAILABLE when the bus refused the record or no answer came in time.
   */
  private async request<K extends AnswerKind>(kind: K, user: UserId, conversation: ConversationId, requestId: string, frame: FrameInit): Promise<AnswerOf<K>> {
    // A connection id per request: answers are matched by it, and the sender's own
    // connection is the one delivery leaves out of the msg:N fan-out (none of the user's real devices).
    const connection: ConnectionId = asConnectionId(`${this.connectionPrefix}${this.nextConnection++}`);
    const answer = this.pending.wait(connection, requestId, kind);
    const value = requestRecord({ apiId: this.options.apiId, connection, user, device: API_DEVICE, receivedAtMs: this.options.clock.now() }, frame);
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
