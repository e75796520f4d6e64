// Writes k8s/components/monitoring/prometheusrule.yaml from deploy/prometheus/parley-rules.yml.
import { writeFileSync } from 'node:fs';
import { PROMETHEUS_RULE_FILE, prometheusRuleYaml } from './prometheus-rule';
import { repoPath } from './repo';

writeFileSync(repoPath(PROMETHEUS_RULE_FILE), prometheusRuleYaml());
console.log(`wrote ${PROMETHEUS_RULE_FILE}`);
