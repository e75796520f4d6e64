/// <reference types="jest" />
// The StoreGeneration contract, run over every adapter: what the store watch relies on to
// tell a store that kept its data from one that lost it.
import type { StoreGeneration } from '@parley/ports';

export interface StoreGenerationFixture {
  /** Two handles on the same store, as two processes would hold. */
  readonly first: StoreGeneration;
  readonly second: StoreGeneration;
  /** Makes the store lose its data (the marker included), as a restart without persistence. */
  lose(): Promise<void>;
  /** Drops the connection to the store and lets it reconnect (`first`'s listeners must run). */
  reconnect(): Promise<void>;
  close(): Promise<void>;
}

export function describeStoreGenerationContract(name: string, make: () => Promise<StoreGenerationFixture>): void {
  describe(`StoreGeneration contract: ${name}`, () => {
    let fixture: StoreGenerationFixture;

    beforeEach(async () => {
      fixture = await make();
    });
    afterEach(async () => {
      await fixture.close();
    });

    it('returns the same id for as long as the store keeps its data, to every reader', async () => {
      const [a, b] = await Promise.all([fixture.first.read(), fixture.second.read()]);
      expect(a).toMatch(/^[0-9a-f]{32}$/);
      expect(b).toBe(a);
      expect(await fixture.first.read()).toBe(a);
      expect(await fixture.second.read()).toBe(a);
    });

    it('returns a new id, the same for every reader, once the store lost its data', async () => {
      const before = await fixture.first.read();
      await fixture.lose();
      const after = await fixture.second.read();
      expect(after).not.toBe(before);
      expect(await fixture.first.read()).toBe(after);
    });

    it('tells its listeners when the connection comes back, until they are removed', async () => {
      const seen: string[] = [];
      const remove = fixture.first.onReconnect(() => seen.push('reconnected'));
      await fixture.reconnect();
      expect(seen).toEqual(['reconnected']);
      remove();
      await fixture.reconnect();
      expect(seen).toEqual(['reconnected']);
    });
  });
}
