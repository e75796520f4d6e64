// Everything @parley/client exports on every host; the entry points (index.ts for Node,
// browser.ts for browsers) add their default transport.
export { ParleyClient } from './parley-client';
export type { ClientStats, ConnectionState, LinkClosed, MemberChange, ParleyClientEvents, SendOptions } from './parley-client';
export type { BackoffOptions, ParleyClientOptions } from './options';
export { CLIENT_DEFAULTS } from './options';
export type {
  AckReceipt,
  AckStatusName,
  Accepted,
  ConversationSummary,
  GroupInfo,
  Position,
  ReceivedMessage,
  ReadReceipt,
  ServerError,
  TypingSignal,
  WelcomeInfo,
} from './frames';
export type { SendReceipt, SendState } from './send-queue';
export type { MessageState, MessageTick, ReadPositionChange } from './message-ticks';
export type { ConversationPosition, ConversationReset, ReceiveLimits, ResetReason } from './receive-order';
export {
  ClientError,
  ClientClosedError,
  ConnectionStoppedError,
  InvalidArgumentError,
  InvalidOptionError,
  RequestInterruptedError,
  RequestRefusedError,
  RequestTimeoutError,
  SendRefusedError,
} from './errors';
export type { ClientErrorCode } from './errors';
export type { ClientStore } from './client-store';
export { MemoryClientStore } from './client-store.memory';
export { LocalStorageClientStore } from './client-store.local-storage';
export type { WebStorageApi } from './client-store.local-storage';
export { TabLeasedStore } from './client-store.tab-lease';
export type { TabLeaseOptions } from './client-store.tab-lease';
export { SystemClock } from './clock';
export type { Clock, TimerHandle } from './clock';
export type { LinkProblem, LinkProblemKind } from './link-problems';
export type { FilteredFrame, HttpRefusal, NamedTransport, Transport, TransportFactory, TransportFilter, TransportKind, TransportListener } from './transport';
export { isNamedTransport } from './transport';
export { BrowserWsTransport, browserWsTransportFactory } from './transport.browser-ws';
export type { BrowserWsTransportOptions, WebSocketApi, WebSocketConstructor } from './transport.browser-ws';
export { LongPollTransport, longPollTransportFactory, longPollEndpoints, LONG_POLL_DEFAULTS } from './transport.long-poll';
export type { FetchFunction, FetchInit, FetchResponse, LongPollTransportOptions, PollMode, PollOutcome } from './transport.long-poll';
export { SelectingTransport, selectingTransportFactory } from './transport.selecting';
export type { SelectingTransportFactory, SelectingTransportOptions } from './transport.selecting';
export { TransportSelector, TRANSPORT_SELECTOR_DEFAULTS } from './transport-selector';
export type { TransportSelectorOptions } from './transport-selector';
export { FullJitterBackoff } from './backoff';
export { backoffCeilingMs } from '@parley/protocol';
export type { BackoffPolicy } from '@parley/protocol';
