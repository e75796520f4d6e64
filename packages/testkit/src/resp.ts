// Owns a minimal Redis (RESP2) client: one command per connection, for health probes and for
// tests that need a couple of raw commands without a Redis library.
import net from 'node:net';

export type RespValue = string | number | null | RespValue[];

export interface RespOptions {
  host?: string;
  timeoutMs?: number;
}

function encode(args: readonly (string | number)[]): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
  for (const arg of args) {
    const b = Buffer.from(String(arg));
    parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

class Incomplete extends Error {}

/** Parses one reply at `pos`; throws Incomplete when more bytes are needed. */
function parse(buf: Buffer, pos: number): { value: RespValue; next: number } {
  const eol = buf.indexOf('\r\n', pos);
  if (eol < 0) throw new Incomplete();
  const type = String.fromCharCode(buf[pos] as number);
  const line = buf.toString('utf8', pos + 1, eol);
  const after = eol + 2;
  switch (type) {
    case '+':
      return { value: line, next: after };
    case '-':
      throw new Error(`redis error reply: ${line}`);
    case ':':
      return { value: Number(line), next: after };
    case '$': {
      const len = Number(line);
      if (len < 0) return { value: null, next: after };
      if (buf.length < after + len + 2) throw new Incomplete();
      return { value: buf.toString('utf8', after, after + len), next: after + len + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, next: after };
      const items: RespValue[] = [];
      let next = after;
      for (let i = 0; i < count; i++) {
        const item = parse(buf, next);
        items.push(item.value);
        next = item.next;
      }
      return { value: items, next };
    }
    default:
      throw new Error(`unexpected RESP type byte ${JSON.stringify(type)}`);
  }
}

/** Sends one command, resolves with its reply; rejects on an error reply, socket error or timeout. */
export function respCommand(
  port: number,
  args: readonly (string | number)[],
  opts: RespOptions = {},
): Promise<RespValue> {
  const host = opts.host ?? '127.0.0.1';
  const timeoutMs = opts.timeoutMs ?? 2000;
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    let settled = false;
    const socket = net.connect({ host, port });
    const finish = (err: Error | null, value?: RespValue): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (err) reject(err);
      else resolve(value as RespValue);
    };
    const timer = setTimeout(
      () => finish(new Error(`redis ${host}:${port} did not reply to ${String(args[0])} within ${timeoutMs}ms`)),
      timeoutMs,
    );
    socket.once('connect', () => socket.write(encode(args)));
    socket.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      try {
        finish(null, parse(buf, 0).value);
      } catch (err) {
        if (!(err instanceof Incomplete)) finish(err as Error);
      }
    });
    socket.once('error', (err) => finish(err));
    socket.once('close', () => finish(new Error(`redis ${host}:${port} closed the connection`)));
  });
}
