// A `fetch` for the long-poll transport in Node built on node:http and node:https, for what
// the global fetch of Node cannot do without an extra package: trusting a private CA (or
// presenting a client certificate) on `https://` only for parley's requests. Keeps its
// connections alive between requests (a long-poll link makes one request per hold and per
// send batch); idle ones do not keep the process running.
import http from 'node:http';
import https from 'node:https';
import type { FetchFunction, FetchInit, FetchResponse } from './transport.long-poll';
import type { NodeTlsOptions } from './node-tls';

export interface NodeFetchOptions {
  /** TLS options of `https://` URLs (`ca` for a private CA); unused for `http://`. */
  readonly tls?: NodeTlsOptions;
}

/** A FetchFunction that can drop the connections it keeps alive. */
export type NodeFetch = FetchFunction & {
  /** Closes its idle kept-alive connections now, and any in use once their answer came (a process that ends need not call it). */
  close(): void;
};

/** A FetchFunction over node:http/https (pass it as the long-poll transport's `fetch`). */
export function nodeFetch(options: NodeFetchOptions = {}): NodeFetch {
  const agents = {
    'http:': new http.Agent({ keepAlive: true }),
    'https:': new https.Agent({ keepAlive: true, ...options.tls }),
  };
  const fetch: FetchFunction = (url, init) => request(url, init, agents);
  return Object.assign(fetch, {
    close: () => {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  });
}

function request(url: string, init: FetchInit, agents: { 'http:': http.Agent; 'https:': https.Agent }): Promise<FetchResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    if (target.protocol !== 'http:' && target.protocol !== 'https:') return reject(new Error(`unsupported URL scheme ${target.protocol}`));
    if (init.signal?.aborted) return reject(abortError());
    const send = target.protocol === 'https:' ? https.request : http.request;
    const headers: Record<string, string | number> = { ...init.headers };
    if (init.body) headers['content-length'] = init.body.byteLength;
    const req = send(target, { method: init.method, headers, agent: agents[target.protocol] });
    const onAbort = (): void => {
      req.destroy(abortError());
    };
    init.signal?.addEventListener('abort', onAbort, { once: true });
    const settled = (): void => init.signal?.removeEventListener('abort', onAbort);
    req.once('error', (err) => {
      settled();
      reject(err);
    });
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      const body = new Promise<ArrayBuffer>((done, fail) => {
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('end', () => {
          settled();
          const all = Buffer.concat(chunks);
          done(all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer);
        });
        res.once('error', (err) => {
          settled();
          fail(err);
        });
        req.once('error', fail);
      });
      // Read at once (whether or not the caller asks): an unread body would hold the connection.
      body.catch(() => undefined);
      resolve({
        status: res.statusCode ?? 0,
        headers: {
          get: (name) => {
            const value = res.headers[name.toLowerCase()];
            return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
          },
        },
        arrayBuffer: () => body,
      });
    });
    req.end(init.body ? Buffer.from(init.body.buffer, init.body.byteOffset, init.body.byteLength) : undefined);
  });
}

function abortError(): Error {
  const err = new Error('the request was aborted');
  err.name = 'AbortError';
  return err;
}
