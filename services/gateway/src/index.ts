// @parley/gateway: the WebSocket edge.
export * from './gateway';
export * from './gateway-config';
export * from './native-uws';
export * from './client-frame';
export * from './gateway-options';
