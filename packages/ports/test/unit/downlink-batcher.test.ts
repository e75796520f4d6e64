// The downlink batcher keeps, after a flush, exactly the frames marked repeatIfUnheard whose
// gateway nobody heard (all of them when the publish failed), ready to be flushed again.
import { MemoryDownlink } from '../../src/downlink.memory';
import type { Downlink } from '../../src/downlink';
import { asGatewayId, asUserId, decodeFrame, DownlinkBatch, GatewayId } from '@parley/protocol';
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

describe('DownlinkBatcher', () => {
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
