// The Transport adapter for the HTTP fallback (docs/PROTOCOL.md, "HTTP fallback"): a
// session opened with the token, frames up with `send` (one request at a time, the frames
// of one tick in one body), frames down with one `recv` held at a time that acks the last
// batch, so a lost answer is sent again. Uses `fetch`, so it runs in browsers and in Node 20.
import { decodeFrame } from '@parley/protocol';
import { SystemClock, type Clock, type TimerHandle } from './clock';
import { decodeDelimited, encodeDelimited, framesForBody, FRAMES_CONTENT_TYPE } from '@parley/protocol';
import { toHttpRefusal, type HttpRefusal, type NamedTransport, type Transport, type TransportFactory, type TransportKind, type TransportListener } from './transport';

/** 'long': the server holds each recv up to holdMs; 'short': hold=0, one recv per shortPollIntervalMs. */
export type PollMode = 'long' | 'short';

/**
 * How one recv ended, for the transport selector: 'frames' (a batch came), 'held' (empty,
 * after about the hold), 'cut-short' (a long poll answered empty, or failed, well before its hold).
 */
export type PollOutcome = 'frames' | 'held' | 'cut-short';

/** The part of a fetch Response this adapter reads. */
export interface FetchResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  arrayBuffer(): Promise<ArrayBuffer>;
}

export interface FetchInit {
  readonly method: 'GET' | 'POST';
  readonly headers?: Record<string, string>;
  readonly body?: Uint8Array;
  readonly signal?: AbortSignal;
  /** Lets the close request outlive a page being unloaded (browsers). */
  readonly keepalive?: boolean;
}

/** `fetch`, narrowed to what this adapter uses (a fake in unit tests). */
export type FetchFunction = (url: string, init: FetchInit) => Promise<FetchResponse>;

export interface LongPollTransportOptions {
  /** Default: globalThis.fetch. */
  readonly fetch?: FetchFunction;
  /** Timers of the short-poll interval and recv retries. Default: SystemClock. */
  readonly clock?: Clock;
  /** How long the server may hold a recv, in ms (it caps it too; default 25 000). */
  readonly holdMs?: number;
  /** Short polling: wait between empty recvs, in ms (default 1 000). */
  readonly shortPollIntervalMs?: number;
  /** A long poll answered empty (or failed) before this share of holdMs is 'cut-short' (default 0.5). */
  readonly cutShortRatio?: number;
  /** recv requests failing in a row (network error) before the link counts as dead (default 3). */
  readonly maxRecvFailures?: number;
  /** Read before every recv, so a selector can turn a live session to short polling. Default: always 'long'. */
  readonly mode?: () => PollMode;
  /** Told how each recv ended. */
  readonly onPollEnded?: (outcome: PollOutcome) => void;
}

export const LONG_POLL_DEFAULTS = {
  holdMs: 25_000,
  shortPollIntervalMs: 1_000,
  cutShortRatio: 0.5,
  maxRecvFailures: 3,
  /** Largest send body when the welcome gives no max_frame_bytes, in bytes. */
  maxSendBodyBytes: 1 << 20,
} as const;

/** A send body may carry up to this many maximal frames (docs/PROTOCOL.md: 413 past max_frame_bytes × 16). */
const MAX_SEND_BODY_FRAMES = 16;

/** The HTTP fallback's endpoints for a WebSocket URL: `ws[s]://host/prefix/ws?token=T&device=D` → `http[s]://host/prefix/lp/...`, T and D. */
export function longPollEndpoints(wsUrl: string): { readonly base: string; readonly token: string; readonly device: string } {
  const url = new URL(wsUrl);
  const scheme = url.protocol === 'wss:' || url.protocol === 'https:' ? 'https:' : 'http:';
  const prefix = url.pathname.replace(/\/?ws\/?$/, '').replace(/\/$/, '');
  return { base: `${scheme}//${url.host}${prefix}/lp`, token: url.searchParams.get('token') ?? '', device: url.searchParams.get('device') ?? '' };
}

type State = 'idle' | 'opening' | 'open' | 'closed';

export class LongPollTransport implements Transport, NamedTransport {
  private readonly fetch: FetchFunction;
  private readonly clock: Clock;
  private readonly holdMs: number;
  private readonly mode: () => PollMode;
  private state: State = 'idle';
  private listener: TransportListener | undefined;
  private base = '';
  private session = '';
  private reported = false;
  /** Number of the last batch received (0: none yet); the next recv acks it. */
  private lastBatch = 0;
  private pollMode: PollMode;
  private maxSendBodyBytes: number = LONG_POLL_DEFAULTS.maxSendBodyBytes;
  private outbox: Uint8Array[] = [];
  private flushQueued = false;
  private sending = false;
  /** Requests in flight (open, send, recv), aborted on close. */
  private readonly inFlight = new Set<AbortController>();
  private wait: { timer: TimerHandle; wake: () => void } | undefined;

  constructor(private readonly options: LongPollTransportOptions = {}) {
    this.fetch = options.fetch ?? defaultFetch();
    this.clock = options.clock ?? new SystemClock();
    this.holdMs = options.holdMs ?? LONG_POLL_DEFAULTS.holdMs;
    this.mode = options.mode ?? (() => 'long');
    this.pollMode = this.mode();
  }

  get kind(): TransportKind {
    return this.pollMode === 'short' ? 'short-poll' : 'long-poll';
  }

  /** The session id (empty until the open answered). */
  get sessionId(): string {
    return this.session;
  }

  open(url: string, listener: TransportListener): void {
    if (this.state !== 'idle') throw new Error('a LongPollTransport is opened once');
    this.listener = listener;
    this.state = 'opening';
    let token: string;
    let device: string;
    try {
      ({ base: this.base, token, device } = longPollEndpoints(url));
    } catch (err) {
      this.state = 'closed';
      queueMicrotask(() => this.report(1006, describe(err)));
      return;
    }
    void this.start(token, device);
  }

  send(bytes: Uint8Array): boolean {
    if (this.state !== 'open') return false;
    this.outbox.push(bytes);
    // Everything sent in this tick goes in one body (the client sends in bursts: a welcome
    // is followed by the offline pull, syncs and every pending msg:R).
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(() => {
        this.flushQueued = false;
        void this.flush();
      });
    }
    return true;
  }

  close(code: number, reason: string): void {
    if (this.state === 'closed') return;
    this.shutDown();
    queueMicrotask(() => this.report(code, reason));
  }

  // --- open ---------------------------------------------------------------------------------

  private async start(token: string, device: string): Promise<void> {
    const deviceParam = device ? `&device=${encodeURIComponent(device)}` : '';
    const answer = await this.request(`${this.base}/open?token=${encodeURIComponent(token)}${deviceParam}`, { method: 'POST' });
    if (this.state !== 'opening') return; // closed meanwhile
    if ('error' in answer) return this.fail(1006, `open failed: ${answer.error}`);
    if (answer.status !== 200) {
      const text = new TextDecoder().decode(answer.body).slice(0, MAX_REFUSAL_TEXT);
      return this.fail(1006, refusal(answer.status, answer.body), true, toHttpRefusal(answer.status, answer.headers.get('retry-after'), text));
    }
    const session = answer.headers.get('x-parley-session');
    if (!session) return this.fail(1006, 'open answered without a session id');
    this.session = session;
    const frames = this.split(answer.body);
    if (!frames) return;
    this.state = 'open';
    this.listener!.onOpen();
    for (const frame of frames) this.learnLimits(frame);
    this.deliver(frames);
    void this.poll();
  }

  /** The welcome's max_frame_bytes bounds a send body (the server refuses a body over 16 of them). */
  private learnLimits(frame: Uint8Array): void {
    try {
      const decoded = decodeFrame(frame);
      const max = decoded.packet === 'welcome' ? (decoded.welcome?.maxFrameBytes ?? 0) : 0;
      if (max > 0) this.maxSendBodyBytes = max * MAX_SEND_BODY_FRAMES;
    } catch {
      // not ours to judge: the client counts it as malformed
    }
  }

  // --- upstream -----------------------------------------------------------------------------

  /** One send request at a time, so the server gets the frames in the order they were sent. */
  private async flush(): Promise<void> {
    if (this.state !== 'open' || this.sending || this.outbox.length === 0) return;
    const count = framesForBody(this.outbox, this.maxSendBodyBytes);
    const batch = this.outbox.splice(0, count);
    this.sending = true;
    const answer = await this.request(`${this.base}/send?session=${encodeURIComponent(this.session)}`, {
      method: 'POST',
      headers: { 'content-type': FRAMES_CONTENT_TYPE },
      body: encodeDelimited(batch),
    });
    this.sending = false;
    if (this.state !== 'open') return;
    // A body that may or may not have arrived cannot be sent again blindly (a group create is
    // not idempotent): the link counts as dead, and the client's reconnect rules resend what matters.
    if ('error' in answer) return this.fail(1006, `send failed: ${answer.error}`);
    if (answer.status !== 204 && answer.status !== 200) return this.failWith(answer.status, answer.body);
    void this.flush();
  }

  // --- downstream ---------------------------------------------------------------------------

  private async poll(): Promise<void> {
    let failures = 0;
    while (this.state === 'open') {
      const mode = this.mode();
      if (mode !== this.pollMode) {
        this.pollMode = mode;
        this.listener!.onKindChange?.(this.kind);
      }
      const hold = mode === 'long' ? this.holdMs : 0;
      const startedAt = this.clock.now();
      const answer = await this.request(
        `${this.base}/recv?session=${encodeURIComponent(this.session)}&ack=${this.lastBatch}&hold=${hold}`,
        { method: 'GET' },
      );
      if (this.state !== 'open') return;
      const cutShort = hold > 0 && this.clock.now() - startedAt < hold * (this.options.cutShortRatio ?? LONG_POLL_DEFAULTS.cutShortRatio);
      if ('error' in answer) {
        // A proxy cutting held requests looks like this too. The server keeps the batch until
        // it is acked, so asking again with the same ack loses nothing.
        if (hold > 0) this.options.onPollEnded?.(cutShort ? 'cut-short' : 'held');
        failures += 1;
        if (failures >= (this.options.maxRecvFailures ?? LONG_POLL_DEFAULTS.maxRecvFailures)) {
          return this.fail(1006, `recv failed ${failures} times in a row: ${answer.error}`);
        }
        await this.sleep(Math.min(1_000 * failures, 5_000));
        continue;
      }
      if (answer.status !== 200) return this.failWith(answer.status, answer.body);
      failures = 0;
      const frames = this.split(answer.body);
      if (!frames) return;
      const batch = Number(answer.headers.get('x-parley-batch') ?? '0');
      if (frames.length > 0 && batch > this.lastBatch) {
        this.lastBatch = batch;
        if (hold > 0) this.options.onPollEnded?.('frames');
        this.deliver(frames);
        continue;
      }
      // Empty (or a batch we have: only a confused server sends one twice).
      if (hold > 0) this.options.onPollEnded?.(cutShort ? 'cut-short' : 'held');
      if (mode === 'short') await this.sleep(this.options.shortPollIntervalMs ?? LONG_POLL_DEFAULTS.shortPollIntervalMs);
    }
  }

  private deliver(frames: readonly Uint8Array[]): void {
    for (const frame of frames) {
      if (this.state !== 'open') return; // the listener closed the link
      this.listener!.onMessage(frame);
    }
  }

  // --- helpers ------------------------------------------------------------------------------

  /** One request, aborted by close(); never throws. */
  private async request(url: string, init: FetchInit): Promise<Answer | { error: string }> {
    const controller = new AbortController();
    this.inFlight.add(controller);
    try {
      const response = await this.fetch(url, { ...init, signal: controller.signal });
      const body = new Uint8Array(await response.arrayBuffer());
      return { status: response.status, headers: response.headers, body };
    } catch (err) {
      return { error: describe(err) };
    } finally {
      this.inFlight.delete(controller);
    }
  }

  private split(body: Uint8Array): Uint8Array[] | undefined {
    try {
      return decodeDelimited(body);
    } catch (err) {
      this.fail(1006, `malformed body: ${describe(err)}`);
      return undefined;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.clock.setTimeout(() => {
        this.wait = undefined;
        resolve();
      }, ms);
      this.wait = { timer, wake: resolve };
    });
  }

  /** 404: the session expired; 410: it was closed (the body names the close code); 413: a body too large. */
  private failWith(status: number, body: Uint8Array): void {
    if (status === 410) {
      const closed = parseJson(body) as { closeCode?: unknown; reason?: unknown } | undefined;
      const code = typeof closed?.closeCode === 'number' ? closed.closeCode : 1006;
      return this.fail(code, typeof closed?.reason === 'string' ? closed.reason : 'session closed', false);
    }
    if (status === 404) return this.fail(1006, 'session unknown or expired', false);
    if (status === 413) return this.fail(1009, refusal(status, body));
    this.fail(1006, refusal(status, body));
  }

  /** The link failed on its own: tell the server (best effort) and report the close. */
  private fail(code: number, reason: string, sessionAlive = true, httpRefusal?: HttpRefusal): void {
    if (this.state === 'closed') return;
    if (!sessionAlive) this.session = '';
    this.shutDown();
    this.report(code, reason, httpRefusal);
  }

  private shutDown(): void {
    this.state = 'closed';
    for (const controller of this.inFlight) controller.abort();
    this.inFlight.clear();
    if (this.wait) {
      this.clock.clearTimeout(this.wait.timer);
      this.wait.wake();
      this.wait = undefined;
    }
    this.outbox = [];
    if (this.session) {
      // Ends the session's presence now rather than after the server's idle timeout.
      this.fetch(`${this.base}/close?session=${encodeURIComponent(this.session)}`, { method: 'POST', keepalive: true }).then(
        (response) => response.arrayBuffer().catch(() => undefined),
        () => undefined,
      );
    }
  }

  private report(code: number, reason: string, httpRefusal?: HttpRefusal): void {
    if (this.reported) return;
    this.reported = true;
    this.listener?.onClose(code, reason, httpRefusal);
  }
}

interface Answer {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly body: Uint8Array;
}

/** Longest part of a refusal body kept in the close reason, in characters. */
const MAX_REFUSAL_TEXT = 512;

function refusal(status: number, body: Uint8Array): string {
  const text = new TextDecoder().decode(body).slice(0, MAX_REFUSAL_TEXT);
  return text ? `HTTP ${status}: ${text}` : `HTTP ${status}`;
}

function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(body));
  } catch {
    return undefined;
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function defaultFetch(): FetchFunction {
  const host = globalThis as { fetch?: (url: string, init: FetchInit) => Promise<FetchResponse> };
  // Looked up per call, so a fetch installed (or mocked) later is used.
  return (url, init) => {
    if (!host.fetch) return Promise.reject(new Error('this host has no fetch'));
    return host.fetch(url, init);
  };
}

export const longPollTransportFactory = (options: LongPollTransportOptions = {}): TransportFactory => () => new LongPollTransport(options);
