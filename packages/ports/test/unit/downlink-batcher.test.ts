// The downlink batcher publishes one batch per gateway per flush, each item addressed as added
// (a connection, every connection of a user, more users, a connection left out), and keeps,
// after a flush, exactly the frames marked repeatIfUnheard whose gateway nobody heard (all of
// them when the publish failed), ready to be flushed again.
import { MemoryDownlink } from '../../src/downlink.memory';
import type { Downlink } from '../../src/downlink';
import { asConnectionId, asGatewayId, asUserId, decodeFrame, DownlinkBatch, encodeFrame, GatewayId, parley } from '@parley/protocol';
import { DownlinkBatcher } from '../../src/downlink-batcher';

const gw1 = asGatewayId('gw1');
const gw2 = asGatewayId('gw2');
const alice = asUserId('alice');
const settle = () => new Promise((resolve) => setImmediate(resolve));

function filled(): DownlinkBatcher {
  const out = new DownlinkBatcher();
  out.add({ gatewayId: gw1, user: alice }, { ackN: { msgId: 'a1' } }, { repeatIfUnheard: true });
  out.add({ gatewayId: gw1, user: alice }, { msgN: { msgId: 'n1' } });
  out.add({ gatewayId: gw2, user: alice }, { ackN: { msgId: 'a2' } }, { repeatIfUnheard: true });
  out.add({ gatewayId: gw2, user: alice }, { msgN: { msgId: 'n2' } });
  return out;
}

/** A downlink that records what each publish carried, every gateway heard. */
function recordingDownlink() {
  const published: Array<Map<GatewayId, DownlinkBatch>> = [];
  const downlink: Downlink = {
    publish: async (batches) => {
      published.push(new Map(batches));
      return [];
    },
    subscribe: () => Promise.reject(new Error('unused')),
  };
  return { downlink, published };
}

describe('DownlinkBatcher', () => {
  it('publishes one batch per gateway, each item addressed as it was added, in order', async () => {
    const bob = asUserId('bob');
    const carol = asUserId('carol');
    const out = new DownlinkBatcher();
    out.add({ gatewayId: gw1, user: alice, connectionId: asConnectionId('c1') }, { msgA: { msgId: 'm1' } });
    out.add({ gatewayId: gw2, user: bob, moreUsers: [carol], exceptConnectionId: asConnectionId('c9') }, { msgN: { msgId: 'm1' } });
    out.add({ gatewayId: gw1, user: alice }, { ackN: { msgId: 'm0' } });
    expect(out.gatewayCount).toBe(2);
    expect(out.isEmpty).toBe(false);

    const { downlink, published } = recordingDownlink();
    expect(await out.flush(downlink)).toBe(2);
    expect(published).toHaveLength(1);
    const toGw1 = published[0]!.get(gw1)!.items;
    const toGw2 = published[0]!.get(gw2)!.items;
    expect(toGw1.map((i) => [i.userId, i.connectionId, decodeFrame(i.frame as Uint8Array).msgA?.msgId ?? decodeFrame(i.frame as Uint8Array).ackN?.msgId])).toEqual([
      ['alice', 'c1', 'm1'],
      ['alice', '', 'm0'],
    ]);
    expect(toGw2).toHaveLength(1);
    expect(toGw2[0]).toMatchObject({ userId: 'bob', connectionId: '', moreUserIds: ['carol'], exceptConnectionId: 'c9' });
    expect(decodeFrame(toGw2[0]!.frame as Uint8Array).msgN?.msgId).toBe('m1');
  });

  it('holds items with their own member lists, encoding as DownlinkItem.create would make them', async () => {
    const bob = asUserId('bob');
    const more = [bob];
    const out = new DownlinkBatcher();
    out.add({ gatewayId: gw1, user: alice, moreUsers: more }, { msgN: { msgId: 'm1' } });
    out.add({ gatewayId: gw1, user: alice, connectionId: asConnectionId('c1'), exceptConnectionId: asConnectionId('c2') }, { msgA: { msgId: 'm2' } });
    more.push(asUserId('carol')); // the caller's array is not the item's
    const { downlink, published } = recordingDownlink();
    await out.flush(downlink);
    const items = published[0]!.get(gw1)!.items as parley.v1.DownlinkItem[];
    expect(items.map((i) => i.moreUserIds)).toEqual([['bob'], []]);
    const expected = [
      parley.v1.DownlinkItem.create({ userId: 'alice', connectionId: '', frame: encodeFrame({ msgN: { msgId: 'm1' } }), moreUserIds: ['bob'], exceptConnectionId: '' }),
      parley.v1.DownlinkItem.create({ userId: 'alice', connectionId: 'c1', frame: encodeFrame({ msgA: { msgId: 'm2' } }), moreUserIds: [], exceptConnectionId: 'c2' }),
    ];
    expect(items.map((i) => Buffer.from(parley.v1.DownlinkItem.encode(i).finish()))).toEqual(expected.map((i) => Buffer.from(parley.v1.DownlinkItem.encode(i).finish())));
    expect(Buffer.from(parley.v1.DownlinkBatch.encode(published[0]!.get(gw1)!).finish())).toEqual(Buffer.from(parley.v1.DownlinkBatch.encode({ items: expected }).finish()));
  });

  it('counts the frames queued per packet name', () => {
    const out = filled();
    expect(Object.fromEntries(out.packetCounts())).toEqual({ 'ack:N': 2, 'msg:N': 2 });
  });

  it('is empty after a flush, and publishes nothing when nothing was added', async () => {
    const { downlink, published } = recordingDownlink();
    const out = filled();
    await out.flush(downlink);
    expect(out.isEmpty).toBe(true);
    expect(out.gatewayCount).toBe(0);
    expect(await out.flush(downlink)).toBe(0);
    expect(published).toHaveLength(1);
    expect(await new DownlinkBatcher().flush(downlink)).toBe(0);
    expect(published).toHaveLength(1);
  });

  it('keeps the repeatable frames of the gateways nobody heard, and flushes them again', async () => {
    const downlink = new MemoryDownlink();
    const heard: Array<{ gateway: GatewayId; ids: string[] }> = [];
    const listen = (gateway: GatewayId) =>
      downlink.subscribe(gateway, (batch: DownlinkBatch) =>
        heard.push({ gateway, ids: batch.items.map((i) => decodeFrame(i.frame as Uint8Array).ackN?.msgId ?? decodeFrame(i.frame as Uint8Array).msgN?.msgId ?? '') }),
      );
    await listen(gw2);
    const out = filled();
    expect(await out.flush(downlink)).toBe(2);
    const lost = out.unheard()!;
    expect(lost.gatewayCount).toBe(1); // gw1 only, and only its ack:N

    await listen(gw1);
    await lost.flush(downlink);
    await settle();
    expect(heard).toEqual([
      { gateway: gw2, ids: ['a2', 'n2'] },
      { gateway: gw1, ids: ['a1'] },
    ]);
    expect(lost.unheard()).toBeUndefined();
  });

  it('keeps every repeatable frame when the publish failed', async () => {
    const failing: Downlink = {
      publish: () => Promise.reject(new Error('store down')),
      subscribe: () => Promise.reject(new Error('unused')),
    };
    const out = filled();
    await expect(out.flush(failing)).rejects.toThrow('store down');
    expect(out.unheard()?.gatewayCount).toBe(2);
  });

  it('keeps nothing when every gateway heard its batch', async () => {
    const downlink = new MemoryDownlink();
    await downlink.subscribe(gw1, () => undefined);
    await downlink.subscribe(gw2, () => undefined);
    const out = filled();
    await out.flush(downlink);
    expect(out.unheard()).toBeUndefined();
  });
});
