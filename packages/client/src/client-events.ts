// The events a ParleyClient emits, with the connection state and close reason they carry,
// and the emit function its parts are handed (the emitter itself is the facade).
import type { AckReceipt, ReceivedMessage, ServerError, TypingSignal, WelcomeInfo } from './frames';
import type { MessageTick, ReadPositionChange } from './message-ticks';
import type { LinkProblem } from './link-problems';
import type { ConversationReset } from './receive-order';
import type { TransportKind } from './transport';
import type { LinkClosed } from './link-closed';

export type { LinkClosed } from './link-closed';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected';


export type ParleyClientEvents = {
  /**
   * A message for us, or one our user sent from another device: each one once and, per
   * conversation, in seq order (messages sent from this device are not repeated here).
   */
  message: [message: ReceivedMessage];
  /**
   * A break in a conversation's order, in its place among the 'message' events: messages
   * after `from` up to `to` will not come (new epoch, history past retention, or gone).
   * Show it; the conversation continues after `to`.
   */
  reset: [reset: ConversationReset];
  /** An ack:N for one of our user's messages; each (msgId, receiver, status) once. */
  ack: [ack: AckReceipt];
  /**
   * One of our user's messages moved on: 'sent' (msg:A) → 'stored' (waits in the receiver's
   * inbox) → 'delivered' (a device of the receiver took it) → 'read' (the receiver read up to
   * it). Each step once, never backwards, also across reloads (the states are in the store).
   */
  messageState: [tick: MessageTick];
  /**
   * A read position moved forward: another member's (its reading reaches our messages up to
   * it) or our user's own (from another device, or conversations:A after a reconnect: clear
   * the unread count up to it).
   */
  read: [read: ReadPositionChange];
  /** Another member is typing in a conversation now: show it for a few seconds (6 s) or until its next message. */
  typing: [signal: TypingSignal];
  /**
   * The connection state changed; 'disconnected' says why. On 'connected', `transport`
   * already names the link's kind ('websocket', 'long-poll', 'short-poll').
   */
  state: [state: ConnectionState, closed?: LinkClosed];
  /** The link in use travels this way: on every welcome (before 'state' 'connected'), and when a live link changes (long-poll → short-poll). */
  transport: [transport: TransportKind];
  /** An error frame from the server (a send it names is also settled: retried or rejected). */
  error: [error: ServerError];
  /**
   * The gateway refused the link or closed it for a reason the application may show (connection
   * limit, rate limit, rejected token, replaced by a newer connection of this device, flood, a
   * frame it could not read), before the 'state' 'disconnected' it causes. `retryInMs`
   * undefined: the client stopped and waits for connect() ('replaced': "signed in elsewhere
   * on this device"; 'token-rejected': a fresh token was refused too).
   */
  linkProblem: [problem: LinkProblem];
  /** Every welcome, i.e. every successful (re)connection. */
  welcome: [welcome: WelcomeInfo];
};

/** Emits one client event to the application's listeners (synchronously, in registration order). */
export type EmitClientEvent = <E extends keyof ParleyClientEvents>(event: E, ...args: ParleyClientEvents[E]) => void;
