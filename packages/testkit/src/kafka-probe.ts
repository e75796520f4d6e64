// Owns asking a Kafka broker a real protocol question over a raw socket (Metadata v1), so
// readiness means "serves requests and lists itself as an unfenced broker", not "port is open".
import net from 'node:net';

export interface KafkaMetadataSummary {
  brokers: { nodeId: number; host: string; port: number }[];
  controllerId: number;
}

const API_METADATA = 3;
const API_FIND_COORDINATOR = 10;

/** Size-prefixed request with header v1 (api key, version, correlation id, client id). */
function frameRequest(apiKey: number, apiVersion: number, correlationId: number, body: Buffer): Buffer {
  const clientId = Buffer.from('parley-testkit-probe');
  const header = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length);
  let o = 0;
  o = header.writeInt16BE(apiKey, o);
  o = header.writeInt16BE(apiVersion, o);
  o = header.writeInt32BE(correlationId, o);
  o = header.writeInt16BE(clientId.length, o);
  clientId.copy(header, o);
  const size = Buffer.alloc(4);
  size.writeInt32BE(header.length + body.length, 0);
  return Buffer.concat([size, header, body]);
}

function metadataV1Request(correlationId: number): Buffer {
  const body = Buffer.alloc(4);
  body.writeInt32BE(-1, 0); // topics: null => all topics
  return frameRequest(API_METADATA, 1, correlationId, body);
}

function findCoordinatorV1Request(correlationId: number, groupId: string): Buffer {
  const key = Buffer.from(groupId);
  const body = Buffer.alloc(2 + key.length + 1);
  body.writeInt16BE(key.length, 0);
  key.copy(body, 2);
  body.writeInt8(0, 2 + key.length); // key type 0 = consumer group
  return frameRequest(API_FIND_COORDINATOR, 1, correlationId, body);
}

function checkCorrelation(frame: Buffer, correlationId: number): void {
  const corr = frame.readInt32BE(0);
  if (corr !== correlationId) throw new Error(`kafka probe: correlation id ${corr} != ${correlationId}`);
}

/** FindCoordinator v1 response: throttle_time_ms, error_code, ... -> the error code (0 = found). */
function parseFindCoordinatorV1(frame: Buffer, correlationId: number): number {
  checkCorrelation(frame, correlationId);
  return frame.readInt16BE(4 + 4);
}

function parseMetadataV1(frame: Buffer, correlationId: number): KafkaMetadataSummary {
  checkCorrelation(frame, correlationId);
  let o = 4;
  const count = frame.readInt32BE(o);
  o += 4;
  const brokers: KafkaMetadataSummary['brokers'] = [];
  for (let i = 0; i < count; i++) {
    const nodeId = frame.readInt32BE(o);
    o += 4;
    const hostLen = frame.readInt16BE(o);
    o += 2;
    const host = frame.toString('utf8', o, o + hostLen);
    o += hostLen;
    const port = frame.readInt32BE(o);
    o += 4;
    const rackLen = frame.readInt16BE(o);
    o += 2 + Math.max(rackLen, 0);
    brokers.push({ nodeId, host, port });
  }
  const controllerId = frame.readInt32BE(o);
  return { brokers, controllerId };
}

/** One request/response exchange on a fresh connection. */
function roundTrip<T>(
  host: string,
  port: number,
  timeoutMs: number,
  what: string,
  request: (correlationId: number) => Buffer,
  parse: (frame: Buffer, correlationId: number) => T,
): Promise<T> {
  const correlationId = Math.floor(Math.random() * 0x7fffffff);
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    let settled = false;
    const socket = net.connect({ host, port });
    const finish = (err: Error | null, value?: T): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(value as T);
    };
    const timer = setTimeout(
      () => finish(new Error(`kafka ${host}:${port} did not answer ${what} within ${timeoutMs}ms`)),
      timeoutMs,
    );
    socket.once('connect', () => socket.write(request(correlationId)));
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length < 4) return;
      const size = buf.readInt32BE(0);
      if (buf.length < 4 + size) return;
      try {
        finish(null, parse(buf.subarray(4, 4 + size), correlationId));
      } catch (err) {
        finish(err as Error);
      }
    });
    socket.once('error', (err) => finish(err));
    socket.once('close', () => finish(new Error(`kafka ${host}:${port} closed the connection`)));
  });
}

/** One Metadata v1 round trip to host:port. Rejects on socket error, close or timeout. */
export function kafkaMetadata(host: string, port: number, timeoutMs = 2000): Promise<KafkaMetadataSummary> {
  return roundTrip(host, port, timeoutMs, 'Metadata', metadataV1Request, parseMetadataV1);
}

/**
 * FindCoordinator for a consumer group; resolves with Kafka's error code (0 = coordinator found).
 * The first call makes the broker create __consumer_offsets, so polling this until 0 warms it up.
 */
export function kafkaFindGroupCoordinator(
  host: string,
  port: number,
  groupId: string,
  timeoutMs = 2000,
): Promise<number> {
  return roundTrip(
    host,
    port,
    timeoutMs,
    'FindCoordinator',
    (corr) => findCoordinatorV1Request(corr, groupId),
    parseFindCoordinatorV1,
  );
}

/** True once the broker answers Metadata and lists itself (i.e. it is registered and unfenced). */
export async function kafkaBrokerReady(host: string, port: number, timeoutMs = 2000): Promise<boolean> {
  const md = await kafkaMetadata(host, port, timeoutMs);
  return md.brokers.some((b) => b.port === port);
}
