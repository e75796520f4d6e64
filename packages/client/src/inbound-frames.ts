// Inbound frame dispatch: decodes each frame of the current link and hands each packet to
// the part that decides about it (send queue, receive order, offline pull, requests).
import { assertNever, decodeFrame, isGroupConversation, type ConversationId, type parley } from '@parley/protocol';
import { BoundedMap } from './bounded-memory';
import type { EmitClientEvent } from './client-events';
import type { ClientCounters } from './client-stats';
import type { Connection, Link } from './connection';
import { SendRefusedError } from './errors';
import { toAccepted, toAckReceipt, toConversationList, toGroupInfo, toOfflinePage, toReadReceipt, toReceivedMessage, toServerError, toSyncPage, toTypingSignal, type AckStatusName } from './frames';
import type { MessageTicks, TickChanges } from './message-ticks';
import type { OfflineSync } from './offline-sync';
import type { PendingRequests } from './pending-requests';
import type { ReceiveFollowUp } from './receive-follow-up';
import type { Delivery, ReceiveOrder } from './receive-order';
import type { SendQueue } from './send-queue';

/** Distinct (msgId, receiver) pairs whose last ack:N status is remembered. */
const MAX_REMEMBERED_ACKS = 10_000;

export interface InboundFramesDeps {
  readonly connection: Connection;
  readonly counters: ClientCounters;
  readonly sendQueue: SendQueue;
  readonly receiveOrder: ReceiveOrder;
  readonly offlineSync: OfflineSync;
  readonly requests: PendingRequests;
  readonly followUp: ReceiveFollowUp;
  readonly emit: EmitClientEvent;
  readonly ticks: MessageTicks;
  /** resync:N: the server lost state; catch up as after a welcome. */
  readonly resync: () => void;
  /** The offline pull reached its last page (parked messages delivered). */
  readonly pullDone: () => void;
}

export class InboundFrames {
  private readonly connection: Connection;
  private readonly counters: ClientCounters;
  private readonly sendQueue: SendQueue;
  private readonly receiveOrder: ReceiveOrder;
  private readonly offlineSync: OfflineSync;
  private readonly requests: PendingRequests;
  private readonly followUp: ReceiveFollowUp;
  private readonly emit: EmitClientEvent;
  private readonly ticks: MessageTicks;
  private readonly resync: () => void;
  private readonly pullDone: () => void;
  private readonly ackStatuses = new BoundedMap<string, AckStatusName>(MAX_REMEMBERED_ACKS);

  constructor(deps: InboundFramesDeps) {
    this.connection = deps.connection;
    this.counters = deps.counters;
    this.sendQueue = deps.sendQueue;
    this.receiveOrder = deps.receiveOrder;
    this.offlineSync = deps.offlineSync;
    this.requests = deps.requests;
    this.followUp = deps.followUp;
    this.emit = deps.emit;
    this.ticks = deps.ticks;
    this.resync = deps.resync;
    this.pullDone = deps.pullDone;
  }

  /** One frame of the current link. */
  receive(link: Link, bytes: Uint8Array): void {
    let frame: ReturnType<typeof decodeFrame>;
    try {
      frame = decodeFrame(bytes);
    } catch {
      this.counters.malformedFrames += 1;
      return;
    }
    this.connection.frameReceived();
    switch (frame.packet) {
      case 'welcome':
        return this.connection.welcomed(link, frame.welcome!);
      case 'msgA':
        return this.onAccepted(frame.msgA!);
      case 'msgN':
        return this.onNotify(frame.msgN!);
      case 'ackN':
        return this.onAckNotify(frame.ackN!);
      case 'offlineA':
        return this.onOfflineAnswer(frame.offlineA!);
      case 'error':
        return this.onServerError(frame.error!);
      case 'groupA':
        return this.onGroupAnswer(frame.groupA!);
      case 'syncA':
        return this.onSyncAnswer(frame.syncA!);
      case 'conversationsA':
        return this.onConversationsAnswer(frame.conversationsA!);
      case 'resyncN':
        return this.resync();
      case 'readN':
        return this.onReadNotify(frame.readN!);
      case 'typingN':
        return this.onTypingNotify(frame.typingN!);
      case 'pong': // liveness is all a pong says, and frameReceived recorded it
      case 'ackA': // the server recorded an ack:R; nothing waits for that
        return;
      case 'msgR':
      case 'ackR':
      case 'offlineR':
      case 'offlineackR':
      case 'ping':
      case 'groupR':
      case 'syncR':
      case 'conversationsR':
      case 'readR':
      case 'typingR':
        this.counters.malformedFrames += 1; // client-to-server packets: a server never sends them
        return;
      default:
        assertNever(frame.packet);
    }
  }

  private onAccepted(frame: parley.v1.IMsgAccepted): void {
    const accepted = toAccepted(frame);
    if (!accepted) {
      this.counters.malformedFrames += 1;
      return;
    }
    this.sendQueue.accepted(accepted);
    this.emitTicks(this.ticks.sent(accepted));
    const released = this.receiveOrder.acceptOwn(accepted.conversation, accepted.position);
    this.followUp.review([accepted.conversation]);
    this.followUp.deliver(released);
  }

  private onNotify(frame: parley.v1.IMsgNotify): void {
    const message = toReceivedMessage(frame);
    if (!message) {
      this.counters.malformedFrames += 1;
      return;
    }
    const result = this.receiveOrder.accept(message, 'live');
    // 1:1: every copy is acked, duplicates included: the server re-sends until it sees an ack.
    // An overflow is not: the client could not keep it, so the server must send it again.
    // Groups: review() makes the cumulative ack due, whatever became of the copy.
    if (!isGroupConversation(message.conversation) && result.verdict !== 'overflow') this.followUp.ackOne(message);
    this.followUp.review([message.conversation], true);
    this.followUp.deliver(result.deliver);
  }

  private onAckNotify(frame: parley.v1.IAckNotify): void {
    const ack = toAckReceipt(frame);
    if (!ack) {
      this.counters.malformedFrames += 1;
      return;
    }
    // An ack:N that overtook the msg:A of one of our sends is the first sign of its seq. The
    // ack:N of a message our user sent from another device fills nothing: that message
    // comes as msg:N (or by sync) and is delivered like any other.
    const own = this.sendQueue.has(ack.msgId) || this.receiveOrder.isOwnSend(ack.msgId);
    this.sendQueue.acknowledged(ack);
    const released = own ? this.receiveOrder.acceptOwn(ack.conversation, ack.position) : [];
    if (own) this.followUp.review([ack.conversation]);
    const key = `${ack.msgId} ${ack.toUser}`;
    const report = this.ackStatuses.get(key) !== ack.status;
    if (report) this.ackStatuses.set(key, ack.status);
    this.followUp.deliver(released);
    if (report && !this.connection.closed) this.emit('ack', ack);
    this.emitTicks(this.ticks.acknowledged(ack));
  }

  private onReadNotify(frame: parley.v1.IReadNotify): void {
    const receipt = toReadReceipt(frame);
    if (!receipt) {
      this.counters.malformedFrames += 1;
      return;
    }
    this.emitTicks(this.ticks.read(receipt));
  }

  private onTypingNotify(frame: parley.v1.ITypingNotify): void {
    const signal = toTypingSignal(frame);
    if (!signal) {
      this.counters.malformedFrames += 1;
      return;
    }
    if (!this.connection.closed) this.emit('typing', signal);
  }

  /** The read positions that moved, then the messages whose state moved (each step once). */
  emitTicks(changes: TickChanges): void {
    if (this.connection.closed) return;
    for (const read of changes.reads) this.emit('read', read);
    for (const tick of changes.ticks) this.emit('messageState', tick);
  }

  private onOfflineAnswer(frame: parley.v1.IOfflineAnswer): void {
    const page = toOfflinePage(frame);
    this.counters.malformedFrames += page.malformed;
    const refs: parley.v1.IInboxRef[] = [];
    const released: Delivery[] = [];
    const touched = new Set<ConversationId>();
    for (const message of page.messages) {
      const result = this.receiveOrder.accept(message, 'offline');
      if (result.verdict !== 'overflow') refs.push({ conversation: message.conversation, position: message.position });
      released.push(...result.deliver);
      touched.add(message.conversation);
    }
    // The page's offlineack:R goes before the next offline:R.
    if (refs.length > 0) this.connection.transmit({ offlineackR: { refs } });
    const done = this.offlineSync.answered(page.hasMore, page.nextCursor) === 'done';
    if (done) {
      for (const conversation of this.receiveOrder.parkedConversations()) touched.add(conversation);
      released.push(...this.receiveOrder.endSync());
    }
    this.followUp.review(touched);
    this.followUp.deliver(released);
    if (done && !this.connection.closed) this.pullDone();
  }

  private onServerError(frame: parley.v1.IError): void {
    const error = toServerError(frame);
    // msg_id names a refused msg:R, or a refused request by its request id (kept apart by their prefix).
    if (error.msgId && !this.requests.refused(error.msgId, error)) {
      this.sendQueue.refused(error.msgId, error, new SendRefusedError(error.msgId, error.code, error.message));
    }
    this.emit('error', error);
  }

  private onGroupAnswer(frame: parley.v1.IGroupAnswer): void {
    const group = toGroupInfo(frame);
    if (!group || !frame.requestId) {
      this.counters.malformedFrames += 1;
      return;
    }
    this.requests.answered('group', frame.requestId, group);
  }

  private onSyncAnswer(frame: parley.v1.ISyncAnswer): void {
    const page = toSyncPage(frame);
    if (!page || !frame.requestId) {
      this.counters.malformedFrames += 1;
      return;
    }
    this.requests.answered('sync', frame.requestId, page);
  }

  private onConversationsAnswer(frame: parley.v1.IConversationsAnswer): void {
    if (!frame.requestId) {
      this.counters.malformedFrames += 1;
      return;
    }
    this.requests.answered('conversations', frame.requestId, toConversationList(frame));
  }
}
