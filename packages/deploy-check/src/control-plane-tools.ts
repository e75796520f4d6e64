// Owns finding the tools of the control-plane tier: deploy/k8s/tools/build-control-plane.sh
// builds them once into ~/.cache/parley (keyed by version) and prints where they are; running it
// again only checks that they are there.
import { runCommand } from './command';
import { repoPath } from './repo';

export interface ControlPlaneTools {
  /** kube-apiserver, kube-controller-manager, kube-scheduler, kubectl */
  k8sBin: string;
  kwokBin: string;
  /** kwok stage files (node/fast, node/heartbeat, pod/fast) */
  kwokStages: string;
  /** prometheus, promtool (with Kubernetes service discovery) */
  prometheusBin: string;
  etcd: string;
}

export const CONTROL_PLANE_TOOLS_SCRIPT = 'deploy/k8s/tools/build-control-plane.sh';

export async function controlPlaneTools(): Promise<ControlPlaneTools> {
  const r = await runCommand('bash', [repoPath(CONTROL_PLANE_TOOLS_SCRIPT)], { timeoutMs: 90 * 60_000 });
  const vars = Object.fromEntries(
    r.stdout
      .split('\n')
      .map((line) => /^([A-Z0-9_]+)=(.*)$/.exec(line.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1], m[2]]),
  );
  const need = (name: string): string => {
    if (!vars[name]) throw new Error(`${CONTROL_PLANE_TOOLS_SCRIPT} printed no ${name}:\n${r.stdout}`);
    return vars[name];
  };
  return { k8sBin: need('K8S_BIN'), kwokBin: need('KWOK_BIN'), kwokStages: need('KWOK_STAGES'), prometheusBin: need('PROMETHEUS_BIN'), etcd: need('ETCD') };
}
