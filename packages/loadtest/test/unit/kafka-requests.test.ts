// Kafka requests per message for the CPU bench: parley_kafka_requests_total read from a
// process's /metrics, and turned into requests per message with the idle rate taken off.
import { createServer, type Server } from 'node:http';
import { formatKafkaRequests, kafkaRequests, kafkaRequestsPerMessage, parseKafkaRequests } from '../../src/bench/kafka-requests';

const METRICS = [
  '# HELP parley_kafka_requests_total Requests a Kafka broker answered to this process',
  '# TYPE parley_kafka_requests_total counter',
  'parley_kafka_requests_total{api="Produce"} 1200',
  'parley_kafka_requests_total{api="Fetch"} 310',
  'parley_kafka_requests_totally_else{api="Fetch"} 5',
  'parley_packets_total{type="msg:R",direction="in"} 99',
  '',
].join('\n');

describe('kafka requests per message', () => {
  it('reads the requests per API from a Prometheus text, nothing else', () => {
    expect(parseKafkaRequests(METRICS)).toEqual({ Produce: 1200, Fetch: 310 });
    expect(parseKafkaRequests('parley_packets_total 3\n')).toEqual({});
  });

  it('asks every process for its /metrics and leaves out one that does not answer', async () => {
    const server: Server = createServer((_request, response) => response.end(METRICS));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      await expect(kafkaRequests({ gateway: `http://127.0.0.1:${port}/metrics`, gone: 'http://127.0.0.1:1/metrics' })).resolves.toEqual({
        gateway: { Produce: 1200, Fetch: 310 },
      });
    } finally {
      server.close();
    }
  });

  it('takes the idle rate off over the window and divides by the messages', () => {
    // Idle 10 s: 20 Fetch (2/s). Window 5 s, 1,000 messages: 1,010 Fetch = 10 idle + 1,000; 500 Produce.
    const perMessage = kafkaRequestsPerMessage(
      { sequencer: { Fetch: 100 } },
      { sequencer: { Fetch: 120 } },
      { sequencer: { Fetch: 200, Produce: 10 } },
      { sequencer: { Fetch: 1_210, Produce: 510 } },
      10,
      5,
      1_000,
    );
    expect(perMessage).toEqual({ sequencer: { Fetch: 1, Produce: 0.5 } });
    expect(formatKafkaRequests({ Fetch: 1, Produce: 0.5, Heartbeat: 0.001 })).toBe('Fetch 1.00, Produce 0.50');
    expect(kafkaRequestsPerMessage({}, {}, {}, { a: { Fetch: 1 } }, 10, 5, 0)).toEqual({});
  });
});
