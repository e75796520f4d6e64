// Writing the gateway's HTTP answers: status, headers and body in the order uWS requires
// (status first), always uncacheable, with the JSON refusal body `{code, message}` of
// docs/PROTOCOL.md. Callers after an `await` wrap these in `res.cork`.
import type * as uws from 'uWebSockets.js';
import type { Refusal } from './admission';

export type HeaderList = ReadonlyArray<readonly [string, string]>;

/** Ends `res`; no body (`undefined`) writes no Content-Length, as a 204 requires. */
export function writeAnswer(res: uws.HttpResponse, status: string, headers: HeaderList, body?: uws.RecognizedString, closeConnection = false): void {
  res.writeStatus(status);
  for (const [name, value] of headers) res.writeHeader(name, value);
  res.writeHeader('cache-control', 'no-store');
  // endWithoutBody() only without arguments: given `undefined` it writes a bogus Content-Length.
  if (body !== undefined) res.end(body, closeConnection);
  else if (closeConnection) res.end('', true);
  else res.endWithoutBody();
}

export function writeJson(res: uws.HttpResponse, status: string, body: object, headers: HeaderList = [], closeConnection = false): void {
  writeAnswer(res, status, [['content-type', 'application/json'], ...headers], JSON.stringify(body), closeConnection);
}

export function writeRefusal(res: uws.HttpResponse, refusal: Refusal, headers: HeaderList = [], closeConnection = false): void {
  const retry: HeaderList = refusal.retryAfterSec === undefined ? [] : [['retry-after', String(refusal.retryAfterSec)]];
  writeJson(res, refusal.status, { code: refusal.code, message: refusal.message }, [...retry, ...headers], closeConnection);
}

/** The peer's IP address as text (read synchronously, like everything from a request). */
export function remoteAddress(res: uws.HttpResponse): string {
  return Buffer.from(res.getRemoteAddressAsText()).toString();
}
