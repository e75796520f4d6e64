// @parley/client for browsers (the entry of dist/browser/parley.js and parley.mjs): the
// same API with no Node-only import, and as default transport the browser's WebSocket with
// the HTTP fallback (long-polling, then short polling) where WebSocket is blocked, and
// localStorage as the store of the device and its counters.
import { hostLocalStorage } from './client-store.local-storage';
import { MemoryClientStore } from './client-store.memory';
import { TabLeasedStore } from './client-store.tab-lease';
import { randomMsgId } from './msg-id';
import { ParleyClient } from './parley-client';
import { browserWsTransportFactory } from './transport.browser-ws';
import { selectingTransportFactory } from './transport.selecting';

ParleyClient.defaultTransportFactory ??= selectingTransportFactory({ websocket: browserWsTransportFactory() });
// A reload keeps the device and its counters, and two tabs open at once lease two device
// records (a page without storage gets a new device per load).
ParleyClient.defaultStore = () => {
  const storage = hostLocalStorage();
  return storage ? new TabLeasedStore(storage, { now: () => Date.now(), holder: randomMsgId() }) : new MemoryClientStore();
};

export * from './public-api';
