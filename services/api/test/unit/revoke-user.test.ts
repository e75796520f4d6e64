// Revoking a user: the time is stored (forward only) before the gateways holding the user
// are told to close its connections with 4008, one control item per gateway.
import { asConnectionId, asGatewayId, asUserId, CloseCode, DownlinkBatch, ErrorCode } from '@parley/protocol';
import { FakeClock, MemoryDownlink, MemoryPresence, MemoryTokenRevocations } from '@parley/ports';
import { revokeUser } from '../../src/revoke-user';

async function setUp() {
  const clock = new FakeClock(1_800_000_000_500);
  const presence = new MemoryPresence(clock);
  const downlink = new MemoryDownlink();
  const revocations = new MemoryTokenRevocations();
  const received = new Map<string, DownlinkBatch[]>();
  for (const gateway of ['gw-a', 'gw-b', 'gw-c']) {
    received.set(gateway, []);
    await downlink.subscribe(asGatewayId(gateway), (batch) => received.get(gateway)!.push(batch));
  }
  const entry = (user: string, gateway: string, connection: string) => ({ user: asUserId(user), gatewayId: asGatewayId(gateway), connectionId: asConnectionId(connection) });
  await presence.register([entry('mal', 'gw-a', 'c1'), entry('mal', 'gw-a', 'c2'), entry('mal', 'gw-b', 'c3'), entry('eve', 'gw-c', 'c4')], 60_000);
  return { context: { clock, presence, downlink, revocations }, received, revocations };
}

describe('revokeUser', () => {
  it('stores now (whole seconds) and sends one 4008 close item to each gateway holding the user, none to others', async () => {
    const { context, received, revocations } = await setUp();
    expect(await revokeUser(context, asUserId('mal'), {})).toEqual({ user: 'mal', revokedBefore: 1_800_000_000, gateways: 2 });
    expect(await revocations.revokedBefore(asUserId('mal'))).toBe(1_800_000_000);
    for (const gateway of ['gw-a', 'gw-b']) {
      expect(received.get(gateway)!.flatMap((b) => b.items).map((i) => ({ user: i.userId, connection: i.connectionId, code: i.closeCode }))).toEqual([{ user: 'mal', connection: '', code: CloseCode.REVOKED }]);
    }
    expect(received.get('gw-c')).toEqual([]);
  });

  it('keeps the latest time when an earlier one comes later, and answers the stored one', async () => {
    const { context } = await setUp();
    await revokeUser(context, asUserId('mal'), { before: 1_800_000_100 });
    expect((await revokeUser(context, asUserId('mal'), { before: 1_799_999_000 })).revokedBefore).toBe(1_800_000_100);
  });

  it('stores the revocation of a user who is offline (nothing to close)', async () => {
    const { context, revocations } = await setUp();
    expect(await revokeUser(context, asUserId('nobody'), {})).toMatchObject({ gateways: 0 });
    expect(await revocations.revokedBefore(asUserId('nobody'))).toBe(1_800_000_000);
  });

  it.each([['soon'], [-1], [1.5], [1_800_000_000 + 86_401]])('refuses before=%p with INVALID_FIELD', async (before) => {
    const { context, revocations } = await setUp();
    await expect(revokeUser(context, asUserId('mal'), { before })).rejects.toMatchObject({ code: ErrorCode.INVALID_FIELD, status: 400 });
    expect(await revocations.revokedBefore(asUserId('mal'))).toBe(0);
  });
});
