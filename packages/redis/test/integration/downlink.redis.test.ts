// The Downlink contract over RedisDownlink (Redis pub/sub on a real redis-server).
import { asConnectionId, asGatewayId, asUserId, type DownlinkBatch } from '@parley/protocol';
import { describeDownlinkContract } from '@parley/ports/testing';
import { waitFor } from '@parley/testkit';
import { RedisDownlink } from '../../src/downlink.redis';
import { connectTestRedis } from './redis-test-env';

describeDownlinkContract('redis', async () => {
  const test = await connectTestRedis('downlink');
  const downlink = new RedisDownlink({ redis: test.redis, keys: test.keys });
  return {
    downlink,
    close: async () => {
      await downlink.close();
      await test.close();
    },
  };
});

describe('RedisDownlink on one server', () => {
  const item = (connection: string) => ({ userId: asUserId('u'), connectionId: asConnectionId(connection), frame: Buffer.from(connection) });

  it("sends one tick's publishes to a gateway as one batch, in call order, and tells each caller its own unheard gateways", async () => {
    const test = await connectTestRedis('downlink-merge');
    const downlink = new RedisDownlink({ redis: test.redis, keys: test.keys });
    const heard = asGatewayId('heard');
    const nobody = asGatewayId('nobody');
    const received: DownlinkBatch[] = [];
    try {
      await downlink.subscribe(heard, (batch) => received.push(batch));
      const spublish = jest.spyOn(test.redis, 'spublish');

      const [first, second, third] = await Promise.all([
        downlink.publish(new Map([[heard, { items: [item('a'), item('b')] }]])),
        downlink.publish(new Map([[heard, { items: [item('c')] }], [nobody, { items: [item('x')] }]])),
        Promise.resolve().then(() => downlink.publish(new Map([[heard, { items: [item('d')] }]]))),
      ]);

      expect([first, second, third]).toEqual([[], [nobody], []]);
      await waitFor(() => received.length >= 1, { timeoutMs: 5_000, what: 'the merged batch' });
      expect(received.map((batch) => batch.items.map((i) => i.connectionId))).toEqual([['a', 'b', 'c', 'd']]);
      // One SPUBLISH per gateway of the tick, on the tick's pipeline (the connection's own command is never used).
      expect(spublish).not.toHaveBeenCalled();

      // The next tick's publish is a batch of its own.
      await downlink.publish(new Map([[heard, { items: [item('e')] }]]));
      await waitFor(() => received.length >= 2, { timeoutMs: 5_000, what: 'the next batch' });
      expect(received[1]!.items.map((i) => i.connectionId)).toEqual(['e']);
    } finally {
      await downlink.close();
      await test.close();
    }
  });
});
