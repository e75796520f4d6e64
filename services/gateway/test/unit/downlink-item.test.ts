// The gateway's edge for downlink envelopes: what each item asks of this gateway.
import { decodeDownlinkBatch, encodeDownlinkBatch, encodeFrame } from '@parley/protocol';
import { readDownlinkBatch } from '../../src/downlink-item';

const read = (items: Parameters<typeof encodeDownlinkBatch>[0]['items']) => readDownlinkBatch(decodeDownlinkBatch(encodeDownlinkBatch({ items })));
const frame = encodeFrame({ pong: { nonce: 1 } });

describe('downlink items, read once at the gateway', () => {
  it('a frame for one user, all their connections', () => {
    expect(read([{ userId: 'alice', frame }])).toEqual([{ kind: 'frame', users: ['alice'], connection: '', except: '', frame }]);
  });

  it('a group fan-out item: every named user, never the sender connection that had msg:A', () => {
    expect(read([{ userId: 'alice', moreUserIds: ['bob', 'carol'], exceptConnectionId: 'c-alice', frame }])).toEqual([
      { kind: 'frame', users: ['alice', 'bob', 'carol'], connection: '', except: 'c-alice', frame },
    ]);
  });

  it('an answer for one connection', () => {
    expect(read([{ userId: 'alice', connectionId: 'c1', frame }])).toEqual([{ kind: 'frame', users: ['alice'], connection: 'c1', except: '', frame }]);
  });

  it('a control item closes the user connections (only the named one when set), with a reason even when none came', () => {
    expect(read([{ userId: 'alice', closeCode: 4008, closeReason: 'revoked' }, { userId: 'bob', connectionId: 'c2', closeCode: 4008 }])).toEqual([
      { kind: 'close', user: 'alice', connection: '', code: 4008, reason: 'revoked' },
      { kind: 'close', user: 'bob', connection: 'c2', code: 4008, reason: 'closed by the server' },
    ]);
  });

  it('asks nothing for an item naming no user, or no frame and no close', () => {
    expect(read([{ frame }, { userId: '', closeCode: 4008 }, { userId: 'alice' }])).toEqual([]);
  });
});
