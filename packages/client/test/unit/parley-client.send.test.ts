import { parley } from '@parley/protocol';
import { ClientClosedError, SendRefusedError } from '../../src/errors';
import { settle } from '../support/fake-server';
import { connected, harness, track } from '../support/client-harness';

const { ACK_STATUS_DELIVERED, ACK_STATUS_STORED_OFFLINE } = parley.v1.AckStatus;
const bytes = (text: string) => new TextEncoder().encode(text);

describe('ParleyClient sending', () => {
  it('retransmits msg:R with the same msgId until msg:A arrives, then stops', async () => {
    const h = harness();
    h.server.answerMsgRFromCopy = 3;
    h.server.ackStatus = ACK_STATUS_DELIVERED;
    await connected(h);
    const sent = track(h.client.send('bob', bytes('hi')));
    await settle();
    expect(h.server.framesOf('msgR')).toHaveLength(1);
    await h.advance(3_000);
    expect(h.server.framesOf('msgR')).toHaveLength(2);
    expect(sent.settled).toBe(false);
    await h.advance(6_000);
    expect(sent.value).toEqual({ msgId: 'm1', conversation: 'd:alice:bob', epoch: 'e1', seq: 1 });
    const copies = h.server.framesOf('msgR');
    expect(copies.map((r) => r.msgId)).toEqual(['m1', 'm1', 'm1']);
    expect(copies.every((r) => r.toUser === 'bob' && new TextDecoder().decode(r.payload) === 'hi')).toBe(true);
    expect(h.client.stats.retransmits).toBe(2);
    await h.advance(120_000);
    expect(h.server.framesOf('msgR')).toHaveLength(3);
    expect(h.client.stats.pendingSends).toBe(0);
  });

  it('survives a lost msg:A: the retransmit gets the same seq and the promise resolves once', async () => {
    let dropped = 0;
    const h = harness({
      filter: {
        incoming: (frame) => {
          if (frame.packet === 'msgA' && dropped === 0) {
            dropped += 1;
            return false;
          }
          return true;
        },
      },
    });
    await connected(h);
    const sent = track(h.client.send('bob', bytes('hi')));
    await settle();
    expect(dropped).toBe(1);
    expect(sent.settled).toBe(false);
    await h.advance(3_000);
    expect(sent.count).toBe(1);
    expect(sent.value?.seq).toBe(1);
    expect(h.server.seqOf('m1')).toBe(1);
    const next = track(h.client.send('bob', bytes('second')));
    await settle();
    expect(next.value?.seq).toBe(2);
    expect(sent.count).toBe(1);
  });

  it('re-sends every pending msg:R after a reconnect, in the original order', async () => {
    const h = harness();
    h.server.answerMsgRFromCopy = Number.POSITIVE_INFINITY; // the gateway is stuck
    await connected(h);
    const a = track(h.client.send('bob', bytes('a')));
    const b = track(h.client.send('bob', bytes('b')));
    await settle();
    h.server.current.drop(1001, 'going away');
    await settle();
    expect(h.client.state).toBe('disconnected');
    const c = track(h.client.send('bob', bytes('c')));
    h.server.answerMsgRFromCopy = 1;
    await h.advance(1_000); // backoff
    expect(h.server.connections).toHaveLength(2);
    expect(h.server.connections[1]!.frames('msgR').map((r) => r.msgId)).toEqual(['m1', 'm2', 'm3']);
    expect([a.value?.seq, b.value?.seq, c.value?.seq]).toEqual([1, 2, 3]);
  });

  it('re-sends msg:R when no ack:N comes within ackTimeoutMs, and reports each ack:N status once', async () => {
    const h = harness({ ackTimeoutMs: 30_000 });
    await connected(h);
    const sent = track(h.client.send('bob', bytes('hi')));
    await settle();
    expect(sent.value?.seq).toBe(1);
    await h.advance(29_999);
    expect(h.server.framesOf('msgR')).toHaveLength(1);
    h.server.ackStatus = ACK_STATUS_STORED_OFFLINE;
    await h.advance(1);
    const copies = h.server.framesOf('msgR');
    expect(copies.map((r) => r.msgId)).toEqual(['m1', 'm1']);
    expect(h.acks).toEqual([expect.objectContaining({ msgId: 'm1', status: 'STORED_OFFLINE', toUser: 'bob' })]);
    expect(h.client.stats.pendingSends).toBe(0);
    expect(sent.count).toBe(1);
    // The receiver comes online later: DELIVERED follows, once however often it is repeated.
    const delivered = { conversation: 'd:alice:bob', position: { epoch: 'e1', seq: 1 }, msgId: 'm1', toUser: 'bob', status: ACK_STATUS_DELIVERED };
    h.server.current.push({ ackN: delivered });
    h.server.current.push({ ackN: delivered });
    await settle();
    expect(h.acks.map((a) => a.status)).toEqual(['STORED_OFFLINE', 'DELIVERED']);
    await h.advance(120_000);
    expect(h.server.framesOf('msgR')).toHaveLength(2);
  });

  it('resolves the send from an ack:N that overtook a lost msg:A', async () => {
    const h = harness({ filter: { incoming: (frame) => frame.packet !== 'msgA' } });
    h.server.ackStatus = ACK_STATUS_DELIVERED;
    await connected(h);
    const sent = track(h.client.send('bob', bytes('hi')));
    await settle();
    expect(sent.value).toEqual({ msgId: 'm1', conversation: 'd:alice:bob', epoch: 'e1', seq: 1 });
    expect(h.client.stats.pendingSends).toBe(0);
  });

  it('fails a send refused with a non-retryable error and never sends it again', async () => {
    const h = harness();
    h.server.onFrame = (connection, frame) => {
      if (frame.packet !== 'msgR') return false;
      connection.push({ error: { code: 3003, message: 'no messages to yourself', retryable: false, msgId: frame.msgR!.msgId } });
      return true;
    };
    await connected(h);
    const sent = track(h.client.send('alice', bytes('me')));
    await settle();
    expect(sent.error).toBeInstanceOf(SendRefusedError);
    expect(sent.error).toMatchObject({ code: 'CLIENT_SEND_REFUSED', serverCode: 3003, msgId: 'm1' });
    expect(h.errors).toEqual([expect.objectContaining({ code: 3003, codeName: 'SELF_CONVERSATION', retryable: false, msgId: 'm1' })]);
    expect(h.client.stats.pendingSends).toBe(0);
    await h.advance(120_000);
    expect(h.server.framesOf('msgR')).toHaveLength(1);
  });

  it('retries a send refused with a retryable error, later', async () => {
    const h = harness();
    let refusals = 0;
    h.server.onFrame = (connection, frame) => {
      if (frame.packet !== 'msgR' || refusals > 0) return false;
      refusals += 1;
      connection.push({ error: { code: 4001, message: 'slow down', retryable: true, msgId: frame.msgR!.msgId } });
      return true;
    };
    await connected(h);
    const sent = track(h.client.send('bob', bytes('hi')));
    await settle();
    expect(sent.settled).toBe(false);
    await h.advance(3_000);
    expect(h.server.framesOf('msgR')).toHaveLength(1); // the refusal pushed the next try further out
    await h.advance(3_000);
    expect(h.server.framesOf('msgR')).toHaveLength(2);
    expect(sent.value?.seq).toBe(1);
  });

  it('queues sends made before connecting and sends them after the welcome', async () => {
    const h = harness();
    const sent = track(h.client.send('bob', bytes('early')));
    await connected(h);
    expect(sent.value?.seq).toBe(1);
    expect(h.client.stats.retransmits).toBe(0);
  });

  it('rejects malformed arguments without sending', async () => {
    const h = harness();
    await connected(h);
    await expect(h.client.send('not a user!', bytes('x'))).rejects.toMatchObject({ code: 'CLIENT_INVALID_ARGUMENT' });
    await expect(h.client.send('bob', bytes('x'), { msgId: 'bad id' })).rejects.toMatchObject({ code: 'CLIENT_INVALID_ARGUMENT' });
    h.server.answerMsgRFromCopy = Number.POSITIVE_INFINITY;
    void h.client.send('bob', bytes('x'), { msgId: 'mine' }).catch(() => undefined);
    await expect(h.client.send('bob', bytes('y'), { msgId: 'mine' })).rejects.toMatchObject({ code: 'CLIENT_INVALID_ARGUMENT' });
    await h.client.close();
  });

  it('close() rejects sends still awaiting msg:A, leaves no timer behind and refuses new sends', async () => {
    const h = harness();
    h.server.answerMsgRFromCopy = Number.POSITIVE_INFINITY;
    await connected(h);
    const sent = track(h.client.send('bob', bytes('hi')));
    await settle();
    await h.client.close();
    await settle();
    expect(sent.error).toBeInstanceOf(ClientClosedError);
    expect(h.client.state).toBe('disconnected');
    expect(h.server.current.closedBy).toEqual({ code: 1000, reason: 'client closed' });
    expect(h.clock.pendingTimers()).toBe(0);
    await expect(h.client.send('bob', bytes('late'))).rejects.toBeInstanceOf(ClientClosedError);
    await expect(h.client.connect()).rejects.toBeInstanceOf(ClientClosedError);
  });
});
