// A load-test connection over the gateway's HTTP long-poll endpoints (docs/PROTOCOL.md,
// "HTTP fallback"), with Node's `http`: a session opened with the token, one `recv` held
// at a time that acks the last batch, frames up in `send` bodies (one request at a time,
// the frames of one tick in one body). Each link has its own keep-alive agent of at most
// two sockets (SOCKETS_PER_LINK), bound to the connection's source address.
import http from 'node:http';
import https from 'node:https';
import { decodeDelimited, encodeDelimited, framesForBody, FRAMES_CONTENT_TYPE } from '@parley/protocol';
import { LinkTransport, LoadLink, LoadLinkEvents, SOCKETS_PER_LINK } from './load-link';

/** How long the server may hold a `recv`, in ms (it caps it: PARLEY_LONG_POLL_MAX_HOLD_MS, 25 s by default). */
const HOLD_MS = 25_000;
/**
 * A keep-alive socket idle this long is closed by us, in ms: uWS closes idle HTTP sockets
 * after about 10 s, and a request written to a socket the server is closing is reset.
 */
const IDLE_SOCKET_MS = 4_000;
/** An open not answered after this long fails, in ms (as the WebSocket handshake timeout). */
const OPEN_TIMEOUT_MS = 30_000;
/**
 * Largest `send` body, in bytes: the server refuses a body over 16 × max_frame_bytes
 * (16 × 64 KiB by default); a reconnect that retransmits a long queue spreads it over
 * several bodies. A single larger frame goes alone.
 */
const MAX_SEND_BODY_BYTES = 64 * 1024;
/** `recv` requests failing in a row (network errors) before the link counts as lost. */
const MAX_RECV_FAILURES = 3;
const RECV_RETRY_MS = 200;
/** Close code when the server gave none (a cut, a network failure, an expired session). */
const NO_CLOSE_FRAME = 1006;
/** Close code of a link this side ended on purpose. */
const NORMAL_CLOSURE = 1000;

/** Where a gateway serves its long-poll endpoints, from its WebSocket URL: `ws[s]://host:port/prefix/ws` → `http[s]://host:port/prefix/lp`. */
export interface LongPollEndpoint {
  readonly host: string;
  readonly port: number;
  /** https:// (the WebSocket URL was wss://). */
  readonly secure: boolean;
  /** A CA (PEM) to trust for https://, besides the system's. */
  readonly ca?: string;
  /** Path prefix of the endpoints, e.g. `/lp`. */
  readonly prefix: string;
}

export function longPollEndpoint(wsUrl: string, ca?: string): LongPollEndpoint {
  const url = new URL(wsUrl);
  const prefix = url.pathname.replace(/\/?ws\/?$/, '').replace(/\/$/, '');
  const secure = url.protocol === 'wss:';
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: Number(url.port || (secure ? 443 : 80)),
    prefix: `${prefix}/lp`,
    secure,
    ...(ca !== undefined ? { ca } : {}),
  };
}

interface Answer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

type Done = (answer: Answer | Error) => void;

export class LongPollLink implements LoadLink {
  readonly transport: LinkTransport = 'long-poll';
  private state: 'opening' | 'open' | 'closed' = 'opening';
  private sendPath = '';
  private recvPath = '';
  /** Set once the open answered with a session id. */
  private closePath = '';
  /** Number of the last batch received (0: none yet); the next `recv` acks it. */
  private lastBatch = 0;
  private recvFailures = 0;
  private outbox: Uint8Array[] = [];
  private flushQueued = false;
  private sending = false;
  private readonly agent: http.Agent;
  private readonly request: typeof http.request;
  private readonly inFlight = new Set<http.ClientRequest>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly endpoint: LongPollEndpoint,
    token: string,
    private readonly localAddress: string | undefined,
    private readonly events: LoadLinkEvents,
    /** The simulated device (the `device` query parameter of `/lp/open`), stable across reconnects. */
    device?: string,
  ) {
    const agentOptions = { keepAlive: true, maxSockets: SOCKETS_PER_LINK['long-poll'], timeout: IDLE_SOCKET_MS };
    this.agent = endpoint.secure ? new https.Agent({ ...agentOptions, ...(endpoint.ca !== undefined ? { ca: endpoint.ca } : {}) }) : new http.Agent(agentOptions);
    this.request = endpoint.secure ? https.request : http.request;
    this.timer = setTimeout(() => this.fail('socket:open-timeout'), OPEN_TIMEOUT_MS);
    this.exchange('POST', `${endpoint.prefix}/open?token=${encodeURIComponent(token)}${device ? `&device=${encodeURIComponent(device)}` : ''}`, undefined, (answer) => this.opened(answer));
  }

  send(frame: Uint8Array): boolean {
    if (this.state !== 'open') return false;
    this.outbox.push(frame);
    // Everything sent in this tick goes in one body (a welcome is followed by the offline
    // pull and every unanswered msg:R); while a send is in flight the next body waits for it.
    if (!this.flushQueued && !this.sending) {
      this.flushQueued = true;
      queueMicrotask(this.flushSoon);
    }
    return true;
  }

  cut(): void {
    if (this.state === 'closed') return;
    // No /lp/close: the session stays on the server until its idle limit, as after a network cut.
    this.shutDown();
    this.agent.destroy();
    queueMicrotask(() => this.events.onClose(NO_CLOSE_FRAME));
  }

  close(): Promise<void> {
    if (this.state === 'closed') return Promise.resolve();
    // An open request aborted before its answer makes the server drop the session it started.
    const hasSession = this.hasSession;
    this.shutDown();
    queueMicrotask(() => this.events.onClose(NORMAL_CLOSURE));
    if (hasSession) return this.closeSession();
    this.agent.destroy();
    return Promise.resolve();
  }

  /** Whether the server gave this link a session (which then lives until closed or idle). */
  private get hasSession(): boolean {
    return this.closePath !== '';
  }

  // --- open ---------------------------------------------------------------------------------

  private opened(answer: Answer | Error): void {
    if (answer instanceof Error) return this.fail(errorKind(answer));
    if (answer.status !== 200) return this.refused(answer);
    const session = answer.headers['x-parley-session'];
    if (typeof session !== 'string' || session === '') return this.fail('http:no-session');
    const id = encodeURIComponent(session);
    this.sendPath = `${this.endpoint.prefix}/send?session=${id}`;
    this.recvPath = `${this.endpoint.prefix}/recv?session=${id}&hold=${HOLD_MS}&ack=`;
    this.closePath = `${this.endpoint.prefix}/close?session=${id}`;
    const frames = this.split(answer.body);
    if (!frames) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.state = 'open';
    this.poll();
    this.deliver(frames); // the welcome
  }

  // --- downstream ---------------------------------------------------------------------------

  private poll(): void {
    this.exchange('GET', `${this.recvPath}${this.lastBatch}`, undefined, this.received);
  }

  private readonly received = (answer: Answer | Error): void => {
    if (answer instanceof Error) {
      // The server keeps a batch until it is acked: asking again with the same ack loses nothing.
      this.recvFailures++;
      if (this.recvFailures >= MAX_RECV_FAILURES) return this.fail(errorKind(answer));
      this.timer = setTimeout(this.pollAgain, RECV_RETRY_MS * this.recvFailures);
      return;
    }
    if (answer.status !== 200) return this.refused(answer);
    this.recvFailures = 0;
    const frames = this.split(answer.body);
    if (!frames) return;
    const batch = Number(answer.headers['x-parley-batch'] ?? 0);
    // Empty (the hold ran out), or a batch we have (its ack crossed the answer): nothing new.
    const fresh = frames.length > 0 && batch > this.lastBatch;
    if (fresh) this.lastBatch = batch;
    // The next recv (acking this batch) is held while these frames are handled.
    this.poll();
    if (fresh) this.deliver(frames);
  };

  private readonly pollAgain = (): void => {
    this.timer = undefined;
    if (this.state === 'open') this.poll();
  };

  private deliver(frames: readonly Uint8Array[]): void {
    for (const frame of frames) {
      if (this.state !== 'open') return;
      this.events.onFrame(frame);
    }
  }

  // --- upstream -----------------------------------------------------------------------------

  private readonly flushSoon = (): void => {
    this.flushQueued = false;
    this.flush();
  };

  /** One send request at a time, so the server handles the frames in the order they were sent. */
  private flush(): void {
    if (this.state !== 'open' || this.sending || this.outbox.length === 0) return;
    const count = framesForBody(this.outbox, MAX_SEND_BODY_BYTES);
    const frames = count === this.outbox.length ? this.outbox : this.outbox.slice(0, count);
    this.outbox = count === this.outbox.length ? [] : this.outbox.slice(count);
    this.sending = true;
    this.exchange('POST', this.sendPath, encodeDelimited(frames), this.sent);
  }

  private readonly sent = (answer: Answer | Error): void => {
    this.sending = false;
    // A body that may or may not have arrived is not sent blindly again (a group create is
    // not idempotent): the link counts as lost, and the reconnect resends what matters.
    if (answer instanceof Error) return this.fail(errorKind(answer));
    if (answer.status !== 204 && answer.status !== 200) return this.refused(answer);
    this.flush();
  };

  // --- ends ---------------------------------------------------------------------------------

  /** 410: the server closed the session (the body names the close code); anything else is counted and ends the link. */
  private refused(answer: Answer): void {
    if (answer.status === 410) return this.end(closeCodeOf(answer.body), false);
    this.events.onError(`http:${answer.status}`);
    // 404: the session is gone already; a refused open never made one.
    this.end(NO_CLOSE_FRAME, this.hasSession && answer.status !== 404);
  }

  /** The link failed on our side: counted, and the session (if any) closed on the server. */
  private fail(kind: string): void {
    if (this.state === 'closed') return;
    this.events.onError(kind);
    this.end(NO_CLOSE_FRAME, this.hasSession);
  }

  private end(code: number, closeSession: boolean): void {
    if (this.state === 'closed') return;
    this.shutDown();
    if (closeSession) void this.closeSession();
    else this.agent.destroy();
    this.events.onClose(code);
  }

  /** Ends the session's presence now rather than at its idle limit (best effort), then frees the sockets. */
  private closeSession(): Promise<void> {
    return new Promise((resolve) => {
      const release = (): void => {
        this.agent.destroy();
        resolve();
      };
      const req = this.request({ agent: this.agent, host: this.endpoint.host, port: this.endpoint.port, method: 'POST', path: this.closePath, localAddress: this.localAddress }, (res) => {
        res.resume();
        res.on('end', release);
        res.on('close', release);
      });
      req.on('error', release);
      req.end();
    });
  }

  private shutDown(): void {
    this.state = 'closed';
    clearTimeout(this.timer);
    this.timer = undefined;
    this.outbox = [];
    for (const req of this.inFlight) req.destroy();
    this.inFlight.clear();
  }

  // --- helpers ------------------------------------------------------------------------------

  /** One request; `done` is called once, and never after the link closed. */
  private exchange(method: 'GET' | 'POST', path: string, body: Uint8Array | undefined, done: Done, retried = false): void {
    let finished = false;
    const finish = (answer: Answer | Error): void => {
      if (finished) return;
      finished = true;
      this.inFlight.delete(req);
      if (this.state === 'closed') return;
      // A keep-alive socket the server closed as we reused it: the request never arrived, so it is sent again (Node's documented pattern).
      if (answer instanceof Error && !retried && req.reusedSocket && (answer as NodeJS.ErrnoException).code === 'ECONNRESET') {
        this.exchange(method, path, body, done, true);
        return;
      }
      done(answer);
    };
    const req = this.request(
      {
        agent: this.agent,
        host: this.endpoint.host,
        port: this.endpoint.port,
        method,
        path,
        localAddress: this.localAddress,
        headers: body ? { 'content-type': FRAMES_CONTENT_TYPE, 'content-length': body.byteLength } : undefined,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => finish({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', finish);
        res.on('close', () => {
          if (!res.complete) finish(new Error('response cut off'));
        });
      },
    );
    req.on('error', finish);
    this.inFlight.add(req);
    req.end(body);
  }

  private split(body: Buffer): Uint8Array[] | undefined {
    try {
      return decodeDelimited(body);
    } catch {
      this.fail('malformed-body');
      return undefined;
    }
  }
}

function errorKind(err: Error): string {
  return `socket:${(err as NodeJS.ErrnoException).code ?? err.message.slice(0, 40)}`;
}

/** The close code a `410 Gone` names (`{"closeCode": ..., "reason": ...}`). */
function closeCodeOf(body: Buffer): number {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as { closeCode?: unknown };
    return typeof parsed.closeCode === 'number' ? parsed.closeCode : NO_CLOSE_FRAME;
  } catch {
    return NO_CLOSE_FRAME;
  }
}
