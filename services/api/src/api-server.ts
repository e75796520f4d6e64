// The server API's HTTP listener (node:http: a low-volume, trusted caller, unlike the
// gateway's client port): authenticates, reads a bounded JSON body, dispatches from the
// route table and answers JSON, refusals in the error format of api-error.ts.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorCode, ParleyError } from '@parley/protocol';
import { isTransientFailure } from '@parley/runtime';
import type { Logger } from '@parley/observability';
import { ApiError, errorBody } from './api-error';
import type { ApiAuth } from './api-auth';
import { readRequestHead, type JsonObject } from './request-input';
import { matchRoute, RouteContext } from './routes';
import type { ApiMetrics } from './api-metrics';

export interface ApiServerOptions {
  readonly host: string;
  readonly port: number;
  readonly auth: ApiAuth;
  readonly context: RouteContext;
  readonly maxBodyBytes: number;
  readonly logger: Logger;
  readonly metrics: ApiMetrics;
}

export class ApiServer {
  private server: http.Server | undefined;

  constructor(private readonly options: ApiServerOptions) {}

  async listen(): Promise<number> {
    const server = http.createServer((req, res) => void this.serve(req, res));
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, this.options.host, () => resolve());
    });
    this.server = server;
    return (server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const started = process.hrtime.bigint();
    let routeName = 'unknown';
    let status = 500;
    try {
      const { method, url, authorization } = readRequestHead(req);
      const match = matchRoute(method, url.pathname);
      if (match === undefined) throw new ApiError(404, ErrorCode.INVALID_FIELD, `no route ${url.pathname}`);
      if (match === 'method') throw new ApiError(405, ErrorCode.INVALID_FIELD, `${method} is not allowed on ${url.pathname}`);
      routeName = `${match.route.method} ${match.route.path}`;
      this.options.auth.check(authorization);
      const body = match.route.hasBody ? await this.readBody(req) : {};
      const result = await match.route.handle(this.options.context, { params: match.params, query: url.searchParams, body });
      status = 200;
      this.answer(res, 200, result);
    } catch (err) {
      const error = asApiError(err);
      status = error.status;
      if (status >= 500) this.options.logger.warn({ err, route: routeName }, 'server API request failed');
      this.answer(res, status, errorBody(error));
    } finally {
      this.options.metrics.requests.inc({ route: routeName, status: String(status) });
      this.options.metrics.latency.observe({ route: routeName }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  private answer(res: http.ServerResponse, status: number, body: unknown): void {
    if (res.headersSent || res.destroyed) return;
    const bytes = Buffer.from(JSON.stringify(body));
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes.byteLength });
    res.end(bytes);
  }

  private readBody(req: http.IncomingMessage): Promise<JsonObject> {
    const limit = this.options.maxBodyBytes;
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.byteLength;
        if (size > limit) {
          reject(new ApiError(413, ErrorCode.FRAME_TOO_LARGE, `request body over ${limit} bytes`));
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      req.on('error', reject);
      req.on('end', () => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        } catch {
          reject(new ApiError(400, ErrorCode.MALFORMED_FRAME, 'the body is not JSON'));
          return;
        }
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) reject(new ApiError(400, ErrorCode.MALFORMED_FRAME, 'the body must be a JSON object'));
        else resolve(parsed as JsonObject);
      });
    });
  }
}

/** Refusals keep their code; a store or bus outage is UNAVAILABLE (retry); anything else INTERNAL. */
function asApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof URIError) return new ApiError(400, ErrorCode.INVALID_FIELD, 'a path parameter is not valid percent-encoding');
  if (err instanceof ParleyError) return new ApiError(400, err.code, err.message);
  if (isTransientFailure(err)) return new ApiError(503, ErrorCode.UNAVAILABLE, 'a store is unavailable; retry');
  return new ApiError(500, ErrorCode.INTERNAL, 'unexpected server failure; retry');
}
