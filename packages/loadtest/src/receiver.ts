// The receiving side of one worker's connections: every msg:N (pushed, pulled from the inbox
// or synced) goes through the connection's own ordering model (OrderedDelivery, never the
// SDK's) into its receipt ledger, which the verdict judges; 1:1 messages are acked per
// message, groups cumulatively (GroupAcks). Also the catch-up after a welcome or resync:N (the
// inbox pull, what is held while it runs, the syncs after it) and the syncs of gaps that stay open.
// A group msg:N that simply comes next is taken straight from its bytes (tryPushedBytes), the
// same checks and records without decoding it into objects; everything else is decoded.
import type { OfflinePage, Position, ReceivedMessage, SyncPage } from '@parley/client/wire';
import { encodeFrame, isGroupConversation } from '@parley/protocol';
import type { Connection, FrameWriter } from './load-connection';
import type { GroupAcks } from './group-acks';
import { bytesEqual, clientSeqOfIdBytes, float64LEAt, newMsgNotifyFields, scanMsgNotify } from './msg-notify-scan';
import { OrderedDelivery } from './ordered-delivery';
import { MIN_PAYLOAD_BYTES, sentAtOf } from './payload';
import { newReceiveLane, type ReceiveLane } from './receive-lane';
import type { WorkerTally } from './worker-tally';

/** A pull not done after this long no longer holds pushes back (they are released as they stand). */
const PULL_HOLD_LIMIT_MS = 30_000;

const utf8Of = (buf: Uint8Array, start: number, end: number): string => Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('utf8');
const copyOf = (buf: Uint8Array, start: number, end: number): Uint8Array => new Uint8Array(buf.subarray(start, end));

export class Receiver {
  /** Where the scanner puts a msg:N's fields (one per worker: frames are handled one at a time). */
  private readonly fields = newMsgNotifyFields();
  /** msg:N taken from their bytes, and msg:N decoded in full: how often the short way applied. */
  readonly pushes = { fromBytes: 0, decoded: 0 };

  constructor(
    private readonly tally: WorkerTally,
    private readonly write: FrameWriter,
    private readonly groupAcks: GroupAcks<Connection>,
  ) {}

  /**
   * A frame taken straight from its bytes when it is a msg:N of a group conversation that
   * simply comes next: no pull running, of the epoch delivered from, the seq after the last
   * one shown, nothing held behind a gap, from another user, its msg_id naming its
   * client_seq. It is then shown, recorded in the ledger (which judges it as ever: a
   * message already seen at another position is a duplicate) and covered by the next
   * cumulative ack, exactly as `onPushed` would. False: nothing was done; decode the frame
   * and hand it to `onPushed` (or whoever owns its packet).
   */
  tryPushedBytes(c: Connection, buf: Uint8Array): boolean {
    const f = this.fields;
    if (c.pullStartedMs !== 0 || !scanMsgNotify(buf, f)) return false;
    if (!f.hasPosition || f.seq < 1 || f.conversationEnd === f.conversationStart || f.msgIdEnd === f.msgIdStart) return false;
    const lane = this.laneOf(c, buf);
    if (lane === undefined) return false;
    const delivery = lane.delivery;
    if (f.seq !== delivery.lastSeq + 1) return false;
    if (lane.epoch !== delivery.currentEpoch) {
      lane.epoch = delivery.currentEpoch;
      if (lane.epoch !== undefined) lane.epochBytes = Buffer.from(lane.epoch, 'utf8');
    }
    const epoch = lane.epoch;
    if (epoch === undefined || !bytesEqual(buf, f.epochStart, f.epochEnd, lane.epochBytes)) return false;
    if (lane.sender < 0 || !bytesEqual(buf, f.fromStart, f.fromEnd, lane.fromBytes)) {
      lane.from = utf8Of(buf, f.fromStart, f.fromEnd);
      lane.fromBytes = copyOf(buf, f.fromStart, f.fromEnd);
      lane.sender = c.ledger.senderOf(lane.from);
    }
    // One of this user's own messages fills its seq rather than being shown (onReceived).
    if (lane.from === c.plan.user || clientSeqOfIdBytes(buf, f.msgIdStart, f.msgIdEnd) !== f.clientSeq) return false;
    if (!delivery.takeNext(epoch, f.seq)) return false;
    this.pushes.fromBytes++;
    if (c.ledger.recordIn(lane.receipts, epoch, f.seq, lane.sender, f.clientSeq) === 'first') {
      let sentAt: number | undefined;
      if (f.payloadEnd - f.payloadStart >= MIN_PAYLOAD_BYTES) {
        const value = float64LEAt(buf, f.payloadStart);
        if (Number.isFinite(value) && value > 0) sentAt = value;
      }
      this.tally.delivered(sentAt);
    }
    this.groupAcks.laterAt(c, lane.conversation, epoch, f.seq);
    return true;
  }

  /** The lane of the scanned msg:N's conversation, when it is a group (undefined: a 1:1 conversation). */
  private laneOf(c: Connection, buf: Uint8Array): ReceiveLane | undefined {
    const f = this.fields;
    const last = c.lane;
    if (last !== undefined && bytesEqual(buf, f.conversationStart, f.conversationEnd, last.conversationBytes)) return last;
    const conversation = utf8Of(buf, f.conversationStart, f.conversationEnd);
    if (!isGroupConversation(conversation)) return undefined;
    let lane = c.lanes.get(conversation);
    if (lane === undefined) {
      lane = newReceiveLane(conversation, copyOf(buf, f.conversationStart, f.conversationEnd), this.deliveryOf(c, conversation), c.ledger.receiptsOf(conversation));
      c.lanes.set(conversation, lane);
    }
    c.lane = lane;
    return lane;
  }

  /**
   * After a welcome (and after resync:N, "exactly as after a welcome"): pull the inbox and,
   * when this is not the first link (`again`), sync every conversation once the pull is done
   * (a group may keep no inbox entries).
   */
  startPull(c: Connection, again: boolean): void {
    c.pullStartedMs = Date.now();
    c.syncAfterPull ||= again;
    this.write(c, 'offlineR', encodeFrame({ offlineR: { limit: 0, cursor: '' } }));
  }

  /** A pushed msg:N: held while the pull runs when it is of an epoch not delivered from yet; a 1:1 one is acked (repeats too, at most once per interval). */
  onPushed(c: Connection, n: ReceivedMessage): void {
    this.pushes.decoded++;
    if (this.holdsEpoch(c, n.conversation, n.position.epoch)) c.heldDuringPull.push(() => this.onReceived(c, n));
    else this.onReceived(c, n);
    // 1:1 acks are per message, repeats too (at most once per interval); group acks are cumulative (onReceived).
    if (!isGroupConversation(n.conversation)) this.ackDirect(c, n.conversation, n.position);
  }

  /** An offline:A page: delivered, acked with offlineack:R, the next page asked for or the pull done. */
  onOfflinePage(c: Connection, a: OfflinePage): void {
    const messages = a.messages;
    for (const n of messages) this.onReceived(c, n);
    if (messages.length > 0) this.write(c, 'offlineackR', encodeFrame({ offlineackR: { refs: messages.map((n) => ({ conversation: n.conversation, position: n.position })) } }));
    if (a.hasMore) this.write(c, 'offlineR', encodeFrame({ offlineR: { limit: 0, cursor: a.nextCursor } }));
    else this.pullDone(c);
  }

  /** A sync:A page: delivered (from where it starts when it is a reset), the next page asked for or the sync done. */
  onSyncPage(c: Connection, a: SyncPage): void {
    const conversation = a.conversation;
    const messages = a.messages;
    const first = messages[0];
    if (a.reset) {
      // The page does not follow the position asked from (a new epoch, or past the retention): continue from the page.
      this.tally.countError('sync-reset');
      if (first) for (const m of this.deliveryOf(c, conversation).reset(first.position.epoch, first.position.seq)) this.onMessage(c, m);
    }
    for (const n of messages) {
      this.onReceived(c, n);
      // 1:1 messages first received by sync are acked per message (PROTOCOL.md, "Sync by seq").
      if (!isGroupConversation(conversation)) this.ackDirect(c, conversation, n.position);
    }
    const last = messages[messages.length - 1];
    if (a.hasMore && last) this.write(c, 'syncR', encodeFrame({ syncR: { requestId: `s-${conversation}`, conversation, after: last.position, limit: 0 } }));
    else c.delivery.get(conversation)?.synced();
  }

  /** One of this connection's own messages has (epoch, seq): not a gap in what it shows. */
  fillOwn(c: Connection, conversation: string, epoch: string, seq: number): void {
    if (this.holdsEpoch(c, conversation, epoch)) {
      c.heldDuringPull.push(() => this.fillOwn(c, conversation, epoch, seq));
      return;
    }
    const delivery = this.deliveryOf(c, conversation);
    for (const m of delivery.fill(epoch, seq)) this.onMessage(c, m);
    this.shownUpTo(c, conversation, delivery);
  }

  /**
   * A new epoch waiting is synced at once, a gap open past its grace once; then again after a
   * backoff while it stays open (OrderedDelivery.syncDue).
   */
  syncOpenGaps(connections: readonly Connection[]): void {
    const now = Date.now();
    for (const c of connections) {
      if (!c.welcomed) continue;
      if (c.pullStartedMs > 0 && now - c.pullStartedMs > PULL_HOLD_LIMIT_MS) {
        this.tally.countError('pull-not-done');
        this.pullDone(c);
      }
      if (c.pullStartedMs > 0) continue; // syncs start once the pull is done
      for (const [conversation, delivery] of c.delivery) {
        // A new epoch no sync reached within the bound is entered as it stands (counted: a late old-epoch message may follow).
        const expiredBefore = delivery.epochHoldsExpired;
        const released = delivery.expireWait();
        if (delivery.epochHoldsExpired > expiredBefore) this.tally.countError('epoch-hold-expired');
        for (const m of released) this.onMessage(c, m);
        if (released.length > 0) this.shownUpTo(c, conversation, delivery);
        if (delivery.syncDue()) this.sync(c, conversation);
      }
    }
  }

  /**
   * While the pull after a welcome or resync:N runs, a pushed message (or an own msg:A) of
   * an epoch the connection has not delivered from waits: the pull's messages of the epoch
   * it was in come first (PROTOCOL.md, receiver rule 5 and "resync:N").
   */
  private holdsEpoch(c: Connection, conversation: string, epoch: string): boolean {
    if (c.pullStartedMs === 0) return false;
    const position = c.delivery.get(conversation)?.position;
    return position === undefined || position.epoch !== epoch;
  }

  /** The pull ended: what was held is delivered, then every conversation is synced (after a reconnect or resync:N). */
  private pullDone(c: Connection): void {
    if (c.pullStartedMs === 0) return;
    c.pullStartedMs = 0;
    for (const release of c.heldDuringPull.splice(0)) release();
    if (c.syncAfterPull) {
      c.syncAfterPull = false;
      for (const conversation of c.delivery.keys()) this.sync(c, conversation);
    }
  }

  private deliveryOf(c: Connection, conversation: string): OrderedDelivery<ReceivedMessage> {
    let delivery = c.delivery.get(conversation);
    if (!delivery) c.delivery.set(conversation, (delivery = new OrderedDelivery()));
    return delivery;
  }

  /**
   * A msg:N, pushed, pulled or synced: shown once its gap is filled (a live push may
   * overtake the inbox pull after a reconnect), in a group then covered by the next
   * cumulative ack. A copy of this user's own message (sent on a link that was cut before
   * its msg:A came, sequenced after the next link was up, so pushed to it as to another
   * device) is not shown again: it fills its seq (PROTOCOL.md, "Multi-device").
   */
  private onReceived(c: Connection, n: ReceivedMessage): void {
    const conversation = n.conversation;
    const delivery = this.deliveryOf(c, conversation);
    const { epoch, seq } = n.position;
    const own = n.fromUser === c.plan.user;
    // The tester's msg ids name their client_seq: one that does not is two messages mixed up.
    if (!own && n.msgId !== `m${n.clientSeq}`) c.ledger.misidentified(conversation, n.fromUser, n.msgId, n.clientSeq);
    for (const m of own ? delivery.fill(epoch, seq) : delivery.offer(epoch, seq, n)) this.onMessage(c, m);
    this.shownUpTo(c, conversation, delivery);
  }

  /** A message shown: into the ledger; its first showing times send → msg:N. */
  private onMessage(c: Connection, n: ReceivedMessage): void {
    const outcome = c.ledger.record(n.conversation, n.position.epoch, n.position.seq, n.fromUser, n.clientSeq);
    if (outcome === 'first') this.tally.delivered(sentAtOf(n.payload));
  }

  /** After what a conversation shows changed: a group acks the contiguous prefix (a repeat is acked again; what is held behind a gap is not). */
  private shownUpTo(c: Connection, conversation: string, delivery: OrderedDelivery<ReceivedMessage>): void {
    const position = delivery.position;
    // seq 0: a new epoch with nothing delivered yet, nothing to ack (an ack:R names a message).
    if (position && position.seq > 0 && isGroupConversation(conversation)) this.groupAcks.later(c, conversation, position);
  }

  /** A 1:1 ack:R for a position, unless this one was acked less than an interval ago. */
  private ackDirect(c: Connection, conversation: string, position: Position): void {
    if (!c.acks.allow(`${conversation}\u0000${position.epoch}\u0000${position.seq}`)) return;
    this.write(c, 'ackR', encodeFrame({ ackR: { conversation, position } }));
  }

  /** Asks for what follows the last contiguous position of a conversation. */
  private sync(c: Connection, conversation: string): void {
    const delivery = c.delivery.get(conversation);
    const after = delivery?.position;
    if (!delivery || !after) return;
    delivery.syncing();
    this.tally.counters.syncs++;
    this.write(c, 'syncR', encodeFrame({ syncR: { requestId: `s-${conversation}`, conversation, after, limit: 0 } }));
  }
}
