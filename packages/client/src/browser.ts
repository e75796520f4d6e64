// @parley/client for browsers (the entry of dist/browser/parley.js and parley.mjs): the
// same API with no Node-only import, and as default transport the browser's WebSocket with
// the HTTP fallback (long-polling, then short polling) where WebSocket is blocked.
import { ParleyClient } from './parley-client';
import { browserWsTransportFactory } from './transport.browser-ws';
import { selectingTransportFactory } from './transport.selecting';

ParleyClient.defaultTransportFactory ??= selectingTransportFactory({ websocket: browserWsTransportFactory() });

export * from './public-api';
