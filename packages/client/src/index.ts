// @parley/client for Node: the client, its parts and types, with the `ws` transport as the
// default. (A browser entry point would set a WebSocket-API transport instead.)
import { ParleyClient } from './parley-client';
import { nodeWsTransportFactory } from './transport.node-ws';

ParleyClient.defaultTransportFactory ??= nodeWsTransportFactory();

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
  ServerError,
  WelcomeInfo,
} from './frames';
export type { SendReceipt, SendState } from './send-queue';
export type { ConversationPosition, ConversationReset, ReceiveLimits, ResetReason } from './receive-order';
export {
  ClientError,
  ClientClosedError,
  InvalidArgumentError,
  InvalidOptionError,
  RequestInterruptedError,
  RequestRefusedError,
  RequestTimeoutError,
  SendRefusedError,
} from './errors';
export type { ClientErrorCode } from './errors';
export { SystemClock } from './clock';
export type { Clock, TimerHandle } from './clock';
export type { FilteredFrame, Transport, TransportFactory, TransportFilter, TransportListener } from './transport';
export { NodeWsTransport, nodeWsTransportFactory } from './transport.node-ws';
export type { NodeWsTransportOptions } from './transport.node-ws';
export { FullJitterBackoff, backoffCeilingMs } from './backoff';
export type { BackoffPolicy } from './backoff';
