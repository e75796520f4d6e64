// The producing side of the kafka-client bench's consume steps (a child process, so the consumer's
// CPU is measured alone): sends its warm-up records, waits for `go` from the parent, then sends
// `count` records, `perRequest` per request, at `rate` records a second (send, await the acks,
// wait for the next tick; 0 = no wait), each value stamped with its send time, and reports its
// CPU per record.
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { benchProducer, type ClientName } from './kafka-clients';
import { benchRecords, nowMs } from './kafka-client-cost';
import { startWindowProfile } from './window-profile';

interface TrickleSettings {
  readonly brokers: string[];
  readonly client: ClientName;
  readonly topic: string;
  readonly warmUp: number;
  readonly count: number;
  readonly perRequest: number;
  readonly rate: number;
  readonly valueBytes: number;
  readonly conversations: number;
  readonly profileDir?: string;
  readonly profileName?: string;
}

async function main(): Promise<void> {
  const s = JSON.parse(process.env.KAFKA_TRICKLE ?? '') as TrickleSettings;
  const producer = benchProducer(s.client, { brokers: s.brokers, clientId: `kafka-client-bench-${s.client}-trickle` });
  const go = once(process, 'message');
  const intervalMs = s.rate > 0 ? 1000 / s.rate : 0;
  const sendPaced = async (count: number, first: number) => {
    const records = benchRecords(count, s.valueBytes, s.conversations, first);
    const start = performance.now();
    for (let i = 0; i < records.length; i += s.perRequest) {
      const request = records.slice(i, i + s.perRequest);
      const sentAt = nowMs();
      for (const record of request) Buffer.from(record.value.buffer, record.value.byteOffset, 8).writeDoubleLE(sentAt, 0);
      await producer.send(s.topic, request);
      const wait = start + (i + request.length) * intervalMs - performance.now();
      if (wait > 0) await sleep(wait);
    }
  };
  await sendPaced(s.warmUp, 0);
  await go;
  const profile = await startWindowProfile(s.profileDir, s.profileName ?? 'producer');
  const cpu = process.cpuUsage();
  await sendPaced(s.count, s.warmUp);
  const used = process.cpuUsage(cpu);
  await profile.stop();
  process.send?.({ producerCpuUsPerRecord: Math.round(((used.user + used.system) / s.count) * 10) / 10 });
  await producer.close();
  process.disconnect?.();
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
