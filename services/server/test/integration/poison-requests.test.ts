// One bad request never stops anyone else's messages: an offline:R with a cursor the server
// never issued is answered INVALID_CURSOR (at the gateway, or by delivery when a record gets
// past the gateway), and a fresh pair whose traffic shares the bad request's delivery partition
// still exchanges msg:N and ack:N. A record delivery cannot handle at all is set aside on the
// dead-letter topic, counted and answered, and the partition moves on.
import { directConversationId, encodeDeliveryCommand, ErrorCode, asUserId } from '@parley/protocol';
import { ConsumedRecord, partitionForKey } from '@parley/ports';
import { DEAD_LETTER_HEADERS, topicNames } from '@parley/runtime';
import { waitFor } from '@parley/testkit';
import { ParleyServer } from '../../src';
import { RawConnection, realEnv, startServer, wsUrl } from './harness';

const PARTITIONS = 4;

/** Two user names whose 1:1 conversation lands on the same deliver partition as `key`. */
function pairOnPartitionOf(key: string, tag: string): [string, string] {
  const target = partitionForKey(key, PARTITIONS);
  for (let i = 0; ; i++) {
    const a = `${tag}a${i}`;
    const b = `${tag}b${i}`;
    if (partitionForKey(directConversationId(asUserId(a), asUserId(b)), PARTITIONS) === target) return [a, b];
  }
}

describe('poison requests on real Kafka and Redis', () => {
  let server: ParleyServer;

  beforeAll(async () => {
    server = await startServer(realEnv('poison', { PARLEY_TOPIC_PARTITIONS: String(PARTITIONS) }));
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** A fresh pair exchanges one message end to end: msg:A, msg:N, ack:R, ack:N. */
  async function freshPairExchanges(a: string, b: string, msgId: string): Promise<void> {
    const alice = await RawConnection.open(wsUrl(server.port, a));
    const bob = await RawConnection.open(wsUrl(server.port, b));
    try {
      alice.send({ msgR: { msgId, toUser: b, payload: Buffer.from('still flowing') } });
      await alice.next('msgA', (f) => f.msgA?.msgId === msgId, 30_000);
      const pushed = await bob.next('msgN', (f) => f.msgN?.msgId === msgId, 30_000);
      bob.send({ ackR: { conversation: pushed.msgN!.conversation, position: pushed.msgN!.position } });
      const ackN = await alice.next('ackN', (f) => f.ackN?.msgId === msgId, 30_000);
      expect(ackN.ackN?.status).toBe(1);
    } finally {
      alice.close();
      bob.close();
    }
  }

  it.each([
    ['"0"', '0'],
    ['"abc"', 'abc'],
    ['a 60 KB string', 'x'.repeat(60 * 1024)],
    ['a cursor-shaped string with a bad seq', 'd:a:b|e1|99999999999999999999'],
  ])('answers an offline:R with cursor %s INVALID_CURSOR at the gateway, and others keep flowing', async (_label, cursor) => {
    const mallory = await RawConnection.open(wsUrl(server.port, 'mallory'));
    try {
      mallory.send({ offlineR: { limit: 10, cursor } });
      const error = await mallory.next('error', () => true, 30_000);
      expect(error.error).toMatchObject({ code: ErrorCode.INVALID_CURSOR, retryable: false });
    } finally {
      mallory.close();
    }
    const [a, b] = pairOnPartitionOf('mallory', `gw${cursor.length}`);
    await freshPairExchanges(a, b, `fresh-gw-${cursor.length}`);
  });

  it('answers INVALID_CURSOR from delivery when a bad cursor gets past a gateway, and the partition keeps flowing', async () => {
    const mallory = await RawConnection.open(wsUrl(server.port, 'mallet'));
    try {
      const welcome = mallory.frames.find((f) => f.packet === 'welcome')!.welcome!;
      // What a gateway that does not check cursors (an older version) would forward.
      await server.infrastructure.bus.publish(topicNames(server.config.PARLEY_TOPIC_PREFIX).deliver, [
        {
          key: 'mallet',
          value: encodeDeliveryCommand({
            client: {
              origin: { gatewayId: server.config.PARLEY_GATEWAY_ID, userId: 'mallet', connectionId: welcome.connectionId, receivedAtMs: Date.now() },
              frame: { offlineR: { limit: 10, cursor: 'abc' } },
            },
          }),
        },
      ]);
      const error = await mallory.next('error', () => true, 30_000);
      expect(error.error).toMatchObject({ code: ErrorCode.INVALID_CURSOR, retryable: false });
    } finally {
      mallory.close();
    }
    const [a, b] = pairOnPartitionOf('mallet', 'dl');
    await freshPairExchanges(a, b, 'fresh-after-delivery-refusal');
  });

  it('dead-letters a record delivery cannot handle, answers its sender INTERNAL, and the partition keeps flowing', async () => {
    const [a, b] = pairOnPartitionOf('poison-key', 'dlq');
    const conversation = directConversationId(asUserId(a), asUserId(b));
    const topics = topicNames(server.config.PARLEY_TOPIC_PREFIX);
    const deadLetters: ConsumedRecord[] = [];
    const inspector = await server.infrastructure.bus.subscribe({
      topic: topics.deadLetter,
      group: `${server.config.PARLEY_TOPIC_PREFIX}.inspector`,
      handler: async (batch) => void deadLetters.push(...batch.records),
      onFatal: () => undefined,
    });
    const sender = await RawConnection.open(wsUrl(server.port, 'poisoner'));
    try {
      const welcome = sender.frames.find((f) => f.packet === 'welcome')!.welcome!;
      // A sequenced message without a position: nothing the sequencer writes, so nothing delivery
      // can store; before isolation it failed its batch (and its partition) forever.
      await server.infrastructure.bus.publish(topics.deliver, [
        {
          key: 'poison-key',
          value: encodeDeliveryCommand({
            sequenced: {
              message: { conversation, msgId: 'no-position', fromUser: a, toUsers: [b], payload: Buffer.from('x') },
              duplicate: false,
              origin: { gatewayId: server.config.PARLEY_GATEWAY_ID, userId: 'poisoner', connectionId: welcome.connectionId },
            },
          }),
        },
      ]);
      const error = await sender.next('error', (f) => f.error?.msgId === 'no-position', 30_000);
      expect(error.error).toMatchObject({ code: ErrorCode.INTERNAL, retryable: true });
      await freshPairExchanges(a, b, 'fresh-after-poison');
      await waitFor(() => deadLetters.some((r) => r.headers?.[DEAD_LETTER_HEADERS.topic] === topics.deliver), { timeoutMs: 30_000, what: 'the dead-letter record' });
      const dead = deadLetters.find((r) => r.headers?.[DEAD_LETTER_HEADERS.topic] === topics.deliver)!;
      expect(dead.key).toBe('poison-key');
      expect(dead.headers).toMatchObject({ [DEAD_LETTER_HEADERS.partition]: String(partitionForKey('poison-key', PARTITIONS)) });
      expect(Number(dead.headers![DEAD_LETTER_HEADERS.offset])).toBeGreaterThanOrEqual(0);
      expect(dead.headers![DEAD_LETTER_HEADERS.error]).toContain('without a position');
      const metrics = await server.registry.metrics();
      expect(metrics).toMatch(new RegExp(`parley_consumer_dead_letters_total\\{topic="${topics.deliver.replace(/\./g, '\\.')}",reason="Error"\\} 1`));
    } finally {
      sender.close();
      await inspector.close();
    }
  });

  it('pages the inbox with the cursors it issues', async () => {
    const sender = await RawConnection.open(wsUrl(server.port, 'pager-sender'));
    for (let i = 0; i < 3; i++) sender.send({ msgR: { msgId: `page-${i}`, toUser: 'pager', payload: Buffer.from(`m${i}`) } });
    for (let i = 0; i < 3; i++) await sender.next('msgA', (f) => f.msgA?.msgId === `page-${i}`, 30_000);
    sender.close();
    const pager = await RawConnection.open(wsUrl(server.port, 'pager'));
    try {
      pager.send({ offlineR: { limit: 2 } });
      const first = (await pager.next('offlineA', () => true, 30_000)).offlineA!;
      expect(first.messages!.map((m) => m.msgId)).toEqual(['page-0', 'page-1']);
      expect(first.hasMore).toBe(true);
      pager.send({ offlineR: { limit: 2, cursor: first.nextCursor } });
      const second = (await pager.next('offlineA', (f) => f.offlineA !== first, 30_000)).offlineA!;
      expect(second.messages!.map((m) => m.msgId)).toEqual(['page-2']);
      expect(second.hasMore).toBe(false);
    } finally {
      pager.close();
    }
  });
});
