// Owns what integration tests read about the shared infrastructure (set by the jest global
// setup) and unique, topic-safe names so tests never collide on topics, groups or keys.
import { randomBytes } from 'node:crypto';

export const ENV_REDIS_URL = 'PARLEY_TEST_REDIS_URL';
export const ENV_REDIS_PORT = 'PARLEY_TEST_REDIS_PORT';
export const ENV_KAFKA_BROKERS = 'PARLEY_TEST_KAFKA_BROKERS';

export interface TestInfra {
  redisUrl: string;
  kafkaBrokers: string[];
}

export function testInfra(): TestInfra {
  const redisUrl = process.env[ENV_REDIS_URL];
  const brokers = process.env[ENV_KAFKA_BROKERS];
  const missing = [!redisUrl && ENV_REDIS_URL, !brokers && ENV_KAFKA_BROKERS].filter(Boolean);
  if (missing.length > 0 || !redisUrl || !brokers) {
    throw new Error(
      `${missing.join(' and ')} not set: integration tests need the jest global setup ` +
        '(packages/testkit/dist/jest-global-setup.js). Run them through the `integration` jest project ' +
        '(e.g. `npm test` or `npx jest --selectProjects integration`) after building @parley/testkit.',
    );
  }
  return {
    redisUrl,
    kafkaBrokers: brokers
      .split(',')
      .map((b) => b.trim())
      .filter((b) => b.length > 0),
  };
}

let counter = 0;

/**
 * A short unique id such as `orders-m3x9k2a1f4c` built only from [a-z0-9-] (valid in Kafka topic
 * names, consumer group ids and Redis keys). The label is lower-cased, sanitised and cut to 24 chars.
 */
export function uniqueNamespace(label: string): string {
  const safe =
    label
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 24) || 'ns';
  counter = (counter + 1) % 1296;
  const time = (Date.now() % 36 ** 5).toString(36).padStart(5, '0');
  const seq = counter.toString(36).padStart(2, '0');
  const rand = randomBytes(3).toString('hex');
  return `${safe}-${time}${seq}${rand}`;
}
