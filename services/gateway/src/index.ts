// @parley/gateway: the client edge (WebSocket, and HTTP long-polling as its fallback).
export * from './gateway';
export * from './gateway-config';
export * from './native-uws';
export * from './inbound-frame';
export * from './gateway-options';
export * from './gateway-ports';
export * from './tls-settings';
export * from './dev-routes';
export * from './node-flags';
