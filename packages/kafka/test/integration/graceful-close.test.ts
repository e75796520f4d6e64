// What a sequencer or delivery does with its subscription on SIGTERM: it stops fetching,
// finishes the batch in hand, commits its offsets and leaves the consumer group, so the next
// member takes the partitions at once (not after the session timeout) and gets only what
// was not handled.
import type { BusBatch } from '@parley/ports';
import { testInfra, uniqueNamespace, waitFor } from '@parley/testkit';
import { KafkaBus } from '../../src';

/** Long enough that a member which did not leave would hold the partition for the whole test. */
const SESSION_TIMEOUT_MS = 90_000;

const makeBus = (clientId: string): KafkaBus =>
  new KafkaBus({
    brokers: testInfra().kafkaBrokers,
    clientId,
    heartbeatIntervalMs: 500,
    sessionTimeoutMs: SESSION_TIMEOUT_MS,
    logger: () => undefined,
  });

const text = (s: string) => new TextEncoder().encode(s);
const keysOf = (batch: BusBatch) => batch.records.map((r) => new TextDecoder().decode(r.value));

describe('KafkaBus subscription close (graceful stop)', () => {
  const buses: KafkaBus[] = [];
  afterAll(async () => {
    await Promise.allSettled(buses.map((b) => b.close()));
  }, 60_000);

  it('finishes the batch in hand, commits it and leaves the group: the next member starts at once after it', async () => {
    const ns = uniqueNamespace('close');
    const topic = `${ns}-t`;
    const group = `${ns}-g`;
    const first = makeBus(`${ns}-a`);
    const second = makeBus(`${ns}-b`);
    buses.push(first, second);
    await first.ensureTopics([{ name: topic, partitions: 1 }]);
    await first.publish(topic, [{ key: 'k', value: text('m1') }, { key: 'k', value: text('m2') }]);

    let inHand: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const handledByFirst: string[] = [];
    const subscription = await first.subscribe({
      topic,
      group,
      onFatal: (e) => {
        throw e;
      },
      handler: async (batch) => {
        inHand = keysOf(batch);
        await released;
        handledByFirst.push(...inHand);
      },
    });
    await waitFor(() => inHand.length > 0, { timeoutMs: 60_000, what: 'the first member handling a batch' });

    let closed = false;
    const closing = subscription.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(closed).toBe(false); // the batch in hand is not abandoned
    release();
    await closing;
    expect(handledByFirst).toEqual(inHand);
    // Committed before leaving: nothing the first member handled is pending for the group.
    expect(await first.lag(group, topic)).toBe(2 - handledByFirst.length);

    await first.publish(topic, [{ key: 'k', value: text('m3') }]);
    const handledBySecond: string[] = [];
    const joinedAt = Date.now();
    await second.subscribe({
      topic,
      group,
      onFatal: (e) => {
        throw e;
      },
      handler: async (batch) => void handledBySecond.push(...keysOf(batch)),
    });
    await waitFor(() => handledBySecond.includes('m3'), { timeoutMs: SESSION_TIMEOUT_MS, what: 'the second member getting m3' });
    // A member that had not left would keep the partition until its session timed out.
    expect(Date.now() - joinedAt).toBeLessThan(SESSION_TIMEOUT_MS / 2);
    expect(handledBySecond).toEqual(['m1', 'm2'].filter((m) => !handledByFirst.includes(m)).concat('m3'));
  }, 180_000);
});
