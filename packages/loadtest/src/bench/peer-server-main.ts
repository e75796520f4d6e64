// A peer server for the benchmark, alone in its process: raw uWebSockets.js (the same
// package parley's gateway uses), `ws`, or Socket.IO. Every client joins one topic/room;
// a client's text message `burst:<count>:<bytes>` makes the server broadcast <count>
// messages of <bytes> to all of them, in slices so the server never queues everything at once.
import { createServer } from 'node:http';
import { WebSocketServer, WebSocket as WsSocket } from 'ws';
import { Server as SocketIoServer } from 'socket.io';

export type PeerKind = 'uws' | 'ws' | 'socketio';

const BROADCASTS_PER_SLICE = 20;
const TOPIC = 'all';

function parseBurst(text: string): { count: number; bytes: number } | undefined {
  const m = /^burst:(\d+):(\d+)$/.exec(text);
  return m ? { count: Number(m[1]), bytes: Number(m[2]) } : undefined;
}

/** Broadcasts `count` payloads through `publish`, a slice per event-loop turn. */
function burst(count: number, bytes: number, publish: (payload: string) => void): void {
  const payload = 'x'.repeat(bytes);
  let left = count;
  const slice = (): void => {
    for (let i = 0; i < BROADCASTS_PER_SLICE && left > 0; i++, left--) publish(payload);
    if (left > 0) setImmediate(slice);
  };
  slice();
}

function startUws(port: number): void {
  const uws = require('uWebSockets.js') as typeof import('uWebSockets.js');
  if (!('getParts' in uws)) throw new Error('uWebSockets.js loaded its JavaScript fallback, not the native build');
  const app = uws.App();
  app.ws('/*', {
    idleTimeout: 0,
    maxBackpressure: 64 * 1024 * 1024,
    open: (ws) => {
      ws.subscribe(TOPIC);
    },
    message: (_ws, message) => {
      const b = parseBurst(Buffer.from(message).toString('utf8'));
      if (b) burst(b.count, b.bytes, (payload) => app.publish(TOPIC, payload, false));
    },
  });
  app.listen('127.0.0.1', port, (token) => {
    if (!token) throw new Error(`uws: cannot listen on ${port}`);
    process.send?.({ type: 'listening' });
  });
}

function startWs(port: number): void {
  const server = createServer();
  const wss = new WebSocketServer({ server, perMessageDeflate: false, clientTracking: true });
  wss.on('connection', (socket) => {
    socket.on('message', (data) => {
      const b = parseBurst(data.toString());
      if (b)
        burst(b.count, b.bytes, (payload) => {
          for (const client of wss.clients) if (client.readyState === WsSocket.OPEN) client.send(payload);
        });
    });
  });
  server.listen(port, '127.0.0.1', () => process.send?.({ type: 'listening' }));
}

function startSocketIo(port: number): void {
  const server = createServer();
  const io = new SocketIoServer(server, { transports: ['websocket'], perMessageDeflate: false, httpCompression: false, pingInterval: 25_000, pingTimeout: 60_000 });
  io.on('connection', (socket) => {
    void socket.join(TOPIC);
    socket.on('burst', (text: string) => {
      const b = parseBurst(text);
      if (b) burst(b.count, b.bytes, (payload) => io.to(TOPIC).emit('m', payload));
    });
  });
  server.listen(port, '127.0.0.1', () => process.send?.({ type: 'listening' }));
}

const [kind, portText] = process.argv.slice(2);
const port = Number(portText);
switch (kind as PeerKind) {
  case 'uws':
    startUws(port);
    break;
  case 'ws':
    startWs(port);
    break;
  case 'socketio':
    startSocketIo(port);
    break;
  default:
    throw new Error(`unknown peer server ${kind}`);
}
process.on('disconnect', () => process.exit(0));
