// Owns two corrections to the timers of kafkajs 2.2.4's per-connection request queue, which
// together woke every idle parley service ~800 times a second (strace: epoll_pwait with a 1 ms
// timeout in a loop on the main thread) and cost ~3 % of a core per process doing nothing.
//
// 1. `scheduleCheckPendingRequests` arms a timer even when nothing is pending, with
//    `throttledUntil - Date.now()` as its delay: negative when unthrottled, so Node runs it after
//    1 ms, and the check it runs schedules itself again. Every broker connection (producer,
//    consumer, group coordinator, admin) thereby spins at 1 kHz forever
//    (https://github.com/tulios/kafkajs/issues/1556, /issues/1704; fix proposed in
//    /pull/1667, unreleased). With an empty queue there is nothing to check: a request that
//    cannot go out at once is queued by `push`, which schedules the check itself, and a
//    completed or timed-out request runs the check directly. A queued request still gets its
//    timer exactly as before (the throttle's end, or 10 ms when only in-flight limits hold it).
// 2. The request-timeout sweep runs every `min(requestTimeout, 100)` ms on every connection,
//    i.e. ten wake-ups a second each for a 30 s timeout. It now runs every tenth of the timeout
//    (at most once a second): a timed-out request is failed at most 10 % (1 s) later than its
//    timeout, which changes no retry decision, and stays exact for short timeouts.
//
// kafkajs is pinned (packages/kafka/package.json); the unit test request-queue-timers.test.ts
// runs kafkajs' own RequestQueue with these corrections, so an upgrade that changes it fails there.

/** The parts of kafkajs' internal RequestQueue these corrections read and replace. */
interface RequestQueueInternals {
  pending: unknown[];
  inflight: Map<number, { sentAt: number; requestTimeout: number; timeoutRequest(): void }>;
  throttledUntil: number;
  throttleCheckTimeoutId: ReturnType<typeof setTimeout> | null;
  requestTimeoutIntervalId?: ReturnType<typeof setInterval>;
  enforceRequestTimeout: boolean;
  requestTimeout: number;
  isConnected(): boolean;
  checkPendingRequests(): void;
  destroy(): void;
  scheduleCheckPendingRequests(): void;
  scheduleRequestTimeoutCheck(): void;
}

/** kafkajs' CHECK_PENDING_REQUESTS_INTERVAL: the retry delay of a queued request held by the in-flight limit. */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;
/** The request-timeout sweep runs at most this often... */
const TIMEOUT_SWEEP_MAX_MS = 1000;
/** ...and at least this many times per request timeout. */
const TIMEOUT_SWEEPS_PER_TIMEOUT = 10;

const PATCHED = Symbol.for('parley.kafkajs.requestQueueTimers');

/** The sweep period for a request timeout, in ms. */
export function timeoutSweepMs(requestTimeoutMs: number): number {
  return Math.max(1, Math.min(TIMEOUT_SWEEP_MAX_MS, Math.ceil(requestTimeoutMs / TIMEOUT_SWEEPS_PER_TIMEOUT)));
}

function scheduleCheckPendingRequests(this: RequestQueueInternals): void {
  if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
  const untilUnthrottled = this.throttledUntil - Date.now();
  const delay = untilUnthrottled > 0 ? untilUnthrottled : CHECK_PENDING_REQUESTS_INTERVAL_MS;
  this.throttleCheckTimeoutId = setTimeout(() => {
    this.throttleCheckTimeoutId = null;
    this.checkPendingRequests();
  }, delay);
}

function scheduleRequestTimeoutCheck(this: RequestQueueInternals): void {
  if (!this.enforceRequestTimeout) return;
  this.destroy();
  this.requestTimeoutIntervalId = setInterval(() => {
    const now = Date.now();
    for (const request of this.inflight.values()) {
      if (now - request.sentAt > request.requestTimeout) request.timeoutRequest();
    }
    if (!this.isConnected()) this.destroy();
  }, timeoutSweepMs(this.requestTimeout));
}

/** The kafkajs RequestQueue class (internal module; present in the pinned version). */
export function kafkaJsRequestQueue(): { prototype: RequestQueueInternals } {
  return require('kafkajs/src/network/requestQueue') as { prototype: RequestQueueInternals };
}

/** Applies both corrections to kafkajs' RequestQueue, once per process (idempotent). */
export function correctRequestQueueTimers(): void {
  const RequestQueue = kafkaJsRequestQueue() as { prototype: RequestQueueInternals } & { [PATCHED]?: true };
  if (RequestQueue[PATCHED]) return;
  if (typeof RequestQueue.prototype.scheduleCheckPendingRequests !== 'function' || typeof RequestQueue.prototype.scheduleRequestTimeoutCheck !== 'function') {
    throw new Error('kafkajs RequestQueue no longer has the timers parley corrects: review packages/kafka/src/request-queue-timers.ts');
  }
  RequestQueue.prototype.scheduleCheckPendingRequests = scheduleCheckPendingRequests;
  RequestQueue.prototype.scheduleRequestTimeoutCheck = scheduleRequestTimeoutCheck;
  RequestQueue[PATCHED] = true;
}
