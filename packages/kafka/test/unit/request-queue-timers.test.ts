// kafkajs' own RequestQueue with parley's timer corrections: an idle connection arms no timer,
// while queued, throttled and timed-out requests are handled as kafkajs handles them.
import { correctRequestQueueTimers, kafkaJsRequestQueue, timeoutSweepMs } from '../../src/request-queue-timers';

interface Entry {
  correlationId: number;
  apiName: string;
  apiKey: number;
  apiVersion: number;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

interface Queue {
  push(r: { entry: Entry; expectResponse: boolean; sendRequest: () => void; requestTimeout?: number }): void;
  fulfillRequest(r: { correlationId: number; payload: Buffer | null; size: number }): void;
  maybeThrottle(ms: number): void;
  scheduleRequestTimeoutCheck(): void;
  destroy(): void;
  pending: unknown[];
  inflight: Map<number, unknown>;
}

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

function newQueue(options: { maxInFlightRequests?: number; requestTimeout?: number } = {}): Queue {
  const RequestQueue = kafkaJsRequestQueue() as unknown as new (o: object) => Queue;
  return new RequestQueue({
    maxInFlightRequests: options.maxInFlightRequests ?? null,
    requestTimeout: options.requestTimeout ?? 30_000,
    enforceRequestTimeout: true,
    clientId: 'test',
    broker: '127.0.0.1:9092',
    logger: quiet,
  });
}

function request(queue: Queue, correlationId: number, sent: number[], outcome: { resolved: number[]; rejected: string[] }): void {
  queue.push({
    entry: {
      correlationId,
      apiName: 'Fetch',
      apiKey: 1,
      apiVersion: 11,
      resolve: () => outcome.resolved.push(correlationId),
      reject: (e) => outcome.rejected.push(`${correlationId}: ${e.message}`),
    },
    expectResponse: true,
    sendRequest: () => sent.push(correlationId),
  });
}

describe('kafkajs RequestQueue with corrected timers', () => {
  beforeAll(() => correctRequestQueueTimers());
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('arms no timer once its requests are answered (kafkajs alone re-arms one every millisecond forever)', () => {
    const queue = newQueue();
    const sent: number[] = [];
    const outcome = { resolved: [] as number[], rejected: [] as string[] };
    request(queue, 1, sent, outcome);
    queue.fulfillRequest({ correlationId: 1, payload: null, size: 0 });
    expect(outcome.resolved).toEqual([1]);
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(5_000);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('sends a request held by the in-flight limit when an earlier one is answered, or on its retry timer', () => {
    const queue = newQueue({ maxInFlightRequests: 1 });
    const sent: number[] = [];
    const outcome = { resolved: [] as number[], rejected: [] as string[] };
    request(queue, 1, sent, outcome);
    request(queue, 2, sent, outcome);
    expect(sent).toEqual([1]);
    queue.fulfillRequest({ correlationId: 1, payload: null, size: 0 });
    expect(sent).toEqual([1, 2]);
    queue.fulfillRequest({ correlationId: 2, payload: null, size: 0 });
    expect(outcome.resolved).toEqual([1, 2]);
    jest.runOnlyPendingTimers(); // the retry timer armed while 2 waited finds nothing left
    expect(jest.getTimerCount()).toBe(0);
  });

  it('holds requests while the broker throttles and sends them when the throttle ends', () => {
    const queue = newQueue();
    const sent: number[] = [];
    const outcome = { resolved: [] as number[], rejected: [] as string[] };
    queue.maybeThrottle(300);
    request(queue, 1, sent, outcome);
    request(queue, 2, sent, outcome);
    expect(sent).toEqual([]);
    jest.advanceTimersByTime(299);
    expect(sent).toEqual([]);
    jest.advanceTimersByTime(2);
    expect(sent).toEqual([1, 2]);
    queue.fulfillRequest({ correlationId: 1, payload: null, size: 0 });
    queue.fulfillRequest({ correlationId: 2, payload: null, size: 0 });
    expect(outcome.resolved).toEqual([1, 2]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('fails a request that gets no answer within its timeout, at most a tenth of the timeout late', () => {
    const queue = newQueue({ requestTimeout: 2_000 });
    queue.scheduleRequestTimeoutCheck();
    const sent: number[] = [];
    const outcome = { resolved: [] as number[], rejected: [] as string[] };
    request(queue, 7, sent, outcome);
    jest.advanceTimersByTime(2_000);
    expect(outcome.rejected).toEqual([]);
    jest.advanceTimersByTime(200);
    expect(outcome.rejected).toEqual([expect.stringContaining('7: Request Fetch(key: 1, version: 11) timed out')]);
    expect(queue.inflight.size).toBe(0);
    queue.destroy();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('sweeps for timeouts every tenth of the timeout, at most once a second', () => {
    expect(timeoutSweepMs(30_000)).toBe(1_000);
    expect(timeoutSweepMs(2_000)).toBe(200);
    expect(timeoutSweepMs(5)).toBe(1);
  });

  it('is applied once, however often clients are built', () => {
    const proto = (kafkaJsRequestQueue() as { prototype: { scheduleCheckPendingRequests: unknown } }).prototype;
    const first = proto.scheduleCheckPendingRequests;
    correctRequestQueueTimers();
    expect(proto.scheduleCheckPendingRequests).toBe(first);
  });
});
