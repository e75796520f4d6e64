// parley's alert rules: promtool accepts them, their unit tests pass, every alert has a test
// that fires it and one where it stays silent, they read only metrics parley registers, and
// the Kubernetes PrometheusRule carries exactly the same rules.
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { fastTools, metricNamesIn, PROMETHEUS_RULE_FILE, prometheusRuleYaml, registeredSeriesNames, repoPath, RULES_FILE, runTool } from '../../src';

const tools = fastTools();
const testFiles = readdirSync(repoPath('deploy/prometheus')).filter((name) => name.endsWith('-test.yml'));

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
}
interface RuleTest {
  alert_rule_test?: Array<{ alertname: string; exp_alerts?: unknown[] }>;
}

const rules = (parse(readFileSync(repoPath(RULES_FILE), 'utf8')) as { groups: Array<{ rules: Rule[] }> }).groups.flatMap((group) => group.rules);

it('passes promtool check rules', () => {
  const result = runTool(tools.promtool, ['check', 'rules', repoPath(RULES_FILE)]);
  expect(result.stderr + result.stdout).toContain('SUCCESS');
  expect(result.status).toBe(0);
});

it('passes its promtool unit tests', () => {
  expect(testFiles.length).toBeGreaterThan(0);
  const result = runTool(tools.promtool, ['test', 'rules', ...testFiles], { cwd: repoPath('deploy/prometheus') });
  expect({ status: result.status, output: result.stdout + result.stderr }).toEqual({ status: 0, output: expect.stringContaining('SUCCESS') });
});

it('has, for every alert, a test where it fires and one where it stays silent', () => {
  const cases = testFiles.flatMap((file) => (parse(readFileSync(repoPath('deploy/prometheus', file), 'utf8')) as { tests: RuleTest[] }).tests.flatMap((t) => t.alert_rule_test ?? []));
  const alerts = rules.map((rule) => rule.alert).filter((name): name is string => name !== undefined);
  expect(alerts.length).toBeGreaterThanOrEqual(10);
  for (const alert of alerts) {
    const mine = cases.filter((c) => c.alertname === alert);
    expect({ alert, fires: mine.some((c) => (c.exp_alerts ?? []).length > 0), silent: mine.some((c) => (c.exp_alerts ?? []).length === 0) }).toEqual({ alert, fires: true, silent: true });
  }
});

it('reads only metrics the code registers', async () => {
  const registered = await registeredSeriesNames();
  const unknown = rules.flatMap((rule) => metricNamesIn(rule.expr).filter((name) => !registered.has(name)).map((name) => `${rule.alert ?? rule.record}: ${name}`));
  expect(unknown).toEqual([]);
});

it('ships the same rules as a PrometheusRule (npm run generate:prometheusrule)', () => {
  expect(readFileSync(repoPath(PROMETHEUS_RULE_FILE), 'utf8')).toBe(prometheusRuleYaml());
});

it('explains every alert in docs/DEPLOY.md, where its runbook annotation points', () => {
  const headings = new Set([...readFileSync(repoPath('docs/DEPLOY.md'), 'utf8').matchAll(/^#{2,4} (.+)$/gm)].map((m) => m[1]!.trim().toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')));
  for (const rule of rules.filter((r) => r.alert)) {
    const runbook = (rule as Rule & { annotations: { runbook: string } }).annotations.runbook;
    expect(runbook).toBe(`docs/DEPLOY.md#${rule.alert!.toLowerCase()}`);
    expect(headings).toContain(rule.alert!.toLowerCase());
  }
});
