// Cumulative group acks ("I have everything up to seq", PROTOCOL.md "Group acks are
// cumulative"): like a real client, a receiver acks the highest seq it shows contiguously
// once per flush (every GROUP_ACK_INTERVAL_MS), not every msg:N, never a seq beyond a gap
// (the server would never re-send the gap), and once more after a reconnect (the last ack
// may have died with the link). No I/O: the ack:R goes out through the writer it is given.
import type { DeliveryPosition } from './ordered-delivery';

/** How often a receiver sends its cumulative group acks (well under the 5 s re-push timeout). */
export const GROUP_ACK_INTERVAL_MS = 100;

/** A position to ack, raised in place as more is shown (no object per message). */
interface DuePosition {
  epoch: string;
  seq: number;
}

/** One connection's group acks. */
export class GroupAckState {
  /** Highest position per group conversation not yet acked. */
  readonly pending = new Map<string, DuePosition>();
  /** Highest position acked per group conversation. */
  readonly acked = new Map<string, DeliveryPosition>();
}

/** What a connection must offer to have its group acks sent. */
export interface GroupAcker {
  /** False while its link is down: its acks wait for the next welcome. */
  readonly welcomed: boolean;
  readonly groupAcks: GroupAckState;
}

export class GroupAcks<C extends GroupAcker> {
  /** Connections with acks to send. */
  private readonly due = new Set<C>();

  constructor(private readonly sendAck: (c: C, conversation: string, position: DeliveryPosition) => void) {}

  /** A group now shows everything up to `position`: acked at the next flush, unless an ack as high is already due. */
  later(c: C, conversation: string, position: DeliveryPosition): void {
    this.laterAt(c, conversation, position.epoch, position.seq);
  }

  /** `later`, for (epoch, seq). */
  laterAt(c: C, conversation: string, epoch: string, seq: number): void {
    const pending = c.groupAcks.pending;
    const known = pending.get(conversation);
    if (known && known.epoch === epoch) {
      // Already due (a connection with a pending ack is in `due` until its flush).
      if (known.seq < seq) known.seq = seq;
      return;
    }
    pending.set(conversation, { epoch, seq });
    this.due.add(c);
  }

  /** Sends every due ack of the connections whose link is up (the others keep theirs until their next welcome). */
  flush(): void {
    for (const c of this.due) {
      if (!c.welcomed) continue;
      const { pending, acked } = c.groupAcks;
      for (const [conversation, position] of pending) {
        this.sendAck(c, conversation, position);
        const last = acked.get(conversation);
        if (!last || last.epoch !== position.epoch || last.seq < position.seq) acked.set(conversation, position);
      }
      pending.clear();
      this.due.delete(c);
    }
  }

  /** After a reconnect, each group's acked position is acked once more (what is due already goes as it is). */
  again(c: C): void {
    const { pending, acked } = c.groupAcks;
    for (const [conversation, position] of acked) if (!pending.has(conversation)) pending.set(conversation, { epoch: position.epoch, seq: position.seq });
    if (pending.size > 0) this.due.add(c);
  }
}
