// The Prometheus adapter rules serve exactly the metrics the prod autoscalers ask for, from
// series parley registers, with queries Prometheus parses once the adapter fills them in.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { fastTools, K8sObject, kustomizeBuild, metricNamesIn, objectsOfKind, registeredSeriesNames, repoPath, runTool } from '../../src';

interface AdapterRule {
  seriesQuery: string;
  resources: { overrides: Record<string, { resource: string }> };
  name: { matches: string; as: string };
  metricsQuery: string;
}

const adapter = parse(readFileSync(repoPath('deploy/prometheus-adapter/parley-adapter-rules.yaml'), 'utf8')) as { rules: AdapterRule[]; externalRules: AdapterRule[] };
const tools = fastTools();

interface Hpa extends K8sObject {
  spec: { metrics: Array<{ type: string; pods?: { metric: { name: string } }; external?: { metric: { name: string; selector?: { matchLabels?: Record<string, string> } } } }> };
}

it('serves every custom and external metric the prod autoscalers use', () => {
  const hpas = objectsOfKind<Hpa>(kustomizeBuild(tools.kustomize, 'k8s/overlays/prod').objects, 'HorizontalPodAutoscaler');
  const pods = new Set(hpas.flatMap((h) => h.spec.metrics.flatMap((m) => (m.pods ? [m.pods.metric.name] : []))));
  const external = new Set(hpas.flatMap((h) => h.spec.metrics.flatMap((m) => (m.external ? [m.external.metric.name] : []))));
  expect(pods.size).toBeGreaterThan(0);
  expect(external.size).toBeGreaterThan(0);
  expect(new Set(adapter.rules.map((r) => r.name.as))).toEqual(pods);
  expect(new Set(adapter.externalRules.map((r) => r.name.as))).toEqual(external);
  // Pod metrics are per pod and namespace; external ones per namespace, selected by label.
  for (const rule of adapter.rules) expect(Object.values(rule.resources.overrides).map((o) => o.resource).sort()).toEqual(['namespace', 'pod']);
  for (const rule of adapter.externalRules) expect(Object.values(rule.resources.overrides).map((o) => o.resource)).toEqual(['namespace']);
  const selectorLabels = hpas.flatMap((h) => h.spec.metrics.flatMap((m) => Object.keys(m.external?.metric.selector?.matchLabels ?? {})));
  for (const label of selectorLabels) for (const rule of adapter.externalRules) expect(rule.metricsQuery).toContain(`by (${label})`);
});

it('reads registered series, with queries Prometheus parses once filled in', async () => {
  const registered = await registeredSeriesNames();
  const rules = [...adapter.rules, ...adapter.externalRules];
  const filled = rules.map((rule, i) => {
    const series = metricNamesIn(rule.seriesQuery);
    expect(series).toHaveLength(1);
    expect(registered).toContain(series[0]);
    expect(new RegExp(rule.name.matches).test(series[0]!)).toBe(true);
    const expr = rule.metricsQuery.replace(/<<\.Series>>/g, series[0]!).replace(/<<\.LabelMatchers>>/g, 'namespace="parley"').replace(/<<\.GroupBy>>/g, 'pod');
    expect(expr).not.toContain('<<');
    return { record: `parley_adapter:rule_${i}`, expr };
  });
  const dir = mkdtempSync(join(tmpdir(), 'parley-adapter-'));
  try {
    const file = join(dir, 'adapter-queries.yml');
    writeFileSync(file, stringify({ groups: [{ name: 'adapter', rules: filled }] }));
    const result = runTool(tools.promtool, ['check', 'rules', file]);
    expect({ status: result.status, output: result.stdout + result.stderr }).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
