// Every overlay renders with kustomize, and every object it renders (Kubernetes kinds and the
// prometheus-operator's custom resources) passes strict schema validation, offline.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fastTools, kubeconform, kubeconformFiles, KubeconformReport, kustomizeBuild, OVERLAYS, Rendered, writeCrdSchemas } from '../../src';

const tools = fastTools();
let work: string;
let schemas: { kubernetes: string; kubernetesVersion: string; crds: string };
const rendered = new Map<string, Rendered>();
let report: KubeconformReport;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'parley-kubeconform-'));
  schemas = { kubernetes: tools.kubernetesSchemas, kubernetesVersion: tools.kubernetesVersion, crds: join(work, 'crd-schemas') };
  const kinds = writeCrdSchemas(tools.prometheusOperatorCrds, schemas.crds);
  expect(kinds).toEqual(expect.arrayContaining(['monitoring.coreos.com/v1 ServiceMonitor', 'monitoring.coreos.com/v1 PodMonitor', 'monitoring.coreos.com/v1 PrometheusRule']));
  for (const overlay of OVERLAYS) {
    const output = kustomizeBuild(tools.kustomize, `k8s/overlays/${overlay}`);
    rendered.set(overlay, output);
    writeFileSync(join(work, `${overlay}.yaml`), output.yaml);
  }
  // Every overlay in one run: the schemas are compiled once.
  report = kubeconformFiles(tools.kubeconform, OVERLAYS.map((overlay) => join(work, `${overlay}.yaml`)), schemas);
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.each(OVERLAYS)('k8s/overlays/%s', (overlay) => {
  it('renders the four services', () => {
    const deployments = rendered
      .get(overlay)!
      .objects.filter((object) => object.kind === 'Deployment' && object.metadata.labels?.['app.kubernetes.io/name'] === 'parley')
      .map((object) => object.metadata.name)
      .sort();
    expect(deployments).toEqual(['parley-api', 'parley-delivery', 'parley-gateway', 'parley-sequencer']);
  });

  it('passes strict schema validation, every object checked against a schema', () => {
    const mine = report.resources.filter((resource) => resource.filename.endsWith(`/${overlay}.yaml`));
    const problems = mine.filter((resource) => resource.status !== 'statusValid').map((r) => `${r.kind} ${r.name}: ${r.status} ${r.msg}`);
    expect(problems).toEqual([]);
    expect(mine).toHaveLength(rendered.get(overlay)!.objects.length);
  });
});

describe('the schema check itself', () => {
  it('refuses an unknown field in a Deployment and in a ServiceMonitor, and a kind it has no schema for', () => {
    const yaml = [
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec:\n      terminationGracePeriodSecs: 30\n      containers: [{name: c, image: i}]\n',
      'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata: {name: b}\nspec:\n  selector: {}\n  endpoints: [{port: http, intervall: 30s}]\n',
      'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: c}\n',
    ].join('---\n');
    const statuses = kubeconform(tools.kubeconform, yaml, schemas).resources.map((r) => `${r.kind} ${r.status}`).sort();
    expect(statuses).toEqual(['Deployment statusInvalid', 'ServiceMonitor statusInvalid', 'Widget statusError']);
  });
});
