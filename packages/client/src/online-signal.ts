// The browser's `online` event (the network came back): the client then reconnects at once
// instead of waiting out its backoff. Hosts without it (Node) never signal.

interface OnlineEventTarget {
  addEventListener(type: 'online', listener: () => void): void;
  removeEventListener(type: 'online', listener: () => void): void;
}

/** Calls `callback` on every `online` event of the host; returns the function that stops it. */
export function watchOnline(callback: () => void): () => void {
  const host = globalThis as Partial<OnlineEventTarget> & { navigator?: { onLine?: unknown } };
  // Only a browser-like host: an event target with a navigator that knows onLine.
  if (typeof host.addEventListener !== 'function' || typeof host.removeEventListener !== 'function' || typeof host.navigator?.onLine !== 'boolean') {
    return () => undefined;
  }
  const target = host as OnlineEventTarget;
  target.addEventListener('online', callback);
  return () => target.removeEventListener('online', callback);
}
