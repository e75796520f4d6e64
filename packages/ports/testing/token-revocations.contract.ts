/// <reference types="jest" />
// The TokenRevocations contract, run over every adapter: what the gateways' token check and
// the server API's revoke rely on.
import { asUserId } from '@parley/protocol';
import { isRevoked, type TokenRevocations } from '@parley/ports';

export interface TokenRevocationsFixture {
  /** Two handles on the same store, as a server API process and a gateway would hold. */
  readonly writer: TokenRevocations;
  readonly reader: TokenRevocations;
  close(): Promise<void>;
}

export function describeTokenRevocationsContract(name: string, make: () => Promise<TokenRevocationsFixture>): void {
  describe(`TokenRevocations contract: ${name}`, () => {
    let fixture: TokenRevocationsFixture;
    let n = 0;
    const user = () => asUserId(`revoked-${name}-${Date.now()}-${(n += 1)}`);

    beforeEach(async () => {
      fixture = await make();
    });
    afterEach(async () => {
      await fixture.close();
    });

    it('answers 0 for a user never revoked', async () => {
      expect(await fixture.reader.revokedBefore(user())).toBe(0);
    });

    it('hands a revocation to every reader, per user', async () => {
      const [a, b] = [user(), user()];
      await fixture.writer.revoke(a, 1_800_000_000);
      expect(await fixture.reader.revokedBefore(a)).toBe(1_800_000_000);
      expect(await fixture.reader.revokedBefore(b)).toBe(0);
    });

    it('reads several users at once, in their order, 0 for those never revoked', async () => {
      const [a, b, c] = [user(), user(), user()];
      await fixture.writer.revoke(a, 1_800_000_000);
      await fixture.writer.revoke(c, 1_800_000_300);
      expect(await fixture.reader.revokedBeforeEach([a, b, c, a])).toEqual([1_800_000_000, 0, 1_800_000_300, 1_800_000_000]);
      expect(await fixture.reader.revokedBeforeEach([])).toEqual([]);
    });

    it('only moves forward, and a repeat changes nothing', async () => {
      const a = user();
      await fixture.writer.revoke(a, 1_800_000_100);
      await fixture.writer.revoke(a, 1_800_000_000);
      expect(await fixture.reader.revokedBefore(a)).toBe(1_800_000_100);
      await fixture.writer.revoke(a, 1_800_000_100);
      await fixture.writer.revoke(a, 1_800_000_200);
      expect(await fixture.reader.revokedBefore(a)).toBe(1_800_000_200);
    });
  });

  describe('isRevoked', () => {
    it('refuses tokens issued before the time, keeps those issued at or after it, and keeps all when none is stored', () => {
      expect(isRevoked(99, 100)).toBe(true);
      expect(isRevoked(0, 100)).toBe(true);
      expect(isRevoked(100, 100)).toBe(false);
      expect(isRevoked(101, 100)).toBe(false);
      expect(isRevoked(0, 0)).toBe(false);
    });
  });
}
