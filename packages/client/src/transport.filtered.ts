// A Transport wrapper that applies a TransportFilter (the test hook that drops frames)
// in both directions. Frames are decoded only to show them to the filter.
import { decodeFrame } from '@parley/protocol';
import { isNamedTransport, type FilteredFrame, type NamedTransport, type Transport, type TransportFilter, type TransportKind, type TransportListener } from './transport';

export class FilteredTransport implements Transport, NamedTransport {
  constructor(
    private readonly inner: Transport,
    private readonly filter: TransportFilter,
  ) {}

  /** The inner transport's kind ('websocket' for one that does not say). */
  get kind(): TransportKind {
    return isNamedTransport(this.inner) ? this.inner.kind : 'websocket';
  }

  open(url: string, listener: TransportListener): void {
    this.inner.open(url, {
      onKindChange: (kind) => listener.onKindChange?.(kind),
      onOpen: () => listener.onOpen(),
      onMessage: (bytes) => {
        if (passes(this.filter.incoming, bytes)) listener.onMessage(bytes);
      },
      onClose: (code, reason, refusal) => listener.onClose(code, reason, refusal),
    });
  }

  send(bytes: Uint8Array): boolean {
    if (!passes(this.filter.outgoing, bytes)) return true;
    return this.inner.send(bytes);
  }

  close(code: number, reason: string): void {
    this.inner.close(code, reason);
  }
}

function passes(check: ((frame: FilteredFrame) => boolean) | undefined, bytes: Uint8Array): boolean {
  if (!check) return true;
  let frame: FilteredFrame;
  try {
    frame = decodeFrame(bytes);
  } catch {
    return true;
  }
  return check(frame);
}
