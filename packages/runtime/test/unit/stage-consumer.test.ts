// A pipeline stage's consumer: each stage reads its own topic in its own consumer group (a
// record of the other stage's topic never reaches it), is ready once subscribed and not after
// its graceful close.
import { createLogger, createRegistry } from '@parley/observability';
import { BusBatch, MemoryBus, MemoryDownlink, SystemClock } from '@parley/ports';
import { consumerGroups, PipelineStage, StageConsumer, stageOptionsFrom, topicNames, topicSpecs } from '../../src';

const topics = topicNames('t');
const decoder = new TextDecoder();

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 2));
  expect(condition()).toBe(true);
}

describe('StageConsumer', () => {
  it.each<[PipelineStage, 'send' | 'deliver']>([
    ['sequencer', 'send'],
    ['delivery', 'deliver'],
  ])('the %s consumes the %s topic only, in its own group', async (stage, topic) => {
    const bus = new MemoryBus();
    await bus.ensureTopics(topicSpecs(topics, 1));
    const handled: Array<{ topic: string; value: string }> = [];
    const consumer = new StageConsumer({
      stage,
      topicPrefix: 't',
      bus,
      downlink: new MemoryDownlink(),
      handler: async (batch: BusBatch) => void handled.push(...batch.records.map((r) => ({ topic: batch.topic, value: decoder.decode(r.value) }))),
      requesterOf: () => undefined,
      registry: createRegistry(),
      logger: createLogger('test', 'silent'),
      clock: new SystemClock(),
      onFatal: () => undefined,
    });
    expect(consumer.ready).toBe(false);
    await consumer.start();
    expect([consumer.ready, consumer.healthy]).toEqual([true, true]);
    const encoder = new TextEncoder();
    await bus.publish(topics.send, [{ key: 'k', value: encoder.encode('to the sequencer') }]);
    await bus.publish(topics.deliver, [{ key: 'k', value: encoder.encode('to delivery') }]);
    await until(() => handled.length > 0);
    // The other stage's group has not committed anything: the record is still there for it.
    const other = stage === 'sequencer' ? 'delivery' : 'sequencer';
    const seenByOther: string[] = [];
    const otherSub = await bus.subscribe({
      topic: topics[other === 'sequencer' ? 'send' : 'deliver'],
      group: consumerGroups('t')[other],
      handler: async (batch) => void seenByOther.push(...batch.records.map((r) => decoder.decode(r.value))),
      onFatal: () => undefined,
    });
    await until(() => seenByOther.length > 0);
    await otherSub.close();
    await consumer.close();
    expect(handled).toEqual([{ topic: topics[topic], value: topic === 'send' ? 'to the sequencer' : 'to delivery' }]);
    expect(consumer.ready).toBe(false);
  });

  it('maps the settings every stage reads the same way', () => {
    expect(stageOptionsFrom({ PARLEY_TOPIC_PREFIX: 'p', PARLEY_CONSUMER_STALL_MS: 5_000, PARLEY_APP_EVENTS: true })).toEqual({ topicPrefix: 'p', stallMs: 5_000, appEvents: true });
  });
});
