// A publish whose outcome the producer never learned (the broker appended the records, the
// answer was lost with the connection: a broker killed at the wrong moment) must not break the
// next publishes to the same partition. An idempotent producer numbers its records per
// partition and, after such a failure, numbers the next records as if the lost ones were never
// written; the broker then either takes a different record for a repeat of the lost one and
// drops it while answering success (its duplicate check compares sequence ranges only), or
// refuses every later record as out of order, for good. Against the run's real broker, with a
// socket that loses the broker's answers on demand.
import net from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { testInfra, uniqueNamespace } from '@parley/testkit';
import { KafkaBus } from '../../src';

/** Sockets whose incoming data is thrown away (and the socket closed) while `losing` is set. */
class LossySockets {
  losing = false;

  readonly factory = ({ host, port, onConnect }: { host: string; port: number; onConnect: () => void }): net.Socket => {
    const socket = net.connect({ host, port }, onConnect);
    const emit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean;
    socket.emit = ((event: string | symbol, ...args: unknown[]): boolean => {
      if (event === 'data' && this.losing) {
        // The request reached the broker (this is its answer): lose the answer and the link,
        // as a broker killed after appending would ('end' is what kafkajs listens for).
        socket.destroy();
        return emit('end');
      }
      return emit(event, ...args);
    }) as typeof socket.emit;
    return socket;
  };
}

const text = (value: string): Uint8Array => new TextEncoder().encode(value);

describe('KafkaBus after a publish whose outcome was lost', () => {
  let sockets: LossySockets;
  let bus: KafkaBus;
  let topic: string;

  beforeEach(async () => {
    const ns = uniqueNamespace('kamb');
    topic = `${ns}-t`;
    sockets = new LossySockets();
    const kafka = new Kafka({
      brokers: testInfra().kafkaBrokers,
      clientId: ns,
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3000,
      requestTimeout: 10_000,
      // Gives up quickly while the answers are lost (the default retries for ~30 s).
      retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 200 },
      socketFactory: sockets.factory,
    });
    bus = new KafkaBus({ brokers: testInfra().kafkaBrokers, clientId: ns, logger: () => undefined }, kafka);
    await bus.ensureTopics([{ name: topic, partitions: 1 }]);
    await bus.publish(topic, [{ key: 'k', value: text('a') }]);
    // Appended by the broker, its answer lost: the publish fails.
    sockets.losing = true;
    await expect(bus.publish(topic, [{ key: 'k', value: text('b') }])).rejects.toThrow();
    sockets.losing = false;
  }, 60_000);

  afterEach(() => bus.close(), 60_000);

  async function values(): Promise<string[]> {
    const seen: string[] = [];
    await bus.readToEnd(topic, (batch) => {
      for (const record of batch.records) seen.push(new TextDecoder().decode(record.value));
    });
    return seen;
  }

  it('keeps a record published next (never dropped as a repeat of the lost one)', async () => {
    await bus.publish(topic, [{ key: 'k', value: text('c') }]);
    await bus.publish(topic, [{ key: 'k', value: text('d') }]);
    expect(await values()).toEqual(['a', 'b', 'c', 'd']);
  }, 60_000);

  it('keeps publishing to the partition (never refused as out of order from then on)', async () => {
    await bus.publish(topic, [
      { key: 'k', value: text('c') },
      { key: 'k', value: text('d') },
    ]);
    await bus.publish(topic, [{ key: 'k', value: text('e') }]);
    expect(await values()).toEqual(['a', 'b', 'c', 'd', 'e']);
  }, 60_000);
});
