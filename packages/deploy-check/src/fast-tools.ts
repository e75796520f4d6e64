// Where the tools of the fast deployment checks are: the manifest that
// deploy/k8s/tools/install-fast-tools.sh writes after installing them into the cache.
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const INSTALL_SCRIPT = 'deploy/k8s/tools/install-fast-tools.sh';

export interface FastTools {
  readonly kustomize: string;
  readonly kubeconform: string;
  /** Directory of the strict Kubernetes JSON schemas (<kind>-<group>-<version>.json), made local. */
  readonly kubernetesSchemas: string;
  /** The Kubernetes version those schemas describe (e.g. 1.36.0). */
  readonly kubernetesVersion: string;
  /** Directory of the prometheus-operator CustomResourceDefinition YAML files. */
  readonly prometheusOperatorCrds: string;
  readonly promtool: string;
}

export class MissingToolError extends Error {
  constructor(what: string) {
    super(`${what}: run \`bash ${INSTALL_SCRIPT}\` (installs kustomize, kubeconform, the Kubernetes and prometheus-operator schemas and promtool into the cache)`);
    this.name = 'MissingToolError';
  }
}

/** The cache directory the install script writes to ($PARLEY_CACHE_DIR or ~/.cache/parley). */
export function fastToolsDir(environment: NodeJS.ProcessEnv = process.env): string {
  return join(environment.PARLEY_CACHE_DIR ?? join(homedir(), '.cache', 'parley'), 'k8s-tools');
}

/** The installed tools; throws MissingToolError naming the install script if one is missing. */
export function fastTools(environment: NodeJS.ProcessEnv = process.env): FastTools {
  const manifest = join(fastToolsDir(environment), 'fast-tools.json');
  if (!existsSync(manifest)) throw new MissingToolError(`no ${manifest}`);
  const tools = JSON.parse(readFileSync(manifest, 'utf8')) as FastTools;
  for (const name of ['kustomize', 'kubeconform', 'promtool'] as const) {
    const path = tools[name];
    try {
      accessSync(path, constants.X_OK);
    } catch {
      throw new MissingToolError(`${name} is not an executable at ${String(path)}`);
    }
  }
  for (const name of ['kubernetesSchemas', 'prometheusOperatorCrds'] as const) {
    if (!existsSync(join(tools[name], '.complete'))) throw new MissingToolError(`${name} incomplete at ${String(tools[name])}`);
  }
  return tools;
}
