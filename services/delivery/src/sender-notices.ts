// The sender's ack:N: where it goes, and its repetition when it reached no gateway. It
// goes to every connection presence knows for the sender AND to the connection the
// message came from: presence may have lost the sender (the store restarted empty) while
// that connection is still open and waiting. A batch that reached no subscriber (the
// gateway's subscription re-opening after a store restart) is published again a few times
// with backoff: nothing else would repeat it before the sender's 30 s retransmit.
import type { Clock, Downlink, PresenceEntry } from '@parley/ports';
import { AckStatus, asConnectionId, asGatewayId, asUserId, StoredMessage, UserId, parley } from '@parley/protocol';
import type { Counter, Logger } from '@parley/observability';
import { DownlinkBatcher } from '@parley/runtime';
import { fanOut } from './fanout';

/** Where a message entered the system (the sender's connection), when known. */
export type SenderOrigin = Pick<parley.v1.IOrigin, 'gatewayId' | 'connectionId'> | null | undefined;

/** Delays of the repeats of an unheard ack:N, in ms: about 8 s in all, well before a sender's 30 s retransmit. */
export const REPEAT_DELAYS_MS: readonly number[] = [100, 250, 500, 1_000, 2_000, 4_000];

export interface SenderNoticesParts {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly downlink: Downlink;
  /** `parley_delivery_notices_repeated_total`. */
  readonly repeated: Counter<string>;
}

export class SenderNotices {
  private stopped = false;
  private readonly timers = new Set<ReturnType<Clock['setTimeout']>>();

  constructor(private readonly parts: SenderNoticesParts) {}

  /**
   * Queues ack:N for `message` on `out`: to the sender's connections and its origin
   * connection. `receiver` is the 1:1 receiver, or '' for a group's QUEUED.
   */
  notify(out: DownlinkBatcher, senderConnections: readonly PresenceEntry[] | undefined, message: StoredMessage, receiver: UserId | '', status: AckStatus, origin: SenderOrigin): void {
    let targets: readonly PresenceEntry[] = senderConnections ?? [];
    const originGateway = origin?.gatewayId ?? '';
    if (originGateway && !targets.some((e) => e.gatewayId === originGateway)) {
      const atOrigin = { user: asUserId(message.fromUser), gatewayId: asGatewayId(originGateway), connectionId: asConnectionId(origin?.connectionId ?? '') };
      targets = [...targets, atOrigin];
    }
    if (targets.length === 0) return; // the sender is gone; it retransmits after reconnecting
    const frame = { ackN: { conversation: message.conversation, position: message.position, msgId: message.msgId, toUser: receiver, status } };
    fanOut(out, frame, targets, undefined, { repeatIfUnheard: true });
  }

  /** After `out` was flushed: publishes its unheard ack:N again, with backoff, until heard or out of attempts. */
  repeatUnheard(out: DownlinkBatcher, attempt = 0): void {
    const lost = out.unheard();
    if (!lost || this.stopped) return;
    const delayMs = REPEAT_DELAYS_MS[attempt];
    if (delayMs === undefined) {
      this.parts.logger.warn({ gateways: lost.gatewayCount }, 'ack:N reached no gateway after every repeat; the senders retransmit');
      return;
    }
    const timer = this.parts.clock.setTimeout(() => {
      this.timers.delete(timer);
      if (this.stopped) return;
      this.parts.repeated.inc(lost.gatewayCount);
      // A failed publish leaves every item unheard: the next attempt takes them all again.
      lost.flush(this.parts.downlink).then(
        () => this.repeatUnheard(lost, attempt + 1),
        (err: unknown) => {
          this.parts.logger.warn({ err }, 'repeating ack:N failed; trying again');
          this.repeatUnheard(lost, attempt + 1);
        },
      );
    }, delayMs);
    this.timers.add(timer);
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers) this.parts.clock.clearTimeout(timer);
    this.timers.clear();
  }
}
