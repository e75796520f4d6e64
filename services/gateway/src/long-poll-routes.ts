// The HTTP fallback's routes (docs/PROTOCOL.md, "HTTP fallback"): /lp/open, /lp/send,
// /lp/recv and /lp/close on uWS, and the table of this gateway's long-poll sessions.
// uWS rules: `req` is read synchronously, `onAborted` is registered before any wait, every
// write is corked (most happen after a wait), and nothing is written to an aborted response.
import { randomBytes } from 'node:crypto';
import type * as uws from 'uWebSockets.js';
import { assertNever, CloseCode, ErrorCode, MalformedFrameError } from '@parley/protocol';
import { originAllowed, Refusal } from './admission';
import type { ConnectionHandler } from './connection-handler';
import { decodeDelimited, encodeDelimited, FRAMES_CONTENT_TYPE } from '@parley/protocol';
import type { GatewayMetrics } from './gateway-metrics';
import type { Clock } from '@parley/ports';
import type { AdmissionSettings, ClientLimits, HeartbeatSettings, LongPollSettings } from './gateway-options';
import { HeaderList, remoteAddress, writeAnswer, writeJson, writeRefusal } from './http-answers';
import { LongPollSession, PollAnswer } from './long-poll-session';
import { queryParam } from './http-query';

/** A send body may carry up to this many maximal frames. */
const MAX_SEND_BODY_FRAMES = 16;
/** Random bytes of a session id (128 bits; base64url). */
const SESSION_ID_BYTES = 16;
/** How long a browser may cache a CORS preflight answer, in seconds. */
const PREFLIGHT_MAX_AGE_SEC = 600;

/**
 * One HTTP request's answer, written now or later: notes the abort (then calls `onAbort`),
 * writes corked, at most once, with the CORS headers an allowed cross-origin page needs.
 */
class Reply {
  private finished = false;
  /** Set by the owner: what to do when the client goes away before the answer. */
  onAbort: (() => void) | undefined;

  constructor(
    private readonly res: uws.HttpResponse,
    private readonly cors: HeaderList,
  ) {
    res.onAborted(() => {
      if (this.finished) return;
      this.finished = true;
      this.onAbort?.();
    });
  }

  get done(): boolean {
    return this.finished;
  }

  withFrames(headers: HeaderList, frames: readonly Uint8Array[]): void {
    this.write((res) => writeAnswer(res, '200 OK', [['content-type', FRAMES_CONTENT_TYPE], ...headers, ...this.cors], encodeDelimited(frames)));
  }

  noContent(): void {
    this.write((res) => writeAnswer(res, '204 No Content', this.cors));
  }

  json(status: string, body: object, closeConnection = false): void {
    this.write((res) => writeJson(res, status, body, this.cors, closeConnection));
  }

  /** `closeConnection`: the rest of the request body is not read. */
  refuse(refusal: Refusal, closeConnection = false): void {
    this.write((res) => writeRefusal(res, refusal, this.cors, closeConnection));
  }

  /** `closeConnection`: the rest of the request body is not read. */
  unknownSession(closeConnection = false): void {
    this.write((res) => writeJson(res, '404 Not Found', { message: 'unknown or expired session' }, this.cors, closeConnection));
  }

  /** `closeConnection`: the rest of the request body is not read. */
  closedSession(code: number, reason: string, closeConnection = false): void {
    this.json('410 Gone', { closeCode: code, reason }, closeConnection);
  }

  private write(answer: (res: uws.HttpResponse) => void): void {
    if (this.finished) return;
    this.finished = true;
    this.res.cork(() => answer(this.res));
  }
}

/** The answer of a `recv`: a numbered (or empty) batch, or 410 when the session closed while it waited. */
class RecvReply extends Reply implements PollAnswer {
  frames(batch: number, frames: readonly Uint8Array[]): void {
    this.withFrames(batch > 0 ? [['x-parley-batch', String(batch)]] : [], frames);
  }

  closed(code: number, reason: string): void {
    this.closedSession(code, reason);
  }
}

/** The answer of an `open`: the session id and `welcome`, or 503 when the session could not start. */
class OpenReply extends Reply implements PollAnswer {
  sessionId = '';

  frames(_batch: number, frames: readonly Uint8Array[]): void {
    this.withFrames([['x-parley-session', this.sessionId]], frames);
  }

  closed(_code: number, reason: string): void {
    this.refuse({ status: '503 Service Unavailable', code: ErrorCode.UNAVAILABLE, message: reason });
  }
}

/** Parses a non-negative integer query parameter; undefined when malformed. */
function parseCount(text: string): number | undefined {
  return /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}

/** What the long-poll routes read of the gateway's options. */
export interface LongPollRouteSettings {
  readonly longPoll: LongPollSettings;
  /** A send body's bound, and a session's buffer (as a WebSocket's backpressure). */
  readonly limits: Pick<ClientLimits, 'maxFrameBytes' | 'maxBackpressureBytes'>;
  /** A session idle for two intervals is closed. */
  readonly heartbeat: Pick<HeartbeatSettings, 'intervalMs'>;
  /** The CORS allowlist. */
  readonly admission: Pick<AdmissionSettings, 'allowedOrigins'>;
  readonly clock: Clock;
}

export class LongPollRoutes {
  private readonly sessions = new Map<string, LongPollSession>();
  /**
   * Sessions a drain closed (4007), kept until the gateway exits: a client between two
   * recvs when its session was closed learns the close code from its next request (410)
   * rather than a 404 it would take for a lost link (and reconnect with backoff).
   */
  private readonly drained = new Map<string, { readonly code: number; readonly reason: string }>();

  constructor(
    private readonly settings: LongPollRouteSettings,
    private readonly handler: ConnectionHandler,
    private readonly metrics: GatewayMetrics,
  ) {}

  register(app: uws.TemplatedApp): void {
    app.post('/lp/open', (res, req) => this.open(res, req));
    app.post('/lp/send', (res, req) => this.send(res, req));
    app.get('/lp/recv', (res, req) => this.recv(res, req));
    app.post('/lp/close', (res, req) => this.close(res, req));
    app.options('/lp/*', (res, req) => this.preflight(res, req));
  }

  private open(res: uws.HttpResponse, req: uws.HttpRequest): void {
    const origin = req.getHeader('origin');
    const token = queryParam(req, 'token');
    const reply = new OpenReply(res, this.corsHeaders(origin));
    const admission = this.handler.admit({ origin, token, device: req.getQuery('device'), address: remoteAddress(res) }, 'long_poll');
    if (!admission.admitted) return reply.refuse(admission);
    const id = randomBytes(SESSION_ID_BYTES).toString('base64url');
    reply.sessionId = id;
    const state = this.handler.newState(admission.user, admission.device);
    state.issuedAtSec = admission.issuedAtSec;
    const session = new LongPollSession(id, state, reply, {
      idleLimitMs: 2 * this.settings.heartbeat.intervalMs,
      maxBufferedBytes: this.settings.limits.maxBackpressureBytes,
      clock: this.settings.clock,
      onClose: (closed, code) => {
        this.sessions.delete(closed.id);
        if (code === CloseCode.DRAINING && closed.closure) this.drained.set(closed.id, closed.closure);
        this.handler.closed(closed, code);
      },
    });
    reply.onAbort = () => session.abandon(reply);
    this.sessions.set(id, session);
    // Registers presence, then sends welcome, which answers the open request.
    this.handler.opened(session);
  }

  private send(res: uws.HttpResponse, req: uws.HttpRequest): void {
    const id = queryParam(req, 'session');
    const declaredLength = Number(req.getHeader('content-length') || '0');
    const reply = new Reply(res, this.corsHeaders(req.getHeader('origin')));
    const limit = MAX_SEND_BODY_FRAMES * this.settings.limits.maxFrameBytes;
    const tooLarge = () => reply.refuse({ status: '413 Payload Too Large', code: ErrorCode.FRAME_TOO_LARGE, message: `body over ${limit} bytes` }, true);
    if (declaredLength > limit) return tooLarge();
    // Known before the body is read: a body for no session is not buffered (up to 16 frames'
    // worth per request, for anyone, without a token) only to be thrown away.
    const drained = this.drained.get(id);
    if (drained) return reply.closedSession(drained.code, drained.reason, true);
    if (!this.sessions.has(id)) return reply.unknownSession(true);
    const chunks: Buffer[] = [];
    let received = 0;
    res.onData((chunk, isLast) => {
      if (reply.done) return;
      received += chunk.byteLength;
      if (received > limit) return tooLarge();
      // Copied: uWS reuses the chunk's memory after this callback.
      chunks.push(Buffer.from(new Uint8Array(chunk)));
      if (isLast) this.handleFrames(reply, id, Buffer.concat(chunks, received));
    });
  }

  private handleFrames(reply: Reply, id: string, body: Uint8Array): void {
    const session = this.sessions.get(id);
    if (!session) return reply.unknownSession();
    let frames: Uint8Array[];
    try {
      frames = decodeDelimited(body);
    } catch (err) {
      const message = err instanceof MalformedFrameError ? err.message : 'malformed body';
      return reply.refuse({ status: '400 Bad Request', code: ErrorCode.MALFORMED_FRAME, message });
    }
    // Each frame exactly as a WebSocket message; answers go downstream, to recv.
    for (const frame of frames) {
      if (session.closure) break;
      this.handler.received(session, frame);
    }
    const closure = session.closure;
    if (closure) return reply.closedSession(closure.code, closure.reason);
    reply.noContent();
  }

  private recv(res: uws.HttpResponse, req: uws.HttpRequest): void {
    const id = queryParam(req, 'session');
    const ack = parseCount(req.getQuery('ack') ?? '0');
    const holdText = req.getQuery('hold');
    const hold = holdText ? parseCount(holdText) : this.settings.longPoll.maxHoldMs;
    const reply = new RecvReply(res, this.corsHeaders(req.getHeader('origin')));
    const invalid = (message: string) => reply.refuse({ status: '400 Bad Request', code: ErrorCode.INVALID_FIELD, message });
    if (ack === undefined) return invalid('ack must be a batch number (0 before the first batch)');
    if (hold === undefined) return invalid('hold must be a number of milliseconds');
    const session = this.sessions.get(id);
    if (!session) {
      const drained = this.drained.get(id);
      return drained ? reply.closedSession(drained.code, drained.reason) : reply.unknownSession();
    }
    reply.onAbort = () => session.abandon(reply);
    const outcome = session.recv(ack, Math.min(hold, this.settings.longPoll.maxHoldMs), reply);
    switch (outcome) {
      case 'bad-ack':
        return invalid(`ack ${ack} names a batch never sent`);
      case 'held':
        return this.metrics.longPollHolds.inc();
      case 'resent':
        return this.metrics.longPollBatchesResent.inc();
      case 'batch':
      case 'empty':
      case 'closed':
        return;
      default:
        return assertNever(outcome);
    }
  }

  private close(res: uws.HttpResponse, req: uws.HttpRequest): void {
    const reply = new Reply(res, this.corsHeaders(req.getHeader('origin')));
    const session = this.sessions.get(queryParam(req, 'session'));
    if (!session) return reply.unknownSession();
    session.close(CloseCode.NORMAL, 'closed by client');
    reply.noContent();
  }

  /** A browser asks before a cross-origin POST with our content type. */
  private preflight(res: uws.HttpResponse, req: uws.HttpRequest): void {
    const cors = this.corsHeaders(req.getHeader('origin'));
    const allowed: HeaderList =
      cors.length > 0
        ? [...cors, ['access-control-allow-methods', 'GET, POST'], ['access-control-allow-headers', 'content-type'], ['access-control-max-age', String(PREFLIGHT_MAX_AGE_SEC)]]
        : [];
    writeAnswer(res, '204 No Content', allowed);
  }

  /**
   * CORS headers for a page of an allowed origin (the WebSocket allowlist), so it can read
   * the answers and their X-Parley-* headers; none for same-origin or non-browser requests.
   */
  private corsHeaders(origin: string): HeaderList {
    if (!origin || !originAllowed(origin, this.settings.admission.allowedOrigins)) return [];
    return [
      ['access-control-allow-origin', origin],
      ['access-control-expose-headers', 'x-parley-session, x-parley-batch'],
      ['vary', 'origin'],
    ];
  }
}
