// Shared set-up of the end-to-end tests: a parley process (or its parts) on the real
// Kafka broker and Redis server of the test run, isolated by a unique topic and key
// prefix, plus raw WebSocket helpers for tests that speak the protocol by hand.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { signToken } from '@parley/auth';
import { asUserId, decodeFrame, encodeFrame, Frame, FrameInit } from '@parley/protocol';
import { testInfra, uniqueNamespace, waitFor } from '@parley/testkit';
import { startParleyServer, ParleyServer } from '../../src';

export const TEST_SECRET = 'integration-test-secret-0123456789';

/** Environment of a parley process on the test run's Kafka and Redis, under a fresh prefix. */
export function realEnv(label: string, overrides: Record<string, string> = {}): Record<string, string> {
  const infra = testInfra();
  const ns = uniqueNamespace(label);
  return {
    PARLEY_KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    PARLEY_REDIS_URL: infra.redisUrl,
    PARLEY_TOPIC_PREFIX: ns,
    PARLEY_REDIS_PREFIX: `${ns}:`,
    PARLEY_TOPIC_PARTITIONS: '4',
    PARLEY_JWT_SECRET: TEST_SECRET,
    PARLEY_GATEWAY_ID: `gw-${ns}`,
    PARLEY_GATEWAY_PORT: '0',
    PARLEY_GATEWAY_HOST: '127.0.0.1',
    PARLEY_LOG_LEVEL: 'warn',
    PARLEY_KAFKA_SESSION_TIMEOUT_MS: '6000',
    ...overrides,
  };
}

export async function startServer(env: Record<string, string>): Promise<ParleyServer> {
  return startParleyServer(env);
}

export const tokenFor = (user: string, secret = TEST_SECRET): string => signToken(secret, asUserId(user), 3600);

export const wsUrl = (port: number, user: string, secret = TEST_SECRET): string =>
  `ws://127.0.0.1:${port}/ws?token=${tokenFor(user, secret)}`;

/** A hand-driven protocol connection that records every frame it receives. */
export class RawConnection {
  readonly frames: Frame[] = [];
  closeCode: number | undefined;
  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => this.frames.push(decodeFrame(new Uint8Array(data))));
    socket.on('close', (code) => {
      this.closeCode = code;
    });
  }

  /** `localAddress`: the source address to connect from (127.0.0.x on loopback), for tests of per-address limits. */
  static async open(url: string, headers: Record<string, string> = {}, localAddress?: string): Promise<RawConnection> {
    const socket = new WebSocket(url, { headers, ...(localAddress ? { localAddress } : {}) });
    const connection = new RawConnection(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    await connection.next('welcome');
    return connection;
  }

  send(frame: FrameInit): void {
    this.socket.send(encodeFrame(frame));
  }

  sendBytes(bytes: Uint8Array): void {
    this.socket.send(bytes);
  }

  /** Waits for the first recorded frame of `packet` kind matching `where`. */
  async next(packet: NonNullable<Frame['packet']>, where: (f: Frame) => boolean = () => true, timeoutMs = 10_000): Promise<Frame> {
    let found: Frame | undefined;
    await waitFor(
      () => {
        found = this.frames.find((f) => f.packet === packet && where(f));
        return found !== undefined;
      },
      { timeoutMs, what: `a ${packet} frame` },
    );
    return found!;
  }

  async closed(timeoutMs = 10_000): Promise<number> {
    await waitFor(() => this.closeCode !== undefined, { timeoutMs, what: 'the connection to close' });
    return this.closeCode!;
  }

  close(): void {
    this.socket.close();
  }
}

/** The HTTP status and body of a refused upgrade (a plain HTTP request with upgrade headers). */
export function refusedUpgrade(
  url: string,
  headers: Record<string, string> = {},
  localAddress?: string,
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url.replace(/^ws:/, 'http:'), {
      agent: false,
      ...(localAddress ? { localAddress } : {}),
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        ...headers,
      },
    });
    request.on('upgrade', (_res, socket) => {
      socket.destroy();
      reject(new Error('upgrade was accepted'));
    });
    request.on('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => {
        res.socket?.destroy();
        resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
      });
    });
    request.on('error', reject);
  });
}

import { nodeWsTransportFactory, ParleyClient, ParleyClientOptions, ReceivedMessage, AckReceipt, Transport, TransportFactory } from '@parley/client';

/** A transport factory whose current link a test can cut, as a network would, or keep down. */
export class CuttableLinks {
  private current: Transport | undefined;
  private offline = false;
  private readonly inner = nodeWsTransportFactory();
  readonly factory: TransportFactory = () => {
    if (this.offline) return unreachable();
    const transport = this.inner();
    this.current = transport;
    return transport;
  };

  /** Cuts the link and refuses new ones until goOnline(). */
  goOffline(): void {
    this.offline = true;
    this.cut();
  }

  goOnline(): void {
    this.offline = false;
  }

  /** Closes the current link under the client's feet; the client sees it drop and reconnects. */
  cut(): void {
    this.current?.close(4000, 'cut by test');
  }
}

/** A link attempt that fails at once (1006), as with no network or a refused upgrade. */
export const unreachable = (reason = 'network down (test)'): Transport => ({
  open: (_url, listener) => {
    setImmediate(() => listener.onClose(1006, reason));
  },
  send: () => false,
  close: () => undefined,
});

/** A client that records what its application sees: messages (in delivery order) and acks. */
export class RecordingClient {
  readonly messages: ReceivedMessage[] = [];
  readonly acks: AckReceipt[] = [];
  readonly client: ParleyClient;

  constructor(port: number, user: string, options: Partial<ParleyClientOptions> = {}) {
    this.client = new ParleyClient({
      url: `ws://127.0.0.1:${port}/ws`,
      getToken: () => tokenFor(user),
      retransmitTimeoutMs: 1_000,
      ackTimeoutMs: 15_000,
      backoff: { minDelayMs: 50, maxDelayMs: 500 },
      ...options,
    });
    this.client.on('message', (m) => this.messages.push(m));
    this.client.on('ack', (a) => this.acks.push(a));
  }

  async connect(): Promise<this> {
    await this.client.connect();
    return this;
  }

  texts(): string[] {
    return this.messages.map((m) => Buffer.from(m.payload).toString());
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

export const payload = (text: string): Uint8Array => Buffer.from(text);

/** Asserts the application saw exactly `expected`, once each, in that order. */
export function expectExactlyOnceInOrder(received: readonly string[], expected: readonly string[]): void {
  const seen = new Set<string>();
  const duplicates = received.filter((text) => (seen.has(text) ? true : (seen.add(text), false)));
  if (duplicates.length > 0) throw new Error(`shown twice: ${duplicates.slice(0, 5).join(', ')}`);
  const missing = expected.filter((text) => !seen.has(text));
  if (missing.length > 0) throw new Error(`lost: ${missing.length} (first ${missing.slice(0, 5).join(', ')})`);
  const at = received.findIndex((text, i) => text !== expected[i]);
  if (at >= 0) throw new Error(`reordered at ${at}: ${received.slice(Math.max(0, at - 3), at + 5).join(', ')}`);
}

/**
 * Starts a server on the test run's Kafka and Redis for the enclosing describe block, and
 * hands out recording clients that are closed after each test.
 */
export function useServer(label: string, overrides: Record<string, string> = {}) {
  let server: ParleyServer | undefined;
  const clients: RecordingClient[] = [];
  beforeAll(async () => {
    server = await startServer(realEnv(label, overrides));
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });
  afterAll(async () => {
    await server?.stop();
  });
  return {
    get server(): ParleyServer {
      if (!server) throw new Error('the server is not started yet (use it inside a test)');
      return server;
    },
    async client(user: string, options: Partial<ParleyClientOptions> = {}): Promise<RecordingClient> {
      const c = new RecordingClient(this.server.port, user, options);
      clients.push(c);
      return c.connect();
    },
  };
}
