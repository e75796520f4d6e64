// The metric names parley's processes can expose: the prom-client registrations in the
// services' and packages' sources, plus the default Node.js/process metrics every registry
// collects (createRegistry). A cheap static view; the control-plane tier queries a live
// Prometheus scraping the real processes.
import { createRegistry } from '@parley/observability';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoPath } from './repo';

/** Series Prometheus itself adds to every scrape. */
const SCRAPE_SERIES = ['up', 'scrape_duration_seconds', 'scrape_samples_scraped'];

const REGISTRATION = /new\s+(Counter|Gauge|Histogram|Summary)\s*(?:<[^>]*>)?\(\s*\{\s*name:\s*'([a-zA-Z_:][a-zA-Z0-9_:]*)'/g;

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist' || entry === 'gen') continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (entry.endsWith('.ts') && !entry.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

function seriesNames(name: string, type: string): string[] {
  if (type === 'histogram') return [`${name}_bucket`, `${name}_sum`, `${name}_count`];
  if (type === 'summary') return [name, `${name}_sum`, `${name}_count`];
  return [name];
}

/** prom-client registrations `new Counter({ name: '...' })` in services/*\/src and packages/*\/src, name -> type. */
export function parleyRegistrations(): Map<string, string> {
  const found = new Map<string, string>();
  for (const top of ['services', 'packages']) {
    for (const pkg of readdirSync(repoPath(top))) {
      const src = repoPath(top, pkg, 'src');
      try {
        if (!statSync(src).isDirectory()) continue;
      } catch {
        continue;
      }
      for (const file of sourceFiles(src)) {
        for (const match of readFileSync(file, 'utf8').matchAll(REGISTRATION)) found.set(match[2]!, match[1]!.toLowerCase());
      }
    }
  }
  return found;
}

/** Every series name a scrape of a parley process can hold (histograms expanded). */
export async function registeredSeriesNames(): Promise<Set<string>> {
  const names = new Set<string>(SCRAPE_SERIES);
  for (const [name, type] of parleyRegistrations()) for (const series of seriesNames(name, type)) names.add(series);
  const defaults = await createRegistry().getMetricsAsJSON();
  for (const metric of defaults) for (const series of seriesNames(metric.name, String(metric.type))) names.add(series);
  return names;
}
