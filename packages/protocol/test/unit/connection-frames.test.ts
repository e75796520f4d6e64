// The hand-written welcome and pong encoders write the very bytes protobufjs writes for
// encodeFrame: whatever the ids' lengths (varint lengths of 1 and 2 bytes) and characters,
// whatever the 64-bit numbers.
import { decodeFrame, encodeFrame, encodePongFrame, WelcomeEncoder } from '../../src';

const constants = { heartbeatIntervalMs: 25_000, maxFrameBytes: 65_536, maxPayloadBytes: 16_384, maxOfflinePage: 200, serverVersion: '0.1.0' };

describe('the welcome frame encoder', () => {
  const encoder = new WelcomeEncoder(constants);

  it.each([
    ['alice', 'AbCdEfGhIjKl', 'AbCdEfGhIjKl'],
    ['bob', 'c1', 'phone-1'],
    ['u'.repeat(64), 'x'.repeat(12), 'd'.repeat(64)],
    ['ü-user-日本', 'conn', 'dévice'],
    ['l'.repeat(200), 'c'.repeat(130), 'd'.repeat(300)],
    ['', '', ''],
  ])('encodes user %p, connection %p, device %p as protobufjs does', (userId, connectionId, deviceId) => {
    const bytes = encoder.encode({ userId, connectionId, deviceId });
    expect(Buffer.from(bytes).equals(Buffer.from(encodeFrame({ welcome: { userId, connectionId, deviceId, ...constants } })))).toBe(true);
    const frame = decodeFrame(bytes);
    expect(frame.packet).toBe('welcome');
    expect(frame.welcome).toMatchObject({ userId, connectionId, deviceId, ...constants });
  });

  it('encodes the limits of its own gateway', () => {
    const other = new WelcomeEncoder({ ...constants, heartbeatIntervalMs: 3_000, maxOfflinePage: 1 });
    expect(decodeFrame(other.encode({ userId: 'a', connectionId: 'b', deviceId: 'c' })).welcome).toMatchObject({ heartbeatIntervalMs: 3_000, maxOfflinePage: 1 });
  });
});

describe('the pong frame encoder', () => {
  it.each([0, 1, 127, 128, 300, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 1_765_000_000_123, 2 ** 53 - 1, 2 ** 63, 2 ** 64 - 2 ** 11, -1, 0.5])('encodes %p as protobufjs does', (value) => {
    for (const [nonce, serverTimeMs] of [
      [value, 1_765_000_000_123],
      [7, value],
    ] as const) {
      expect(Buffer.from(encodePongFrame(nonce, serverTimeMs)).equals(Buffer.from(encodeFrame({ pong: { nonce, serverTimeMs } })))).toBe(true);
    }
  });

  it('reads back as the pong it is', () => {
    const frame = decodeFrame(encodePongFrame(42, 1_765_000_000_123));
    expect(frame.packet).toBe('pong');
    expect(Number(frame.pong!.nonce)).toBe(42);
    expect(Number(frame.pong!.serverTimeMs)).toBe(1_765_000_000_123);
  });
});
