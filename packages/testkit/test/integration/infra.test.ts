// Checks the shared infrastructure started by the jest global setup (Kafka round trip, Redis),
// plus the kit's own Redis restart and child-process helpers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import {
  respCommand,
  spawnNodeProcess,
  startRedisServer,
  testInfra,
  uniqueNamespace,
  waitFor,
} from '../../src';

// Jest 29 ignores `testTimeout` inside `projects` entries, so set it here.
jest.setTimeout(60_000);

describe('shared test infrastructure', () => {
  it('Kafka accepts a produced message and delivers it to a consumer group', async () => {
    const { kafkaBrokers } = testInfra();
    const kafka = new Kafka({ clientId: uniqueNamespace('testkit'), brokers: kafkaBrokers, logLevel: logLevel.WARN });
    const topic = uniqueNamespace('testkit-roundtrip');
    const admin = kafka.admin();
    const producer = kafka.producer();
    // A short fetch long-poll: consumer.disconnect() waits for the in-flight fetch, which with
    // kafkajs' default maxWaitTimeInMs (5000) adds ~5 s to every test that stops a consumer.
    const consumer = kafka.consumer({ groupId: uniqueNamespace('testkit-group'), maxWaitTimeInMs: 100 });
    try {
      await admin.connect();
      await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });

      const received: string[] = [];
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          received.push(message.value?.toString() ?? '');
        },
      });

      await producer.connect();
      await producer.send({ topic, messages: [{ key: 'k', value: 'hello-parley' }] });

      await waitFor(() => received.length > 0, { timeoutMs: 20_000, what: `a message on ${topic}` });
      expect(received).toEqual(['hello-parley']);
    } finally {
      await Promise.allSettled([producer.disconnect(), consumer.disconnect(), admin.disconnect()]);
    }
  });

  it('Redis answers PING and keeps a value', async () => {
    const { redisUrl } = testInfra();
    const port = Number(new URL(redisUrl).port);
    expect(port).toBe(Number(process.env.PARLEY_TEST_REDIS_PORT));
    expect(await respCommand(port, ['PING'])).toBe('PONG');
    const key = `${uniqueNamespace('testkit')}:k`;
    expect(await respCommand(port, ['SET', key, 'v1'])).toBe('OK');
    expect(await respCommand(port, ['GET', key])).toBe('v1');
    expect(await respCommand(port, ['DEL', key])).toBe(1);
  });
});

describe('startRedisServer().restart()', () => {
  it('comes back on the same port with every key gone', async () => {
    const redis = await startRedisServer();
    try {
      expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
      await respCommand(redis.port, ['INCRBY', 'seq:conv-1', 41]);
      expect(await respCommand(redis.port, ['INCR', 'seq:conv-1'])).toBe(42);
      const pidBefore = redis.pid;

      await redis.restart();

      expect(redis.pid).not.toBe(pidBefore);
      expect(await respCommand(redis.port, ['PING'])).toBe('PONG');
      expect(await respCommand(redis.port, ['GET', 'seq:conv-1'])).toBeNull();
      expect(await respCommand(redis.port, ['DBSIZE'])).toBe(0);
    } finally {
      await redis.stop();
    }
    await expect(respCommand(redis.port, ['PING'], { timeoutMs: 500 })).rejects.toThrow();
  });
});

describe('spawnNodeProcess', () => {
  it('waits for a line, and reports a SIGKILL as a null exit code', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-testkit-'));
    const script = path.join(dir, 'child.js');
    fs.writeFileSync(
      script,
      "console.log('starting'); setTimeout(() => console.log('ready ' + process.env.GREETING + ' ' + process.argv[2]), 50); setInterval(() => {}, 1000);\n",
    );
    try {
      const child = spawnNodeProcess(script, ['arg1'], { GREETING: 'hi' });
      expect(await child.waitForLine(/^ready /, 10_000)).toBe('ready hi arg1');
      child.kill('SIGKILL');
      expect(await child.exited).toBeNull();
      expect(child.exitSignal).toBe('SIGKILL');
      expect(child.output()).toContain('starting');
      await expect(child.waitForLine(/never printed/, 1000)).rejects.toThrow(/exited/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
