// One benchmark client process: holds many WebSocket connections to peer servers (raw
// WebSocket, or Socket.IO's engine.io v4 protocol spoken directly over `ws`) or to parley
// gateways (token + welcome + pings), spread round-robin over the servers it is given, and
// counts what the servers broadcast.
import WebSocket from 'ws';
import { signToken } from '@parley/auth';
import { asUserId, decodeFrame, encodeFrame } from '@parley/protocol';
import { monotonicMicros } from '../latency';
import { CONNECT_ATTEMPTS } from './connection-plan';

export type ClientFlavor = 'raw' | 'socketio' | 'parley';

export type BenchClientCommand =
  | {
      readonly type: 'connect';
      /** One URL per server process; connection n goes to urls[(firstIndex + n) mod urls.length]. */
      readonly urls: readonly string[];
      readonly flavor: ClientFlavor;
      readonly count: number;
      /** Global index of this client's first connection (see ClientShare in connection-plan.ts). */
      readonly firstIndex: number;
      readonly rampPerSec: number;
      /** Source addresses to bind, round-robin over the connections (none: the system's choice). */
      readonly localAddresses: readonly string[];
      /** parley only: token secret and user name prefix. */
      readonly secret?: string;
      readonly userPrefix?: string;
    }
  | { readonly type: 'burst'; readonly count: number; readonly bytes: number }
  | { readonly type: 'counts' }
  | { readonly type: 'close' };

export type BenchClientReport =
  | {
      readonly type: 'connected';
      readonly connected: number;
      readonly failed: number;
      /** Connections up per entry of the command's urls. */
      readonly connectedPerUrl: readonly number[];
      /** Connections that failed every attempt, by the last attempt's reason (error code or message, or the close code). */
      readonly failures: Readonly<Record<string, number>>;
      /** Attempts made again after a failed one (see CONNECT_ATTEMPTS). */
      readonly retries: number;
    }
  | { readonly type: 'counts'; readonly received: number; readonly firstUs: number; readonly lastUs: number };

const sockets: WebSocket[] = [];
let received = 0;
let firstUs = 0;
let lastUs = 0;
let connected = 0;
let failed = 0;
let retries = 0;
let connectedPerUrl: number[] = [];
const failures: Record<string, number> = {};

const post = (report: BenchClientReport): void => {
  if (process.connected) process.send?.(report);
};

function onBroadcast(): void {
  const now = monotonicMicros();
  if (received === 0) firstUs = now;
  lastUs = now;
  received++;
}

const RETRY_DELAY_MS = 1000;

async function open(command: Extract<BenchClientCommand, { type: 'connect' }>, index: number): Promise<void> {
  const server = (command.firstIndex + index) % command.urls.length;
  let why: string | undefined;
  for (let attempt = 1; attempt <= CONNECT_ATTEMPTS; attempt++) {
    if (attempt > 1) {
      retries++;
      await new Promise((r) => setTimeout(r, RETRY_DELAY_MS));
    }
    why = await attemptOpen(command, index, server);
    if (why === undefined) {
      connected++;
      connectedPerUrl[server]!++;
      return;
    }
  }
  failed++;
  failures[why!] = (failures[why!] ?? 0) + 1;
}

/** One connection attempt: resolves to undefined once the connection is ready, else to why not. */
function attemptOpen(command: Extract<BenchClientCommand, { type: 'connect' }>, index: number, server: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    let url = command.urls[server]!;
    if (command.flavor === 'parley') url += `?token=${signToken(command.secret ?? '', asUserId(`${command.userPrefix}-${index}`), 24 * 3600)}`;
    if (command.flavor === 'socketio') url += '/socket.io/?EIO=4&transport=websocket';
    const localAddress = command.localAddresses.length > 0 ? command.localAddresses[index % command.localAddresses.length] : undefined;
    const socket = new WebSocket(url, { perMessageDeflate: false, ...(localAddress ? { localAddress } : {}), handshakeTimeout: 30_000 });
    let ready = false;
    const done = (ok: boolean, why?: string): void => {
      if (ready) return;
      ready = true;
      resolve(ok ? undefined : (why ?? 'unknown'));
    };
    socket.on('error', (err: NodeJS.ErrnoException) => done(false, err.code ?? err.message));
    socket.on('close', (code: number) => done(false, `closed ${code} before ready`));
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      switch (command.flavor) {
        case 'raw':
          onBroadcast();
          break;
        case 'socketio': {
          // engine.io v4 packets: 0 open, 2 ping (answer 3), 4 message; socket.io 0 connect, 2 event.
          const text = isBinary ? '' : data.toString();
          if (text.startsWith('0')) socket.send('40');
          else if (text.startsWith('40')) done(true);
          else if (text === '2') socket.send('3');
          else if (text.startsWith('42')) onBroadcast();
          break;
        }
        case 'parley': {
          const frame = decodeFrame(data);
          if (frame.packet === 'welcome') done(true);
          else if (frame.packet === 'msgN') onBroadcast();
          break;
        }
      }
    });
    socket.on('open', () => {
      if (command.flavor === 'raw') done(true);
    });
    sockets.push(socket);
  });
}

async function connectAll(command: Extract<BenchClientCommand, { type: 'connect' }>): Promise<void> {
  connectedPerUrl = command.urls.map(() => 0);
  const started = Date.now();
  const waits: Array<Promise<void>> = [];
  for (let i = 0; i < command.count; i++) {
    const due = started + (i * 1000) / command.rampPerSec;
    const delay = due - Date.now();
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    waits.push(open(command, i));
  }
  await Promise.all(waits);
  post({ type: 'connected', connected, failed, connectedPerUrl, failures, retries });
}

// parley closes connections that send nothing for 2 x its heartbeat interval: ping them.
setInterval(() => {
  for (const s of sockets) if (s.readyState === WebSocket.OPEN && s.url.includes('token=')) s.send(encodeFrame({ ping: { nonce: 1 } }));
}, 10_000).unref();

process.on('message', (command: BenchClientCommand) => {
  switch (command.type) {
    case 'connect':
      void connectAll(command);
      break;
    case 'burst': {
      const s = sockets.find((x) => x.readyState === WebSocket.OPEN);
      if (!s) break;
      const text = `burst:${command.count}:${command.bytes}`;
      // Socket.IO event packet: 42["burst","..."]
      s.send(s.url.includes('/socket.io/') ? `42${JSON.stringify(['burst', text])}` : text);
      break;
    }
    case 'counts':
      post({ type: 'counts', received, firstUs, lastUs });
      break;
    case 'close':
      for (const s of sockets) s.terminate();
      process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
