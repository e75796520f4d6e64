// The sender's ack:N: where it goes, and its repetition when it reached no gateway. It
// goes to every connection presence knows for the sender AND to the connection the
// message came from: presence may have lost the sender (the store restarted empty) while
// that connection is still open and waiting. A batch that reached no subscriber (the
// gateway's subscription re-opening after a store restart) is published again a few times
// with backoff: nothing else would repeat it before the sender's 30 s retransmit.
import { DownlinkBatcher, type Clock, type Downlink, type PresenceEntry } from '@parley/ports';
import { AckStatus, asConnectionId, asGatewayId, asUserId, StoredMessage, UserId, parley } from '@parley/protocol';
import type { Counter, Logger } from '@parley/observability';
import { UnheardRepeats } from '@parley/runtime';
import { fanOut } from './fanout';

/** Where a message entered the system (the sender's connection), when known. */
export type SenderOrigin = Pick<parley.v1.IOrigin, 'gatewayId' | 'connectionId'> | null | undefined;

/** Delays of the repeats of an unheard ack:N, in ms (the runtime's: about 8 s in all, well before a sender's 30 s retransmit). */
export { REPEAT_DELAYS_MS } from '@parley/runtime';

export interface SenderNoticesParts {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly downlink: Downlink;
  /** `parley_delivery_notices_repeated_total`. */
  readonly repeated: Counter<string>;
}

export class SenderNotices {
  private readonly repeats: UnheardRepeats;

  constructor(parts: SenderNoticesParts) {
    this.repeats = new UnheardRepeats({ clock: parts.clock, logger: parts.logger, downlink: parts.downlink, repeated: parts.repeated, what: 'ack:N' });
  }

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
  repeatUnheard(out: DownlinkBatcher): void {
    this.repeats.repeatUnheard(out);
  }

  stop(): void {
    this.repeats.stop();
  }
}
