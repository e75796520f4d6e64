// The HTTP fallback end to end, on the real Kafka broker and Redis server: a client moved
// WebSocket → long-polling → WebSocket mid-conversation (both ways) loses and duplicates
// nothing, and a long-poll-only client chats with a WebSocket client.
import { waitFor } from '@parley/testkit';
import {
  longPollTransportFactory,
  nodeWsTransportFactory,
  selectingTransportFactory,
  type Transport,
  type TransportFactory,
  type TransportKind,
} from '@parley/client';
import { expectExactlyOnceInOrder, payload, unreachable, useServer } from './harness';

const numbered = (prefix: string, from: number, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${String(from + i).padStart(4, '0')}`);

/** WebSocket links a test can block, as a proxy that drops Upgrade would: new ones die before their welcome. */
class BlockableWebSocket {
  private blocked = false;
  private current: Transport | undefined;
  private readonly inner = nodeWsTransportFactory();
  readonly factory: TransportFactory = () => {
    if (this.blocked) return unreachable('upgrade refused (test)');
    this.current = this.inner();
    return this.current;
  };

  /** Cuts the live WebSocket and refuses new ones until unblock(). */
  block(): void {
    this.blocked = true;
    this.current?.close(4000, 'cut by test');
  }

  unblock(): void {
    this.blocked = false;
  }
}

describe('the HTTP fallback on real Kafka and Redis', () => {
  const env = useServer('transports', { PARLEY_RATE_LIMIT_FRAMES_PER_SEC: '20000', PARLEY_ACK_TIMEOUT_MS: '1000' });
  const client = (user: string, options = {}) => env.client(user, options);

  it('moves WebSocket → long-poll → WebSocket mid-conversation, losing and duplicating nothing either way', async () => {
    const websocket = new BlockableWebSocket();
    const alice = await client('alice-tr');
    const bob = await client('bob-tr', {
      transportFactory: selectingTransportFactory({ websocket: websocket.factory, websocketRetryMs: 3_000, longPoll: { holdMs: 5_000 } }),
    });
    const kinds: TransportKind[] = [];
    bob.client.on('transport', (kind) => kinds.push(kind));
    expect(bob.client.transport).toBe('websocket');
    const toBob: string[] = [];
    const toAlice: string[] = [];
    const exchange = (round: string, n: number) => {
      const a = numbered(`a${round}`, 0, n);
      const b = numbered(`b${round}`, 0, n);
      toBob.push(...a);
      toAlice.push(...b);
      for (let i = 0; i < n; i++) {
        void alice.client.send('bob-tr', payload(a[i]!));
        void bob.client.send('alice-tr', payload(b[i]!));
      }
    };

    exchange('1', 100); // on WebSocket
    await waitFor(() => bob.messages.length >= 50, { timeoutMs: 30_000, what: 'bob to be mid-stream' });
    websocket.block();
    exchange('2', 100); // while the link is down and the selector gives up on WebSocket
    await waitFor(() => bob.client.transport === 'long-poll', { timeoutMs: 30_000, what: 'bob to fall back to long-polling' });
    exchange('3', 100); // on long-polling
    await waitFor(() => bob.messages.length >= 250, { timeoutMs: 30_000, what: 'bob to receive over long-polling' });
    websocket.unblock();
    exchange('4', 100); // while the probe finds WebSocket working again and bob moves back
    await waitFor(() => bob.client.transport === 'websocket', { timeoutMs: 30_000, what: 'bob to return to WebSocket' });
    exchange('5', 100);

    await waitFor(() => bob.messages.length >= toBob.length && alice.messages.length >= toAlice.length, {
      timeoutMs: 60_000,
      what: 'both to receive everything',
    });
    await new Promise((resolve) => setTimeout(resolve, 300)); // a late duplicate would show now
    expectExactlyOnceInOrder(bob.texts(), toBob);
    expectExactlyOnceInOrder(alice.texts(), toAlice);
    expect(kinds).toEqual(['long-poll', 'websocket']);
  });

  it('a long-poll-only client chats 1:1 and in a group with a WebSocket client', async () => {
    const carol = await client('carol-tr', { transportFactory: longPollTransportFactory({ holdMs: 5_000 }) });
    const dave = await client('dave-tr');
    expect(carol.client.transport).toBe('long-poll');
    expect(dave.client.transport).toBe('websocket');

    const fromCarol = numbered('c', 0, 200);
    const fromDave = numbered('d', 0, 200);
    const sent = [...fromCarol.map((t) => carol.client.send('dave-tr', payload(t))), ...fromDave.map((t) => dave.client.send('carol-tr', payload(t)))];
    await Promise.all(sent);
    await waitFor(() => dave.messages.length >= 200 && carol.messages.length >= 200, { timeoutMs: 60_000, what: 'both to receive 200' });
    expectExactlyOnceInOrder(dave.texts(), fromCarol);
    expectExactlyOnceInOrder(carol.texts(), fromDave);
    await waitFor(() => carol.acks.filter((a) => a.status === 'DELIVERED').length >= 200, { timeoutMs: 30_000, what: 'carol to get 200 DELIVERED' });

    const team = await carol.client.createGroup('tr-team', ['dave-tr']);
    await carol.client.sendToConversation(team.conversation, payload('hello team'));
    await dave.client.sendToConversation(team.conversation, payload('hello carol'));
    await waitFor(() => dave.texts().includes('hello team') && carol.texts().includes('hello carol'), { timeoutMs: 30_000, what: 'the group messages' });
    await waitFor(() => carol.acks.some((a) => a.status === 'QUEUED'), { timeoutMs: 30_000, what: "carol's QUEUED ack" });
  });
});
