// Owns turning the shipped ServiceMonitors into the Prometheus scrape configuration the
// prometheus-operator generates from them: Kubernetes service discovery of EndpointSlices,
// kept when the Service's labels match the selector and the port's name is the endpoint's,
// with the operator's target labels (job = the Service's name, namespace, service, pod,
// container, endpoint).
export interface ServiceMonitor {
  metadata: { name: string };
  spec: {
    selector: { matchLabels?: Record<string, string> };
    jobLabel?: string;
    endpoints: { port?: string; path?: string; scheme?: string; interval?: string; scrapeTimeout?: string }[];
  };
}

export interface KubernetesSd {
  apiServer: string;
  tokenFile: string;
  namespace: string;
  /** Scrape every target this often (the test's pace instead of the monitors' interval). */
  interval: string;
}

const labelKey = (name: string): string => name.replace(/[^a-zA-Z0-9_]/g, '_');

export function scrapeConfigsYaml(monitors: readonly ServiceMonitor[], sd: KubernetesSd): string {
  const jobs: string[] = [];
  for (const monitor of monitors) {
    monitor.spec.endpoints.forEach((endpoint, i) => {
      const keep = Object.entries(monitor.spec.selector.matchLabels ?? {}).map(
        ([k, v]) => `      - { source_labels: [__meta_kubernetes_service_label_${labelKey(k)}, __meta_kubernetes_service_labelpresent_${labelKey(k)}], regex: ${JSON.stringify(`(${v});true`)}, action: keep }`,
      );
      jobs.push(
        [
          `  - job_name: serviceMonitor/${sd.namespace}/${monitor.metadata.name}/${i}`,
          `    scrape_interval: ${sd.interval}`,
          `    scrape_timeout: ${sd.interval}`,
          `    metrics_path: ${endpoint.path ?? '/metrics'}`,
          `    scheme: ${endpoint.scheme ?? 'http'}`,
          '    kubernetes_sd_configs:',
          '      - role: endpointslice',
          `        api_server: ${sd.apiServer}`,
          `        bearer_token_file: ${sd.tokenFile}`,
          '        tls_config: { insecure_skip_verify: true }',
          `        namespaces: { names: [${sd.namespace}] }`,
          '    relabel_configs:',
          ...keep,
          `      - { source_labels: [__meta_kubernetes_endpointslice_port_name], regex: ${JSON.stringify(endpoint.port ?? '.*')}, action: keep }`,
          '      - { source_labels: [__meta_kubernetes_namespace], target_label: namespace }',
          '      - { source_labels: [__meta_kubernetes_service_name], target_label: service }',
          '      - { source_labels: [__meta_kubernetes_pod_name], target_label: pod }',
          '      - { source_labels: [__meta_kubernetes_pod_container_name], target_label: container }',
          monitor.spec.jobLabel
            ? `      - { source_labels: [__meta_kubernetes_service_label_${labelKey(monitor.spec.jobLabel)}], target_label: job }`
            : '      - { source_labels: [__meta_kubernetes_service_name], target_label: job }',
          `      - { target_label: endpoint, replacement: ${JSON.stringify(endpoint.port ?? '')} }`,
        ].join('\n'),
      );
    });
  }
  return jobs.join('\n');
}
