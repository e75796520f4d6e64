// Owns the small HTTP GETs the deployment checks make against running services.
export interface HttpAnswer {
  status: number;
  body: string;
}

/** GET `url`, giving up after `timeoutMs`; rejects on connection errors. */
export async function httpGet(url: string, timeoutMs = 5000): Promise<HttpAnswer> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return { status: res.status, body: await res.text() };
}

/** True when `url` answers 200 (false on any error). */
export async function answersOk(url: string): Promise<boolean> {
  try {
    return (await httpGet(url)).status === 200;
  } catch {
    return false;
  }
}
