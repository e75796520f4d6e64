// The Redis-path harness measures what it claims: every message assigned, pushed once and acked,
// on its own redis-server, with the commands it caused counted per message.
import path from 'node:path';
import { startRedisServer, type RedisServerHandle } from '@parley/testkit';
import { measureRedisPath } from '../../src/bench/redis-path-cost';

describe('measureRedisPath', () => {
  let server: RedisServerHandle;

  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('runs the assign, push and ack of every message and counts its commands and CPU', async () => {
    const result = await measureRedisPath({
      root: path.join(__dirname, '..', '..', '..', '..'),
      redisUrl: server.url,
      redisPid: server.pid,
      perCall: 2,
      partitions: 3,
      messages: 1200,
      warmUp: 30,
      users: 40,
    });

    // Whole rounds of 3 × 2: 1,200 measured after 30 (5 rounds) of warm-up (enough for
    // redis-server's CPU, read from /proc in 10 ms ticks, to show); each message's msg:N, the
    // receiver's ack:A and the sender's ack:N published once.
    expect(result.messages).toBe(1200);
    expect(result.downlinkItems).toBe(3 * 1230);
    // One assign script per message; the inbox add, the removal and the acked position once each.
    expect(result.commandsPerMessage.evalsha).toBe(4);
    expect(result.commandsPerMessage.zrem).toBe(1);
    expect(result.usPerMessage.seqAssign).toBeGreaterThan(0);
    expect(result.usPerMessage.delivery).toBeGreaterThan(0);
    expect(result.usPerMessage.redisServer).toBeGreaterThan(0);
  });
});
