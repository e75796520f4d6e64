// The scrape configuration made from the shipped ServiceMonitors, as the prometheus-operator
// would (Debian's promtool has no Kubernetes service discovery to check it: the control-plane
// tier runs it in the Prometheus build that has).
import { parse } from 'yaml';
import { fastTools, kustomizeBuild, objectsOfKind } from '../../src';
import { scrapeConfigsYaml, type ServiceMonitor } from '../../src/service-monitor-scrape';

test('one endpointslice job per ServiceMonitor endpoint, keeping its Service labels and port, job = Service name', () => {
  const monitors = objectsOfKind<ServiceMonitor>(kustomizeBuild(fastTools().kustomize, 'k8s/overlays/prod').objects, 'ServiceMonitor');
  expect(monitors.length).toBeGreaterThan(0);
  {
    const yaml = scrapeConfigsYaml(monitors, { apiServer: 'https://127.0.0.1:6443', tokenFile: '/tmp/token', namespace: 'parley-dev', interval: '2s' });
    for (const m of monitors) {
      expect(yaml).toContain(`job_name: serviceMonitor/parley-dev/${m.metadata.name}/0`);
      expect(yaml).toContain(`regex: ${JSON.stringify(m.spec.endpoints[0]!.port)}, action: keep`);
    }
    expect(yaml).toContain('source_labels: [__meta_kubernetes_service_label_app_kubernetes_io_component, __meta_kubernetes_service_labelpresent_app_kubernetes_io_component]');
    expect(yaml).toContain('{ source_labels: [__meta_kubernetes_service_name], target_label: job }');
    const config = parse(`scrape_configs:\n${yaml}\n`) as { scrape_configs: { job_name: string; kubernetes_sd_configs: { role: string; namespaces: { names: string[] } }[]; relabel_configs: unknown[] }[] };
    expect(config.scrape_configs).toHaveLength(monitors.reduce((n, m) => n + m.spec.endpoints.length, 0));
    for (const job of config.scrape_configs) {
      expect(job.kubernetes_sd_configs).toEqual([expect.objectContaining({ role: 'endpointslice', namespaces: { names: ['parley-dev'] } })]);
    }
  }
});
