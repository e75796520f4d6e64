/// <reference types="jest" />
// The Downlink contract, run over every adapter: each gateway gets the batches published
// for it, and only those, and nothing once it unsubscribed.
import { asGatewayId, parley, type DownlinkBatch } from '@parley/protocol';
import type { Downlink, DownlinkHandler } from '@parley/ports';

export interface DownlinkFixture {
  readonly downlink: Downlink;
  close(): Promise<void>;
}

/** How long a batch may take to arrive before a test fails. */
const DELIVERY_TIMEOUT_MS = 5_000;

/** `make` is called once per test and must return a downlink with no subscriber. */
export function describeDownlinkContract(name: string, make: () => Promise<DownlinkFixture>): void {
  describe(`Downlink contract: ${name}`, () => {
    let fixture: DownlinkFixture;
    const gw1 = asGatewayId('gw-1');
    const gw2 = asGatewayId('gw-2');
    const gw3 = asGatewayId('gw-3');

    beforeEach(async () => {
      fixture = await make();
    });
    afterEach(async () => {
      await fixture.close();
    });

    it("delivers each published batch to that gateway's subscriber only", async () => {
      const [at1, at2, at3] = [new ReceivedBatches(), new ReceivedBatches(), new ReceivedBatches()];
      await fixture.downlink.subscribe(gw1, at1.handler);
      await fixture.downlink.subscribe(gw2, at2.handler);
      await fixture.downlink.subscribe(gw3, at3.handler);

      await fixture.downlink.publish(
        new Map([
          [gw1, batch('for-gw1-a', 'for-gw1-b')],
          [gw2, batch('for-gw2')],
        ]),
      );
      // A last batch to every gateway: once each saw it, anything misrouted would have arrived.
      await fixture.downlink.publish(new Map([gw1, gw2, gw3].map((gw) => [gw, batch(`end-${gw}`)] as const)));
      await Promise.all([at1.waitFor(2), at2.waitFor(2), at3.waitFor(1)]);

      expect(at1.labels()).toEqual([['for-gw1-a', 'for-gw1-b'], ['end-gw-1']]);
      expect(at2.labels()).toEqual([['for-gw2'], ['end-gw-2']]);
      expect(at3.labels()).toEqual([['end-gw-3']]);
      const [first] = at1.batches[0]!.items;
      expect(first!.connectionId).toBe('conn-for-gw1-a');
      expect(new TextDecoder().decode(first!.frame ?? undefined)).toBe('frame for-gw1-a');
    });

    it("never runs a gateway's handler on the publisher's stack", async () => {
      const at1 = new ReceivedBatches();
      await fixture.downlink.subscribe(gw1, at1.handler);

      const published = fixture.downlink.publish(new Map([[gw1, batch('x')]]));
      expect(at1.batches).toHaveLength(0);

      await published;
      await at1.waitFor(1);
    });

    it('drops batches for gateways nobody subscribed to, and names those gateways', async () => {
      const at2 = new ReceivedBatches();
      await fixture.downlink.subscribe(gw2, at2.handler);

      expect(await fixture.downlink.publish(new Map([[gw1, batch('lost')], [gw3, batch('lost too')]]))).toEqual([gw1, gw3]);
      expect(await fixture.downlink.publish(new Map([[gw2, batch('kept')]]))).toEqual([]);
      await at2.waitFor(1);

      expect(at2.labels()).toEqual([['kept']]);
    });

    it('delivers nothing to a subscription after it was closed', async () => {
      const [at1, at2] = [new ReceivedBatches(), new ReceivedBatches()];
      const closing = await fixture.downlink.subscribe(gw1, at1.handler);
      await fixture.downlink.subscribe(gw2, at2.handler);
      await fixture.downlink.publish(new Map([[gw1, batch('before-close')]]));
      await at1.waitFor(1);

      await closing.close();
      await fixture.downlink.publish(
        new Map([
          [gw1, batch('after-close')],
          [gw2, batch('witness')],
        ]),
      );
      await fixture.downlink.publish(new Map([[gw2, batch('witness-2')]]));
      await at2.waitFor(2);

      expect(at1.labels()).toEqual([['before-close']]);
    });
  });
}

/** Records what a handler received; `waitFor` resolves on arrival, with no polling. */
class ReceivedBatches {
  readonly batches: DownlinkBatch[] = [];
  private readonly waiters: Array<{ count: number; resolve: () => void }> = [];

  readonly handler: DownlinkHandler = (received) => {
    this.batches.push(received);
    for (const waiter of this.waiters.filter((w) => this.batches.length >= w.count)) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };

  labels(): string[][] {
    return this.batches.map((b) => b.items.map((item) => item.userId ?? ''));
  }

  waitFor(count: number): Promise<void> {
    if (this.batches.length >= count) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`expected ${count} batches within ${DELIVERY_TIMEOUT_MS}ms, got ${this.batches.length}`));
      }, DELIVERY_TIMEOUT_MS);
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }
}

/** A batch with one item per label (the label doubles as the item's user id). */
function batch(...labels: string[]): DownlinkBatch {
  return parley.v1.DownlinkBatch.create({
    items: labels.map((label) => ({
      userId: label,
      connectionId: `conn-${label}`,
      frame: new TextEncoder().encode(`frame ${label}`),
    })),
  });
}

