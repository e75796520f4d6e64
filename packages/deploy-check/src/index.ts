// Helpers shared by the deployment checks (tool lookup, control plane, Prometheus) live here.
export * from './repo';
export * from './run-tool';
export * from './fast-tools';
export * from './kustomize';
export * from './crd-schemas';
export * from './kubeconform';
export * from './workloads';
export * from './registered-metrics';
export * from './promql-names';
export * from './prometheus-rule';
export * from './dashboard';
export * from './command';
export * from './http-probe';
export * from './podman';
