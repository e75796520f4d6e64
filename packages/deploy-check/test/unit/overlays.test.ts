// Every overlay renders with kustomize, and every object it renders (Kubernetes kinds and the
// prometheus-operator's custom resources) passes strict schema validation, offline.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fastTools, kubeconform, kustomizeBuild, OVERLAYS, writeCrdSchemas } from '../../src';

const tools = fastTools();
let crdSchemas: string;

beforeAll(() => {
  crdSchemas = mkdtempSync(join(tmpdir(), 'parley-crd-schemas-'));
  const kinds = writeCrdSchemas(tools.prometheusOperatorCrds, crdSchemas);
  expect(kinds).toEqual(expect.arrayContaining(['monitoring.coreos.com/v1 ServiceMonitor', 'monitoring.coreos.com/v1 PodMonitor', 'monitoring.coreos.com/v1 PrometheusRule']));
});

afterAll(() => {
  if (crdSchemas) rmSync(crdSchemas, { recursive: true, force: true });
});

function validate(yaml: string) {
  return kubeconform(tools.kubeconform, yaml, { kubernetes: tools.kubernetesSchemas, kubernetesVersion: tools.kubernetesVersion, crds: crdSchemas });
}

describe.each(OVERLAYS)('k8s/overlays/%s', (overlay) => {
  const rendered = () => kustomizeBuild(tools.kustomize, `k8s/overlays/${overlay}`);

  it('renders the three services', () => {
    const deployments = rendered()
      .objects.filter((object) => object.kind === 'Deployment' && object.metadata.labels?.['app.kubernetes.io/name'] === 'parley')
      .map((object) => object.metadata.name)
      .sort();
    expect(deployments).toEqual(['parley-delivery', 'parley-gateway', 'parley-sequencer']);
  });

  it('passes strict schema validation, every object checked against a schema', () => {
    const { yaml, objects } = rendered();
    const report = validate(yaml);
    const problems = report.resources.filter((resource) => resource.status !== 'statusValid').map((r) => `${r.kind} ${r.name}: ${r.status} ${r.msg}`);
    expect(problems).toEqual([]);
    expect(report.summary.valid).toBe(objects.length);
  });
});

describe('the schema check itself', () => {
  it('refuses an unknown field in a Deployment and in a ServiceMonitor, and a kind it has no schema for', () => {
    const yaml = [
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      terminationGracePeriodSecs: 30\n      containers: [{name: c, image: i}]\n',
      'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: b}\nspec:\n  selector: {}\n  endpoints: [{port: http, intervall: 30s}]\n',
      'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: c}\n',
    ].join('---\n');
    const statuses = validate(yaml).resources.map((r) => `${r.kind} ${r.status}`).sort();
    expect(statuses).toEqual(['Deployment statusInvalid', 'ServiceMonitor statusInvalid', 'Widget statusError']);
  });
});
