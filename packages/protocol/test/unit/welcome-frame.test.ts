// The welcome encoder writes the very bytes protobufjs writes for encodeFrame({ welcome }),
// whatever the ids' lengths (varint lengths of 1 and 2 bytes) and characters.
import { decodeFrame, encodeFrame, WelcomeEncoder } from '../../src';

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
