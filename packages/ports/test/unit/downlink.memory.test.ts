// The Downlink contract over MemoryDownlink.
import { asGatewayId, parley, type GatewayId } from '@parley/protocol';
import { MemoryDownlink } from '@parley/ports';
import { describeDownlinkContract } from '@parley/ports/testing';

describeDownlinkContract('memory', async () => ({ downlink: new MemoryDownlink(), close: async () => {} }));

describe('MemoryDownlink', () => {
  it("reports a throwing handler instead of crashing, and keeps delivering to the gateway's other subscribers", async () => {
    const errors: Array<{ message: string; gatewayId: GatewayId }> = [];
    const downlink = new MemoryDownlink({
      onError: (error, gatewayId) => errors.push({ message: (error as Error).message, gatewayId }),
    });
    const gw = asGatewayId('gw-1');
    const received: number[] = [];
    await downlink.subscribe(gw, () => {
      throw new Error('boom');
    });
    await downlink.subscribe(gw, (batch) => received.push(batch.items.length));

    await downlink.publish(new Map([[gw, parley.v1.DownlinkBatch.create({ items: [{ userId: 'u' }] })]]));
    await new Promise<void>((resolve) => queueMicrotask(resolve));

    expect(errors).toEqual([{ message: 'boom', gatewayId: gw }]);
    expect(received).toEqual([1]);
  });

  it('drops a batch whose subscription closed after publish but before delivery', async () => {
    const downlink = new MemoryDownlink();
    const gw = asGatewayId('gw-1');
    const received: number[] = [];
    const subscription = await downlink.subscribe(gw, (batch) => received.push(batch.items.length));

    const published = downlink.publish(new Map([[gw, parley.v1.DownlinkBatch.create({ items: [{ userId: 'u' }] })]]));
    await subscription.close();
    await published;
    await new Promise<void>((resolve) => setImmediate(resolve));

    expect(received).toEqual([]);
  });
});
