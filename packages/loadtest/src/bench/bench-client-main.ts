// One benchmark client process: holds many WebSocket connections to a peer server (raw
// WebSocket, or Socket.IO's engine.io v4 protocol spoken directly over `ws`) or to the
// parley gateway (token + welcome + pings), and counts what the server broadcasts.
import WebSocket from 'ws';
import { signToken } from '@parley/auth';
import { asUserId, decodeFrame, encodeFrame } from '@parley/protocol';
import { monotonicMicros } from '../latency';

export type ClientFlavor = 'raw' | 'socketio' | 'parley';

export type BenchClientCommand =
  | {
      readonly type: 'connect';
      readonly url: string;
      readonly flavor: ClientFlavor;
      readonly count: number;
      readonly rampPerSec: number;
      readonly localAddress: string | undefined;
      /** parley only: token secret and user name prefix. */
      readonly secret?: string;
      readonly userPrefix?: string;
    }
  | { readonly type: 'burst'; readonly count: number; readonly bytes: number }
  | { readonly type: 'counts' }
  | { readonly type: 'close' };

export type BenchClientReport =
  | { readonly type: 'connected'; readonly connected: number; readonly failed: number }
  | { readonly type: 'counts'; readonly received: number; readonly firstUs: number; readonly lastUs: number };

const sockets: WebSocket[] = [];
let received = 0;
let firstUs = 0;
let lastUs = 0;
let connected = 0;
let failed = 0;

const post = (report: BenchClientReport): void => {
  if (process.connected) process.send?.(report);
};

function onBroadcast(): void {
  const now = monotonicMicros();
  if (received === 0) firstUs = now;
  lastUs = now;
  received++;
}

function open(command: Extract<BenchClientCommand, { type: 'connect' }>, index: number): Promise<void> {
  return new Promise((resolve) => {
    let url = command.url;
    if (command.flavor === 'parley') url += `?token=${signToken(command.secret ?? '', asUserId(`${command.userPrefix}-${index}`), 24 * 3600)}`;
    if (command.flavor === 'socketio') url += '/socket.io/?EIO=4&transport=websocket';
    const socket = new WebSocket(url, { perMessageDeflate: false, ...(command.localAddress ? { localAddress: command.localAddress } : {}), handshakeTimeout: 30_000 });
    let ready = false;
    const done = (ok: boolean): void => {
      if (ready) return;
      ready = true;
      if (ok) connected++;
      else failed++;
      resolve();
    };
    socket.on('error', () => done(false));
    socket.on('close', () => done(false));
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
  const started = Date.now();
  const waits: Array<Promise<void>> = [];
  for (let i = 0; i < command.count; i++) {
    const due = started + (i * 1000) / command.rampPerSec;
    const delay = due - Date.now();
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    waits.push(open(command, i));
  }
  await Promise.all(waits);
  post({ type: 'connected', connected, failed });
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
