// Owns a throwaway Prometheus (the build with Kubernetes service discovery) and its HTTP API:
// instant queries, PromQL parsing (/api/v1/parse_query) and the vector selectors an expression
// reads, taken from the parsed syntax tree rather than from the text.
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '@parley/testkit';
import { startDaemon, type Daemon } from './daemon';
import { answersOk } from './http-probe';

export interface PrometheusHandle {
  readonly url: string;
  readonly daemon: Daemon;
  query(expr: string): Promise<Sample[]>;
  parse(expr: string): Promise<PromqlNode>;
  stop(): Promise<void>;
}

export interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface PromqlNode {
  type: string;
  [field: string]: unknown;
}

export interface Matcher {
  type: string;
  name: string;
  value: string;
}

export async function startPrometheus(binDir: string, dir: string, config: string): Promise<PrometheusHandle> {
  fs.mkdirSync(dir, { recursive: true });
  const configFile = path.join(dir, 'prometheus.yml');
  fs.writeFileSync(configFile, config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const daemon = startDaemon({
    name: 'prometheus',
    command: path.join(binDir, 'prometheus'),
    logFile: path.join(dir, 'prometheus.log'),
    args: [
      `--config.file=${configFile}`, `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn',
    ],
  });
  await daemon.waitUntil(() => answersOk(`${url}/-/ready`), '/-/ready');

  const api = async (endpoint: string, expr: string): Promise<unknown> => {
    const res = await fetch(`${url}/api/v1/${endpoint}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query: expr }).toString(),
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await res.json()) as { status: string; data?: unknown; error?: string };
    if (body.status !== 'success') throw new Error(`${endpoint} ${JSON.stringify(expr)}: ${body.error ?? res.status}`);
    return body.data;
  };
  return {
    url,
    daemon,
    query: async (expr) => {
      const data = (await api('query', expr)) as { resultType: string; result: Sample[] | [number, string] };
      if (data.resultType === 'scalar') return [{ metric: {}, value: data.result as [number, string] }];
      return data.result as Sample[];
    },
    parse: async (expr) => (await api('parse_query', expr)) as PromqlNode,
    stop: () => daemon.stop(),
  };
}

/** Every vector selector in a parsed expression (matrix selectors and subqueries included). */
export function vectorSelectors(node: unknown): Matcher[][] {
  const found: Matcher[][] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) {
      n.forEach(walk);
      return;
    }
    if (n === null || typeof n !== 'object') return;
    const obj = n as Record<string, unknown>;
    if (obj.type === 'vectorSelector' && Array.isArray(obj.matchers)) found.push(obj.matchers as Matcher[]);
    for (const value of Object.values(obj)) walk(value);
  };
  walk(node);
  return found;
}

/** PromQL text of a selector given by its matchers. */
export function selectorText(matchers: readonly Matcher[]): string {
  return `{${matchers.map((m) => `${m.name}${m.type}${JSON.stringify(m.value)}`).join(', ')}}`;
}

export function metricNameOf(matchers: readonly Matcher[]): string {
  return matchers.find((m) => m.name === '__name__')?.value ?? selectorText(matchers);
}
