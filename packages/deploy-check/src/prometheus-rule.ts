// The prometheus-operator PrometheusRule carrying deploy/prometheus/parley-rules.yml, the one
// source of parley's alert rules: plain Prometheus loads the file, Kubernetes gets this
// object (k8s/components/monitoring/prometheusrule.yaml, written by
// `npm run generate:prometheusrule`; a unit test keeps it equal to what this renders).
import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { repoPath } from './repo';

export const RULES_FILE = 'deploy/prometheus/parley-rules.yml';
export const PROMETHEUS_RULE_FILE = 'k8s/components/monitoring/prometheusrule.yaml';

const HEADER = `# Generated from ${RULES_FILE} by \`npm run generate:prometheusrule\`: edit that file, not this one.\n`;

export function prometheusRuleYaml(rulesYaml: string = readFileSync(repoPath(RULES_FILE), 'utf8')): string {
  const rules = parse(rulesYaml) as { groups: unknown[] };
  const object = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      name: 'parley',
      labels: { 'app.kubernetes.io/name': 'parley', 'app.kubernetes.io/component': 'alerts' },
    },
    spec: { groups: rules.groups },
  };
  return HEADER + stringify(object, { lineWidth: 0 });
}
