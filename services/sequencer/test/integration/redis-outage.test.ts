// A Redis outage is a transient failure, not poison: the sequencer's batches fail while Redis
// is down and are handed again until it is back; every msg:R published meanwhile is sequenced
// and forwarded, none is dead-lettered, and the consumer never reports a stall.
import pino from 'pino';
import { createRegistry } from '@parley/observability';
import { ConsumedRecord, SystemClock } from '@parley/ports';
import { decodeDeliveryCommand, encodeClientPacket } from '@parley/protocol';
import { createInfrastructure } from '@parley/composition';
import { topicNames } from '@parley/runtime';
import { RedisServerHandle, startRedisServer, testInfra, uniqueNamespace, waitFor } from '@parley/testkit';
import { loadSequencerConfig, Sequencer } from '../../src';

describe('the sequencer through a Redis outage', () => {
  let redis: RedisServerHandle | undefined;
  afterEach(async () => {
    await redis?.stop();
  });

  it('sequences every msg:R published while Redis was down once it is back, dead-lettering nothing', async () => {
    redis = await startRedisServer(); // this test's own: the run's shared one stays untouched
    const ns = uniqueNamespace('outage');
    const config = loadSequencerConfig({
      PARLEY_KAFKA_BROKERS: testInfra().kafkaBrokers.join(','),
      PARLEY_REDIS_URL: redis.url,
      PARLEY_TOPIC_PREFIX: ns,
      PARLEY_REDIS_PREFIX: `${ns}:`,
      PARLEY_TOPIC_PARTITIONS: '1',
      PARLEY_KAFKA_SESSION_TIMEOUT_MS: '6000',
    });
    // Records the warnings: the outage must show as transient failures, retried.
    const warnings: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void warnings.push(line) });
    const clock = new SystemClock();
    const registry = createRegistry();
    const infrastructure = await createInfrastructure(config, { clock, logger, registry, clientId: ns, requireReal: true });
    const topics = topicNames(ns);
    const forwarded = new Set<string>();
    const deadLetters: ConsumedRecord[] = [];
    const watchers = await Promise.all([
      infrastructure.bus.subscribe({
        topic: topics.deliver,
        group: `${ns}.watch-deliver`,
        handler: async (batch) => {
          for (const r of batch.records) forwarded.add(decodeDeliveryCommand(r.value).sequenced?.message?.msgId ?? '');
        },
        onFatal: () => undefined,
      }),
      infrastructure.bus.subscribe({ topic: topics.deadLetter, group: `${ns}.watch-dlq`, handler: async (b) => void deadLetters.push(...b.records), onFatal: () => undefined }),
    ]);
    const fatal: Error[] = [];
    const sequencer = new Sequencer({ topicPrefix: ns, infrastructure, registry, logger, clock, stallMs: 120_000, onFatal: (e) => fatal.push(e) });
    await sequencer.start();
    const send = (ids: string[]) =>
      infrastructure.bus.publish(
        topics.send,
        ids.map((msgId) => ({
          key: 'd:alice:bob',
          value: encodeClientPacket({
            origin: { gatewayId: 'gw', connectionId: 'c1', userId: 'alice', receivedAtMs: Date.now() },
            frame: { msgR: { msgId, toUser: 'bob', payload: Buffer.from(msgId) } },
          }),
        })),
      );
    try {
      const before = ['b1', 'b2', 'b3'];
      await send(before);
      await waitFor(() => before.every((id) => forwarded.has(`${id}`)), { timeoutMs: 30_000, what: 'the messages sent before the outage' });

      const port = redis.port;
      await redis.stop();
      const during = Array.from({ length: 10 }, (_, i) => `d${i}`);
      await send(during);
      // Long enough for several failed attempts (ioredis gives a command up after its retries).
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      expect(during.filter((id) => forwarded.has(id))).toEqual([]);
      redis = await startRedisServer({ port });

      await waitFor(() => during.every((id) => forwarded.has(id)), { timeoutMs: 60_000, what: 'every message sent during the outage' });
      expect(deadLetters).toEqual([]);
      expect(warnings.some((line) => line.includes('infrastructure unavailable'))).toBe(true);
      expect(warnings.filter((line) => line.includes('poison record'))).toEqual([]);
      expect(await registry.metrics()).not.toMatch(/parley_consumer_dead_letters_total\{/);
      expect(fatal).toEqual([]);
      expect(sequencer.healthy).toBe(true);
    } finally {
      await sequencer.stop();
      await Promise.all(watchers.map((w) => w.close()));
      await infrastructure.close();
    }
  });
});
