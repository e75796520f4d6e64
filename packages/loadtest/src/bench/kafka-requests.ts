// Kafka requests a parley process has had answered so far, by API, read from its /metrics
// (`parley_kafka_requests_total{api}`): the bench counts what a message costs the broker in
// requests (Produce, Fetch, OffsetCommit, Heartbeat, ...) beside its CPU.

const METRIC = 'parley_kafka_requests_total';

/** Requests per API name from a Prometheus text (nothing when the process has no Kafka). */
export function parseKafkaRequests(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${METRIC}{`)) continue;
    const match = /api="([^"]*)"[^}]*\}\s+(\S+)/.exec(line);
    const value = match ? Number(match[2]) : NaN;
    if (match && Number.isFinite(value)) out[match[1]!] = (out[match[1]!] ?? 0) + value;
  }
  return out;
}

/** Requests per API of every process that has a /metrics URL; a process that does not answer is left out. */
export async function kafkaRequests(metricsUrls: Readonly<Record<string, string>>, timeoutMs = 5_000): Promise<Record<string, Record<string, number>>> {
  const entries = await Promise.all(
    Object.entries(metricsUrls).map(async ([name, url]) => {
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
        return [name, parseKafkaRequests(await response.text())] as const;
      } catch {
        return undefined;
      }
    }),
  );
  return Object.fromEntries(entries.filter((e): e is NonNullable<typeof e> => e !== undefined));
}

/** Per process, per API: (requests in the window − idle requests per second × window) ÷ messages. */
export function kafkaRequestsPerMessage(
  idleFrom: Readonly<Record<string, Record<string, number>>>,
  idleTo: Readonly<Record<string, Record<string, number>>>,
  windowFrom: Readonly<Record<string, Record<string, number>>>,
  windowTo: Readonly<Record<string, Record<string, number>>>,
  idleSec: number,
  windowSec: number,
  messages: number,
): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  if (messages <= 0 || idleSec <= 0) return out;
  for (const [name, to] of Object.entries(windowTo)) {
    const from = windowFrom[name];
    if (!from) continue;
    const perApi: Record<string, number> = {};
    for (const [api, count] of Object.entries(to)) {
      const idle = (((idleTo[name]?.[api] ?? 0) - (idleFrom[name]?.[api] ?? 0)) / idleSec) * windowSec;
      perApi[api] = (count - (from[api] ?? 0) - idle) / messages;
    }
    out[name] = perApi;
  }
  return out;
}

/** `Produce 1.02, Fetch 0.31, ...` (largest first, under 0.005 left out) of one process. */
export function formatKafkaRequests(perApi: Readonly<Record<string, number>>): string {
  return Object.entries(perApi)
    .filter(([, n]) => n >= 0.005)
    .sort((a, b) => b[1] - a[1])
    .map(([api, n]) => `${api} ${n.toFixed(2)}`)
    .join(', ');
}
