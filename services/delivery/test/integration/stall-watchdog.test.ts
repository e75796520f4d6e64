// The stall watchdog on real Kafka and Redis: a delivery whose handler is stuck forever (its
// inbox write never returns) while records wait reports unhealthy on /healthz, counts the
// stall and calls its fatal hook; the delivery process itself exits (code 70) with a line
// saying why when its Redis stops answering.
import http from 'node:http';
import { createLogger, createRegistry, startAdminServer } from '@parley/observability';
import { Inbox, SystemClock } from '@parley/ports';
import { encodeDeliveryCommand, parley } from '@parley/protocol';
import { createInfrastructure, Infrastructure } from '@parley/composition';
import { ConsumerStalledError, topicNames } from '@parley/runtime';
import { join } from 'node:path';
import { KafkaBus } from '@parley/kafka';
import { respCommand, spawnNodeProcess, startRedisServer, testInfra, uniqueNamespace, waitFor } from '@parley/testkit';
import { Delivery, loadDeliveryConfig } from '../../src';

const healthz = (port: number): Promise<number> =>
  new Promise((resolve, reject) => {
    http.get(`http://127.0.0.1:${port}/healthz`, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });

describe('the stall watchdog on real Kafka and Redis', () => {
  it('makes a delivery stuck on a record report unhealthy and call its fatal hook', async () => {
    const ns = uniqueNamespace('stall');
    const infra = testInfra();
    const config = loadDeliveryConfig({
      PARLEY_KAFKA_BROKERS: infra.kafkaBrokers.join(','),
      PARLEY_REDIS_URL: infra.redisUrl,
      PARLEY_TOPIC_PREFIX: ns,
      PARLEY_REDIS_PREFIX: `${ns}:`,
      PARLEY_TOPIC_PARTITIONS: '2',
      PARLEY_KAFKA_SESSION_TIMEOUT_MS: '6000',
      PARLEY_CONSUMER_STALL_MS: '3000',
      PARLEY_DELIVERY_ADMIN_PORT: '0',
    });
    const logger = createLogger('test', 'silent');
    const clock = new SystemClock();
    const registry = createRegistry();
    const real = await createInfrastructure(config, { clock, logger, registry, clientId: ns, requireReal: true });
    // The inbox write never returns: a handler stuck forever (e.g. a hung connection).
    let release: () => void = () => undefined;
    const hung = new Promise<void>((resolve) => (release = resolve));
    const inbox: Inbox = Object.create(real.inbox);
    inbox.add = () => hung;
    const infrastructure: Infrastructure = { ...real, inbox };
    const fatal: Error[] = [];
    const delivery = new Delivery({
      topicPrefix: ns,
      infrastructure,
      registry,
      logger,
      clock,
      redelivery: { ackTimeoutMs: 5_000, maxRedeliveries: 1, maxBackoffMs: 10_000 },
      maxOfflinePage: 100,
      stallMs: config.PARLEY_CONSUMER_STALL_MS,
      onFatal: (error) => fatal.push(error),
    });
    await delivery.start();
    const admin = await startAdminServer(0, registry, () => delivery.ready, () => delivery.healthy, '127.0.0.1');
    try {
      expect(await healthz(admin.port)).toBe(200);
      const message = parley.v1.StoredMessage.create({ conversation: 'd:a:b', position: { epoch: 'e1', seq: 1 }, msgId: 'm1', fromUser: 'a', toUsers: ['b'] });
      await real.bus.publish(topicNames(ns).deliver, [{ key: 'd:a:b', value: encodeDeliveryCommand({ sequenced: { message, duplicate: false, origin: { gatewayId: 'gw', userId: 'a', connectionId: 'c' } } }) }]);

      await waitFor(() => fatal.length > 0, { timeoutMs: 60_000, what: 'the fatal hook' });
      expect(fatal[0]).toBeInstanceOf(ConsumerStalledError);
      expect((fatal[0] as ConsumerStalledError).lag).toBeGreaterThanOrEqual(1);
      expect(delivery.healthy).toBe(false);
      expect(await healthz(admin.port)).toBe(503);
      expect(await registry.metrics()).toContain(`parley_consumer_stalls_total{group="${ns}.delivery",topic="${ns}.deliver"} 1`);
    } finally {
      release();
      await admin.close();
      await delivery.stop();
      await real.close();
    }
  });

  it('ends a delivery process whose Redis stops answering mid-batch: exit code 70 and a line saying why', async () => {
    const redis = await startRedisServer(); // this test's own: the run's shared one stays untouched
    const ns = uniqueNamespace('stallexit');
    const env = {
      PARLEY_KAFKA_BROKERS: testInfra().kafkaBrokers.join(','),
      PARLEY_REDIS_URL: redis.url,
      PARLEY_TOPIC_PREFIX: ns,
      PARLEY_REDIS_PREFIX: `${ns}:`,
      PARLEY_TOPIC_PARTITIONS: '1',
      PARLEY_KAFKA_SESSION_TIMEOUT_MS: '6000',
      PARLEY_CONSUMER_STALL_MS: '3000',
      PARLEY_DELIVERY_ADMIN_PORT: '0',
      PARLEY_LOG_LEVEL: 'info',
    };
    const child = spawnNodeProcess(join(__dirname, '../../dist/main.js'), [], env);
    // Publishes on Kafka alone: nothing of the test itself talks to the paused Redis.
    const publisher = new KafkaBus({ brokers: testInfra().kafkaBrokers, clientId: `${ns}-publisher`, logger: () => undefined });
    try {
      await child.waitForLine(/delivery ready/, 60_000);
      // Every command from now on waits (the connection stays open): the next batch never ends.
      await respCommand(redis.port, ['CLIENT', 'PAUSE', 600_000, 'ALL']);
      const message = parley.v1.StoredMessage.create({ conversation: 'd:a:b', position: { epoch: 'e1', seq: 1 }, msgId: 'm1', fromUser: 'a', toUsers: ['b'] });
      await publisher.publish(topicNames(ns).deliver, [{ key: 'd:a:b', value: encodeDeliveryCommand({ sequenced: { message, duplicate: false, origin: { gatewayId: 'gw', userId: 'a', connectionId: 'c' } } }) }]);
      let timer: NodeJS.Timeout | undefined;
      const code = await Promise.race([child.exited, new Promise<string>((resolve) => (timer = setTimeout(() => resolve('still running after 60 s'), 60_000)))]);
      clearTimeout(timer);
      expect(code).toBe(70);
      expect(child.output()).toMatch(/finished no batch of partition \d+ for \d+ ms while \d+ records waited/);
    } finally {
      await child.stop();
      await publisher.close();
      await redis.stop();
    }
  });
});
