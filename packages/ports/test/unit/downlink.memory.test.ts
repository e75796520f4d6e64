// The Downlink contract over MemoryDownlink.
import { asGatewayId, parley, type DownlinkBatch, type GatewayId } from '@parley/protocol';
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

  it('hands each subscriber its own copy: what the publisher changes after publish does not reach it', async () => {
    const downlink = new MemoryDownlink();
    const gw = asGatewayId('gw-1');
    const received: DownlinkBatch[] = [];
    await downlink.subscribe(gw, (batch) => received.push(batch));
    await downlink.subscribe(gw, (batch) => received.push(batch));
    const frame = Uint8Array.from([1, 2, 3]);
    const item = parley.v1.DownlinkItem.create({ userId: 'u', connectionId: 'c', frame, moreUserIds: ['v', 'w'], exceptConnectionId: 'x' });
    const control = parley.v1.DownlinkItem.create({ userId: 'u', closeCode: 4008, closeReason: 'revoked' });
    const original = parley.v1.DownlinkBatch.encode({ items: [item, control] }).finish();
    await downlink.publish(new Map([[gw, parley.v1.DownlinkBatch.create({ items: [item, control] })]]));
    frame.fill(9);
    item.moreUserIds.push('z');
    item.userId = 'changed';
    await new Promise<void>((resolve) => queueMicrotask(resolve));

    expect(received).toHaveLength(2);
    // What a subscriber would have decoded from the batch's bytes as published (defaults of unset fields included).
    const view = (batch: DownlinkBatch) =>
      batch.items.map((i) => ({
        userId: i.userId,
        connectionId: i.connectionId,
        frame: Array.from(i.frame ?? []),
        moreUserIds: [...(i.moreUserIds ?? [])],
        exceptConnectionId: i.exceptConnectionId,
        closeCode: i.closeCode,
        closeReason: i.closeReason,
      }));
    for (const batch of received) expect(view(batch)).toEqual(view(parley.v1.DownlinkBatch.decode(original)));
    // Each subscriber's own lists and bytes.
    expect(received[0]!.items[0]!.moreUserIds).not.toBe(received[1]!.items[0]!.moreUserIds);
    received[0]!.items[0]!.frame![0] = 7;
    expect(Array.from(received[1]!.items[0]!.frame!)).toEqual([1, 2, 3]);
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
