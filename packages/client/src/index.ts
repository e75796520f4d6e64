// @parley/client for Node: the client, its parts and types, with the `ws` transport as the
// default (pass `transportFactory: selectingTransportFactory({ websocket: nodeWsTransportFactory() })`
// to fall back to HTTP long-polling where WebSocket is blocked).
import { ParleyClient } from './parley-client';
import { nodeWsTransportFactory } from './transport.node-ws';

ParleyClient.defaultTransportFactory ??= nodeWsTransportFactory();

export * from './public-api';
export { NodeWsTransport, nodeWsTransportFactory } from './transport.node-ws';
export type { NodeWsTransportOptions } from './transport.node-ws';
export { nodeFetch } from './fetch.node-http';
export type { NodeFetch, NodeFetchOptions } from './fetch.node-http';
export type { NodeTlsOptions } from './node-tls';
