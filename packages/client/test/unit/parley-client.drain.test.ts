// A gateway that drains (close 4007 DRAINING, a rolling update): the client reconnects at once
// (a jitter below DRAINED_RECONNECT_JITTER_MS, no backoff, whatever failed before), to the next
// gateway it knows, and re-sends what is unacknowledged as after any reconnect.
import { CloseCode } from '@parley/protocol';
import { DRAINED_RECONNECT_JITTER_MS } from '../../src/connection';
import { InvalidOptionError } from '../../src/errors';
import { settle } from '../support/fake-server';
import { connected, harness } from '../support/client-harness';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('ParleyClient and a draining gateway (4007)', () => {
  it('reconnects within the jitter, where any other close waits its backoff', async () => {
    // random() near 1: the backoff would wait its full ceiling; the drain jitter its full 300 ms.
    const h = harness({ backoff: { minDelayMs: 2_000, maxDelayMs: 30_000, random: () => 0.999_999 } });
    await connected(h);
    h.server.current.drop(CloseCode.DRAINING, 'gateway draining');
    await settle();
    expect(h.client.state).toBe('disconnected');
    await h.advance(DRAINED_RECONNECT_JITTER_MS - 1);
    expect(h.server.connections).toHaveLength(2);
    expect(h.client.state).toBe('connected');
  });

  it('moves to the next gateway URL it knows, in turn', async () => {
    const h = harness({ alternateUrls: ['ws://gateway-b.test/ws', 'ws://gateway-c.test/ws'] });
    await connected(h);
    for (let i = 0; i < 3; i++) {
      h.server.current.drop(CloseCode.DRAINING, 'gateway draining');
      await h.advance(DRAINED_RECONNECT_JITTER_MS);
    }
    expect(h.server.connections.map((c) => new URL(c.url).host)).toEqual(['gateway.test', 'gateway-b.test', 'gateway-c.test', 'gateway.test']);
  });

  it('stays on its one URL when it knows no other (a load balancer picks another gateway)', async () => {
    const h = harness();
    await connected(h);
    h.server.current.drop(CloseCode.DRAINING, 'gateway draining');
    await h.advance(DRAINED_RECONNECT_JITTER_MS);
    expect(h.server.connections.map((c) => new URL(c.url).host)).toEqual(['gateway.test', 'gateway.test']);
  });

  it('re-sends every unacknowledged msg:R on the new link, in order', async () => {
    const h = harness({ alternateUrls: ['ws://gateway-b.test/ws'] });
    h.server.answerMsgRFromCopy = Number.POSITIVE_INFINITY; // the draining gateway answers nothing
    await connected(h);
    const sends = [h.client.send('bob', bytes('a')), h.client.send('bob', bytes('b'))];
    await settle();
    h.server.answerMsgRFromCopy = 1;
    h.server.current.drop(CloseCode.DRAINING, 'gateway draining');
    await h.advance(DRAINED_RECONNECT_JITTER_MS);
    expect(new URL(h.server.connections[1]!.url).host).toBe('gateway-b.test');
    expect(h.server.connections[1]!.frames('msgR').map((r) => r.msgId)).toEqual(['m1', 'm2']);
    expect((await Promise.all(sends)).map((s) => s.seq)).toEqual([1, 2]);
  });

  it('refuses an alternate URL that is not ws:// or wss://', () => {
    expect(() => harness({ alternateUrls: ['http://gateway-b.test/ws'] })).toThrow(InvalidOptionError);
  });
});
