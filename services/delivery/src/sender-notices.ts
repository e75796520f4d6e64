// The sender's ack:N: where it goes, and its repetition when it reached no gateway. It
// goes to every connection presence knows for the sender AND to the connection the
// message came from: presence may have lost the sender (the store restarted empty) while
// that connection is still open and waiting. A batch that reached no subscriber (the
// gateway's subscription re-opening after a store restart) is published again a few times
// with backoff: nothing else would repeat it before the sender's 30 s retransmit.
import { DownlinkBatcher, type Clock, type Downlink, type PresenceEntry } from '@parley/ports';
import { AckStatus, asUserId, StoredMessage, UserId } from '@parley/protocol';
import type { Counter, Logger } from '@parley/observability';
import { UnheardRepeats } from '@parley/runtime';
import type { SenderOrigin } from './deliver-record';
import { fanOut } from './fanout';

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
  notify(out: DownlinkBatcher, senderConnections: readonly PresenceEntry[] | undefined, message: StoredMessage, receiver: UserId | '', status: AckStatus, origin: SenderOrigin | undefined): void {
    let targets: readonly PresenceEntry[] = senderConnections ?? [];
    if (origin && !targets.some((e) => e.gatewayId === origin.gatewayId)) {
      const atOrigin = { user: asUserId(message.fromUser), gatewayId: origin.gatewayId, connectionId: origin.connectionId };
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
