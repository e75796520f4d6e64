// Helpers shared by the deployment checks (tool lookup, control plane, Prometheus) live here.
export {};
