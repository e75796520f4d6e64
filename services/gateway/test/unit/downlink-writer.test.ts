// The downlink writer hands each welcomed link of the named users its frames of a batch, in
// the batch's order and in one send: every connection of a user, or only the one an item
// names; never the sender's own connection; and it counts writes for users it holds no link for.
import { asConnectionId, asUserId, parley, type DownlinkBatch } from '@parley/protocol';
import { Registry } from '@parley/observability';
import type { ClientLink } from '../../src/client-link';
import { ConnectionState } from '../../src/connection';
import { ConnectionRegistry } from '../../src/connection-registry';
import { DownlinkWriter } from '../../src/downlink-writer';
import { gatewayMetrics } from '../../src/gateway-metrics';

interface TestLink extends ClientLink {
  readonly sends: string[][];
}

function link(user: string, connectionId: string, welcomed = true): TestLink {
  const state = new ConnectionState(asUserId(user), asConnectionId(connectionId));
  state.welcomed = welcomed;
  const sends: string[][] = [];
  return { transport: 'websocket', state, sends, send: (frames) => sends.push(frames.map((f) => Buffer.from(f).toString())), close: () => undefined, bufferedBytes: () => 0 };
}

const frame = (text: string): Uint8Array => Buffer.from(text);

function batch(items: Array<{ users: string[]; frame: string; connection?: string; except?: string }>): DownlinkBatch {
  const b = new parley.v1.DownlinkBatch();
  b.items = items.map((i) => {
    const item = new parley.v1.DownlinkItem();
    item.userId = i.users[0]!;
    item.moreUserIds = i.users.slice(1);
    item.frame = frame(i.frame);
    item.connectionId = i.connection ?? '';
    item.exceptConnectionId = i.except ?? '';
    return item;
  });
  return b;
}

function setup() {
  const registry = new Registry();
  const metrics = gatewayMetrics(registry);
  const connections = new ConnectionRegistry();
  const writer = new DownlinkWriter(connections, metrics, 1 << 20);
  const notConnected = async (): Promise<number> => (await metrics.droppedWrites.get()).values.find((v) => v.labels.reason === 'not_connected')?.value ?? 0;
  return { connections, writer, notConnected };
}

describe('DownlinkWriter', () => {
  it('writes a group fan-out to every link of every member, each link its frames in order in one send, not the sender\'s own link', async () => {
    const { connections, writer, notConnected } = setup();
    const [a1, b1, b2, c1] = [link('alice', 'a1'), link('bob', 'b1'), link('bob', 'b2'), link('carol', 'c1')];
    for (const l of [a1, b1, b2, c1]) connections.add(l);
    writer.write(
      batch([
        { users: ['alice', 'bob', 'carol'], frame: 'm1', except: 'a1' },
        { users: ['alice', 'bob', 'carol', 'dave'], frame: 'm2', except: 'a1' },
      ]),
    );
    expect(a1.sends).toEqual([]);
    expect(b1.sends).toEqual([['m1', 'm2']]);
    expect(b2.sends).toEqual([['m1', 'm2']]);
    expect(c1.sends).toEqual([['m1', 'm2']]);
    // dave holds no link here.
    expect(await notConnected()).toBe(1);
  });

  it('writes an item naming one connection to that one only, and counts it when the user holds no such connection', async () => {
    const { connections, writer, notConnected } = setup();
    const [b1, b2, c1] = [link('bob', 'b1'), link('bob', 'b2'), link('carol', 'c1')];
    for (const l of [b1, b2, c1]) connections.add(l);
    writer.write(
      batch([
        { users: ['bob'], frame: 'to-b2', connection: 'b2' },
        { users: ['carol'], frame: 'to-c1', connection: 'c1' },
        { users: ['carol'], frame: 'to-gone', connection: 'c9' },
        { users: ['bob'], frame: 'to-gone', connection: 'b9' },
      ]),
    );
    expect(b1.sends).toEqual([]);
    expect(b2.sends).toEqual([['to-b2']]);
    expect(c1.sends).toEqual([['to-c1']]);
    expect(await notConnected()).toBe(2);
  });

  it('writes nothing to a link before its welcome', () => {
    const { connections, writer } = setup();
    const early = link('erin', 'e1', false);
    connections.add(early);
    writer.write(batch([{ users: ['erin'], frame: 'm1' }]));
    expect(early.sends).toEqual([]);
  });
});
