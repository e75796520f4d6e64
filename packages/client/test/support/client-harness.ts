// A ParleyClient wired to a FakeServer and a FakeClock, with every event recorded.
import { ParleyClient, type ConnectionState } from '../../src/parley-client';
import type { ParleyClientOptions } from '../../src/options';
import type { AckReceipt, ReceivedMessage, ServerError } from '../../src/frames';
import type { ConversationReset } from '../../src/receive-order';
import { FakeClock } from './fake-clock';
import { FakeServer, settle } from './fake-server';

export interface Harness {
  readonly clock: FakeClock;
  readonly server: FakeServer;
  readonly client: ParleyClient;
  readonly messages: ReceivedMessage[];
  /** 'reset' events, each also recorded in `timeline` at its place among the messages. */
  readonly resets: ConversationReset[];
  /** Messages as `conversation e1/3` and resets as `conversation reset e1/1>e1/2 reason`, in emission order. */
  readonly timeline: string[];
  readonly acks: AckReceipt[];
  readonly states: ConnectionState[];
  readonly errors: ServerError[];
  /**
   * Moves the fake time timer by timer, letting the frames each timer causes travel (and be
   * answered) before the next one fires: the network is instant, time is not.
   */
  advance(ms: number): Promise<void>;
}

export function harness(options: Partial<ParleyClientOptions> = {}, server = new FakeServer()): Harness {
  const clock = new FakeClock();
  let ids = 0;
  const client = new ParleyClient({
    url: 'ws://gateway.test/ws',
    token: 'token-1',
    clock,
    transportFactory: server.transportFactory,
    newMsgId: () => `m${++ids}`,
    backoff: { minDelayMs: 100, maxDelayMs: 1_000, random: () => 0.999_999 },
    ...options,
  });
  const h: Harness = {
    clock,
    server,
    client,
    messages: [],
    resets: [],
    timeline: [],
    acks: [],
    states: [],
    errors: [],
    advance: async (ms) => {
      await settle(); // what is already on its way arrives first
      const target = clock.now() + ms;
      for (let due = clock.nextDueAt(); due !== undefined && due <= target; due = clock.nextDueAt()) {
        clock.advance(due - clock.now());
        await settle();
      }
      clock.advance(target - clock.now());
      await settle();
    },
  };
  client.on('message', (m) => {
    h.messages.push(m);
    h.timeline.push(`${m.conversation} ${m.position.epoch}/${m.position.seq}`);
  });
  client.on('reset', (r) => {
    h.resets.push(r);
    h.timeline.push(`${r.conversation} reset ${r.from.epoch}/${r.from.seq}>${r.to.epoch}/${r.to.seq} ${r.reason}`);
  });
  client.on('ack', (a) => h.acks.push(a));
  client.on('state', (s) => h.states.push(s));
  client.on('error', (e) => h.errors.push(e));
  return h;
}

/** Connects and lets the post-welcome traffic (offline pull, resends) finish. */
export async function connected(h: Harness): Promise<void> {
  await h.client.connect();
  await settle();
}

/** Remembers how a promise settled, without an unhandled rejection. */
export function track<T>(promise: Promise<T>): { value?: T; error?: unknown; settled: boolean; count: number } {
  const state: { value?: T; error?: unknown; settled: boolean; count: number } = { settled: false, count: 0 };
  promise.then(
    (value) => {
      state.value = value;
      state.settled = true;
      state.count += 1;
    },
    (error: unknown) => {
      state.error = error;
      state.settled = true;
      state.count += 1;
    },
  );
  return state;
}
