// One webhook endpoint's delivery of a partition's events, on memory adapters and a fake
// clock: a failing callback is retried in place with backoff while the events behind it wait
// (never overtaking it), one warning marks the failing streak and one line its end, and after
// the retry time the event goes to the dead-letter topic and the partition moves on.
import { asConversationId, encodeDeliveryCommand, parley } from '@parley/protocol';
import { FakeClock, type BusBatch } from '@parley/ports';
import { createMemoryInfrastructure } from '@parley/composition';
import { createRegistry, type Logger } from '@parley/observability';
import { WebhookEndpoint, webhookTopics } from '../../src/webhook-endpoint';
import { webhookMetrics } from '../../src/webhook-metrics';
import type { WebhookEvent } from '../../src/webhook-events';
import type { SendOutcome } from '../../src/webhook-sender';

const stored = (conversation: string, seq: number) =>
  encodeDeliveryCommand({ sequenced: { message: parley.v1.StoredMessage.create({ conversation: asConversationId(conversation), fromUser: 'amy', msgId: `m${seq}`, position: { epoch: 'e1', seq } }) } });

const batchOf = (...values: Uint8Array[]): BusBatch => ({ topic: 'p.deliver', partition: 0, records: values.map((value, i) => ({ key: 'k', value, offset: String(i) })) });

function setup(answers: (event: WebhookEvent, attempt: number) => boolean, retryForMs = 3_600_000) {
  const clock = new FakeClock();
  const infrastructure = createMemoryInfrastructure(clock);
  const registry = createRegistry();
  const lines: Array<{ level: string; msg: string }> = [];
  const logger = {
    warn: (_: unknown, msg: string) => lines.push({ level: 'warn', msg }),
    info: (_: unknown, msg: string) => lines.push({ level: 'info', msg }),
    error: (_: unknown, msg: string) => lines.push({ level: 'error', msg }),
  } as unknown as Logger;
  const attempts = new Map<string, number>();
  const sent: string[] = [];
  const send = async (event: WebhookEvent): Promise<SendOutcome> => {
    const attempt = (attempts.get(event.id) ?? 0) + 1;
    attempts.set(event.id, attempt);
    if (!answers(event, attempt)) return { ok: false, reason: 'HTTP 503', seconds: 0.001 };
    sent.push(event.id);
    return { ok: true, seconds: 0.001 };
  };
  const metrics = webhookMetrics(registry);
  const endpoint = new WebhookEndpoint(
    { name: 'push', url: 'http://receiver.invalid/hook', secret: 'a-secret-of-16-chars', events: new Set(['message.stored'] as const), timeoutMs: 1_000, retry: { baseMs: 1_000, maxMs: 8_000, retryForMs }, topicPrefix: 'p', stallMs: 60_000 },
    { infrastructure, registry, logger, clock, metrics, send, random: () => 0.5 },
  );
  /** Runs `handle` to its end, moving the fake clock on while it waits. */
  const run = async (batch: BusBatch): Promise<number> => {
    const started = clock.now();
    let done = false;
    const handled = endpoint.handle(batch).finally(() => (done = true));
    while (!done) {
      await new Promise((resolve) => setImmediate(resolve));
      if (!done) clock.advance(500);
    }
    await handled;
    return clock.now() - started;
  };
  return { endpoint, infrastructure, metrics, sent, attempts, lines, run, registry };
}

describe('a webhook endpoint', () => {
  it('retries a failing event in place with backoff; the events behind it wait and keep their order', async () => {
    const t = setup((event, attempt) => event.id !== 'd:amy:bob/e1/1' || attempt > 4);
    const waited = await t.run(batchOf(stored('d:amy:bob', 1), stored('d:amy:bob', 2), stored('d:amy:cid', 1)));
    expect(t.sent).toEqual(['d:amy:bob/e1/1', 'd:amy:bob/e1/2', 'd:amy:cid/e1/1']);
    expect(t.attempts.get('d:amy:bob/e1/1')).toBe(5);
    // Waits of 0.75, 1.5, 3 and 6 s (half jitter): about 11 s before the fifth attempt.
    expect(waited).toBeGreaterThanOrEqual(11_000);
    expect(waited).toBeLessThan(13_000);
    expect(t.lines.filter((l) => l.level === 'warn')).toHaveLength(1);
    expect(t.lines.filter((l) => l.level === 'info')).toHaveLength(1);
    const failed = await t.metrics.failed.get();
    expect(failed.values).toEqual([expect.objectContaining({ labels: { webhook: 'push' }, value: 4 })]);
    expect((await t.metrics.sent.get()).values[0]!.value).toBe(3);
  });

  it('passes over a record missing a field, counted by field and logged, and sends the records around it', async () => {
    const t = setup(() => true);
    const noPosition = encodeDeliveryCommand({ sequenced: { message: parley.v1.StoredMessage.create({ conversation: 'd:amy:bob', fromUser: 'amy', msgId: 'm9' }) } });
    await t.run(batchOf(stored('d:amy:bob', 1), noPosition, stored('d:amy:bob', 2)));
    expect(t.sent).toEqual(['d:amy:bob/e1/1', 'd:amy:bob/e1/2']);
    const invalid = (await t.metrics.invalidRecords.get()).values;
    expect(invalid).toEqual([expect.objectContaining({ labels: expect.objectContaining({ field: 'position' }), value: 1 })]);
    expect(t.lines.filter((l) => l.level === 'warn')).toHaveLength(1);
  });

  it('dead-letters an event after the retry time and moves on to the next', async () => {
    const t = setup((event) => event.id !== 'd:amy:bob/e1/1', 20_000);
    await t.infrastructure.bus.ensureTopics([{ name: webhookTopics('p', 'push').deadLetter, partitions: 1 }]);
    const waited = await t.run(batchOf(stored('d:amy:bob', 1), stored('d:amy:bob', 2)));
    expect(waited).toBeGreaterThanOrEqual(20_000);
    expect(t.sent).toEqual(['d:amy:bob/e1/2']);
    const dead: Array<{ key: string; body: unknown; headers: unknown }> = [];
    await t.infrastructure.bus.readToEnd(webhookTopics('p', 'push').deadLetter, (batch) => {
      for (const r of batch.records) dead.push({ key: r.key, body: JSON.parse(Buffer.from(r.value).toString()), headers: r.headers });
    });
    expect(dead).toEqual([
      {
        key: 'd:amy:bob',
        body: expect.objectContaining({ id: 'd:amy:bob/e1/1', type: 'message.stored' }),
        headers: expect.objectContaining({ 'parley-webhook-endpoint': 'push', 'parley-webhook-reason': 'HTTP 503' }),
      },
    ]);
    expect((await t.metrics.deadLettered.get()).values[0]!.value).toBe(1);
  });

  it('a stop ends a wait at once: the batch is handed again later, nothing skipped', async () => {
    const t = setup(() => false);
    const handled = t.endpoint.handle(batchOf(stored('d:amy:bob', 1)));
    await new Promise((resolve) => setImmediate(resolve));
    await t.endpoint.stop();
    await expect(handled).rejects.toThrow(/stopping/);
  });
});
