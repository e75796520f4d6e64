// Command batches on one server: the batches run in one tick share one pipeline (one write),
// each gets its own replies in order, and one batch's failing command fails only that batch.
import type Redis from 'ioredis';
import { commandBatch, commandsAtTickEnd, execPipeline } from '../../src/command-batch';
import { connectTestRedis, type TestRedis } from './redis-test-env';

describe('commandBatch on one server', () => {
  let test: TestRedis;
  let pipelines: number;

  beforeAll(async () => {
    test = await connectTestRedis('command-batch');
    const redis = test.redis as Redis;
    const pipeline = redis.pipeline.bind(redis);
    pipelines = 0;
    redis.pipeline = ((...args: Parameters<Redis['pipeline']>) => {
      pipelines += 1;
      return pipeline(...args);
    }) as Redis['pipeline'];
  });
  afterAll(() => test.close());
  beforeEach(() => {
    pipelines = 0;
  });

  it('sends the batches of one tick in one pipeline, each answered with its own replies', async () => {
    const key = (name: string) => `${test.keys.prefix}${name}`;
    const first = commandBatch(test.redis).set(key('a'), '1').get(key('a'));
    const second = commandBatch(test.redis).incr(key('n')).incr(key('n')).get(key('n'));
    const [a, n] = await Promise.all([execPipeline(first), execPipeline(second)]);
    expect(a).toEqual(['OK', '1']);
    expect(n).toEqual([1, 2, '2']);
    expect(pipelines).toBe(1);
  });

  it('joins batches issued from promise callbacks of the same tick', async () => {
    const key = `${test.keys.prefix}chained`;
    const chained = Promise.resolve().then(() => execPipeline(commandBatch(test.redis).set(key, 'x')));
    const direct = execPipeline(commandBatch(test.redis).exists(key));
    await Promise.all([chained, direct]);
    expect(pipelines).toBe(1);
  });

  it('keeps the order of batches run one after another, each in a pipeline of its own', async () => {
    const key = `${test.keys.prefix}ordered`;
    await execPipeline(commandBatch(test.redis).rpush(key, 'one'));
    await execPipeline(commandBatch(test.redis).rpush(key, 'two'));
    expect(await execPipeline(commandBatch(test.redis).lrange(key, 0, -1))).toEqual([['one', 'two']]);
    expect(pipelines).toBe(3);
  });

  it('fails only the batch whose command failed', async () => {
    const zset = `${test.keys.prefix}zset`;
    await test.redis.zadd(zset, 0, 'member');
    pipelines = 0;
    const failing = execPipeline(commandBatch(test.redis).hget(zset, 'field'));
    const fine = execPipeline(commandBatch(test.redis).zscore(zset, 'member'));
    await expect(failing).rejects.toThrow(/WRONGTYPE/);
    await expect(fine).resolves.toEqual(['0']);
    expect(pipelines).toBe(1);
  });

  it('answers an empty batch without a round trip', async () => {
    await expect(execPipeline(commandBatch(test.redis))).resolves.toEqual([]);
    expect(pipelines).toBe(0);
  });

  it('builds the late commands of a tick once, as its pipeline is sent, after the batches joined meanwhile', async () => {
    const key = `${test.keys.prefix}late`;
    const seen: string[] = [];
    const late = commandsAtTickEnd(test.redis, (batch) => {
      seen.push(...handedIn);
      batch.rpush(key, ...handedIn);
      batch.lrange(key, 0, -1);
    });
    const handedIn = ['first'];
    const early = execPipeline(commandBatch(test.redis).rpush(key, 'early'));
    await Promise.resolve().then(() => handedIn.push('second'));

    expect(await late).toEqual([
      [null, 3],
      [null, ['early', 'first', 'second']],
    ]);
    expect(await early).toEqual([1]);
    expect(seen).toEqual(['first', 'second']);
    expect(pipelines).toBe(1);
  });
});
