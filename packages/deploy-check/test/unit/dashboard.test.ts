// The Grafana dashboard: valid JSON with the panels an operator needs, every query reading
// only metrics parley registers and variables the dashboard defines. (The control-plane tier
// runs every query against a Prometheus scraping the real services.)
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { dashboardQueries, fastTools, GRAFANA_BUILTINS, loadDashboard, metricNamesIn, registeredSeriesNames, repoPath, runTool, variablesIn, withVariables } from '../../src';

const dashboard = loadDashboard();
const queries = dashboardQueries(dashboard);

it('has a panel for each thing an operator watches, each with a description and queries', () => {
  const titles = dashboard.panels.filter((p) => p.type !== 'row').map((p) => p.title);
  for (const title of [
    'Connections per gateway',
    'Packets by type',
    'send → msg:N latency',
    'send → ack:N latency',
    'Re-deliveries',
    'Dedupe hits',
    'Inbox: pending acks and outcomes',
    'Consumer lag per service',
    'Errors by code',
    'Rejected upgrades',
    'Event-loop lag',
    'Memory',
  ]) {
    expect(titles).toContain(title);
  }
  for (const panel of dashboard.panels.filter((p) => p.type !== 'row')) {
    expect({ panel: panel.title, described: (panel.description ?? '').length > 20, queries: (panel.targets ?? []).length > 0, datasource: panel.datasource?.uid }).toEqual({
      panel: panel.title,
      described: true,
      queries: true,
      datasource: '${datasource}',
    });
  }
  const ids = dashboard.panels.map((p) => p.id);
  expect(new Set(ids).size).toBe(ids.length);
});

it('queries only metrics the code registers', async () => {
  const registered = await registeredSeriesNames();
  expect(queries.length).toBeGreaterThan(20);
  const unknown = queries.flatMap((q) => metricNamesIn(q.expr).filter((name) => !registered.has(name)).map((name) => `${q.panel} ${q.refId}: ${name}`));
  expect(unknown).toEqual([]);
  for (const q of queries) expect(metricNamesIn(q.expr).length).toBeGreaterThan(0);
});

it('uses only variables it defines or Grafana provides, and all of them can be substituted', () => {
  const defined = new Set([...dashboard.templating.list.map((v) => v.name), ...GRAFANA_BUILTINS]);
  for (const q of queries) {
    for (const variable of variablesIn(q.expr)) expect(defined).toContain(variable);
    expect(withVariables(q.expr, dashboard)).not.toContain('$');
  }
  expect(withVariables('rate(parley_packets_total{namespace=~"$namespace"}[$__rate_interval])', dashboard)).toBe('rate(parley_packets_total{namespace=~".*"}[1m])');
});

it('has queries Prometheus parses (promtool, each query as a recording rule)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-dashboard-'));
  try {
    const file = join(dir, 'dashboard-queries.yml');
    const rules = queries.map((q, i) => ({ record: `parley_dashboard:query_${i}`, expr: withVariables(q.expr, dashboard) }));
    writeFileSync(file, stringify({ groups: [{ name: 'dashboard', rules }] }));
    const result = runTool(fastTools().promtool, ['check', 'rules', file]);
    expect({ status: result.status, output: result.stdout + result.stderr }).toEqual({ status: 0, output: expect.stringContaining(`SUCCESS: ${queries.length} rules found`) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('describes every panel in docs/DEPLOY.md', () => {
  const doc = readFileSync(repoPath('docs/DEPLOY.md'), 'utf8');
  for (const panel of dashboard.panels.filter((p) => p.type !== 'row')) expect(doc).toContain(`| ${panel.title} |`);
});
