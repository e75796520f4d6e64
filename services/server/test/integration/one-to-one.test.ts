// Done-means 1-4 of the reliable 1:1 path, on the real Kafka broker and Redis server:
// exactly once and in the sender's order, through a cut receiver socket, a lost msg:A,
// and an offline receiver pulling its inbox.
import { waitFor } from '@parley/testkit';
import { asUserId } from '@parley/protocol';
import { CuttableLinks, expectExactlyOnceInOrder, payload, RawConnection, useServer, wsUrl } from './harness';

const numbered = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);

describe('the reliable 1:1 path on real Kafka and Redis', () => {
  const env = useServer('one2one', { PARLEY_RATE_LIMIT_FRAMES_PER_SEC: '20000', PARLEY_ACK_TIMEOUT_MS: '1000' });
  const client = (user: string, options = {}) => env.client(user, options);

  it('1. delivers 1,000 messages exactly once, in the sender order, with msg:A and ack:N for each', async () => {
    const alice = await client('alice1');
    const bob = await client('bob1');
    const texts = numbered('m', 1000);
    const receipts = await Promise.all(texts.map((t) => alice.client.send('bob1', payload(t))));
    await waitFor(() => bob.messages.length >= 1000, { timeoutMs: 60_000, what: 'bob to receive 1000 messages' });
    expectExactlyOnceInOrder(bob.texts(), texts);
    // msg:A for each, with contiguous positions in one epoch, matching what bob saw
    const seqs = receipts.map((r) => r.seq);
    expect(seqs).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(new Set(receipts.map((r) => r.epoch)).size).toBe(1);
    expect(bob.messages.map((m) => m.position.seq)).toEqual(seqs);
    // ack:N for each, DELIVERED
    await waitFor(() => alice.acks.length >= 1000, { timeoutMs: 60_000, what: 'alice to get 1000 ack:N' });
    expect(new Set(alice.acks.map((a) => a.msgId)).size).toBe(1000);
    expect(alice.acks.every((a) => a.status === 'DELIVERED')).toBe(true);
  });

  it('2. loses and duplicates nothing when the receiver socket is cut mid-stream', async () => {
    const links = new CuttableLinks();
    const alice = await client('alice2');
    const bob = await client('bob2', { transportFactory: links.factory });
    const texts = numbered('c', 600);
    const firstHalf = texts.slice(0, 300).map((t) => alice.client.send('bob2', payload(t)));
    await waitFor(() => bob.messages.length >= 100, { timeoutMs: 30_000, what: 'bob to be mid-stream' });
    links.cut();
    const secondHalf = texts.slice(300).map((t) => alice.client.send('bob2', payload(t)));
    await Promise.all([...firstHalf, ...secondHalf]);
    await waitFor(() => bob.messages.length >= 600, { timeoutMs: 60_000, what: 'bob to receive all 600 after the cut' });
    expectExactlyOnceInOrder(bob.texts(), texts);
    expect(bob.client.stats.reconnects).toBeGreaterThanOrEqual(1);
  });

  it('3. a lost msg:A makes the sender retransmit; the same seq comes back and bob sees it once', async () => {
    // The first msg:A and the first ack:N are lost on the way: only a retransmit can settle the send.
    const dropped = { msgA: 0, ackN: 0 };
    const alice = await client('alice3', {
      retransmitTimeoutMs: 300,
      filter: {
        incoming: (frame: { packet: string }) => {
          if ((frame.packet === 'msgA' || frame.packet === 'ackN') && dropped[frame.packet] < 1) {
            dropped[frame.packet] += 1;
            return false;
          }
          return true;
        },
      },
    });
    const bob = await client('bob3');
    const receipt = await alice.client.send('bob3', payload('only once'));
    // The retransmit's msg:A can overtake the first ack:N on a busy machine: wait for both drops.
    await waitFor(() => dropped.ackN === 1, { timeoutMs: 20_000, what: 'the first ack:N to reach the filter' });
    expect(dropped).toEqual({ msgA: 1, ackN: 1 });
    // The first ack:N can come back within the retransmit timeout (300 ms) on a quiet machine:
    // the retransmit is due then, not necessarily done.
    await waitFor(() => alice.client.stats.retransmits >= 1, { timeoutMs: 20_000, what: 'alice to retransmit the send whose msg:A was lost' });
    await waitFor(() => alice.acks.length >= 1, { timeoutMs: 20_000, what: 'alice to get ack:N after retransmitting' });
    expect(alice.acks[0]).toMatchObject({ msgId: receipt.msgId, status: 'DELIVERED' });
    const second = await alice.client.send('bob3', payload('next'));
    await waitFor(() => bob.messages.length >= 2, { timeoutMs: 20_000, what: 'bob to receive the next one' });
    expect(bob.texts()).toEqual(['only once', 'next']);
    expect(bob.messages[0]!.position.seq).toBe(receipt.seq);
    expect(second.seq).toBe(receipt.seq + 1); // the retransmit did not take a seq of its own
  });

  it('4. an offline receiver: ack:N STORED_OFFLINE for each, then one pull delivers all, trimmed after', async () => {
    const alice = await client('alice4');
    const texts = numbered('o', 250);
    await Promise.all(texts.map((t) => alice.client.send('bob4', payload(t))));
    await waitFor(() => alice.acks.length >= 250, { timeoutMs: 30_000, what: 'alice to get 250 ack:N' });
    expect(alice.acks.every((a) => a.status === 'STORED_OFFLINE')).toBe(true);
    expect(await env.server.infrastructure.inbox.size(asUserId('bob4'))).toBe(250);

    const bob = await client('bob4', { offlinePageSize: 100 });
    await waitFor(() => bob.messages.length >= 250, { timeoutMs: 30_000, what: 'bob to pull 250 messages' });
    expectExactlyOnceInOrder(bob.texts(), texts);
    await waitFor(async () => (await env.server.infrastructure.inbox.size(asUserId('bob4'))) === 0, {
      timeoutMs: 10_000,
      what: 'the inbox to be trimmed by offlineack:R',
    });
    const raw = await RawConnection.open(wsUrl(env.server.port, 'bob4'));
    raw.send({ offlineR: { limit: 100 } });
    const page = await raw.next('offlineA');
    expect(page.offlineA?.messages ?? []).toHaveLength(0);
    expect(page.offlineA?.hasMore).toBe(false);
    raw.close();
  });
});
