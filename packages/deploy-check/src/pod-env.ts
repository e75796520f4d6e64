// Owns what a kubelet would give a container as its environment: envFrom (ConfigMaps, Secrets,
// with prefixes) first, then env (values, ConfigMap/Secret keys, the pod's own fields), read
// from the objects the API server holds. Used to run the real services with exactly the
// configuration the manifests give them.

export interface KubeObject {
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
}

export interface PodLike {
  metadata: { name: string; namespace: string; uid?: string; labels?: Record<string, string> };
  spec: { nodeName?: string; serviceAccountName?: string; containers: ContainerLike[] };
  status: { podIP?: string; hostIP?: string };
}

export interface ContainerLike {
  name: string;
  args?: string[];
  ports?: { name?: string; containerPort: number }[];
  envFrom?: { prefix?: string; configMapRef?: { name: string; optional?: boolean }; secretRef?: { name: string; optional?: boolean } }[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: {
      fieldRef?: { fieldPath: string };
      configMapKeyRef?: { name: string; key: string; optional?: boolean };
      secretKeyRef?: { name: string; key: string; optional?: boolean };
    };
  }[];
}

export interface EnvSources {
  configMaps: Map<string, Record<string, string>>;
  /** Secret data as the API returns it (base64). */
  secrets: Map<string, Record<string, string>>;
}

function source(kind: string, map: Map<string, Record<string, string>>, name: string, optional: boolean | undefined): Record<string, string> {
  const data = map.get(name);
  if (data) return data;
  if (optional) return {};
  throw new Error(`${kind} ${name} not found`);
}

function field(pod: PodLike, fieldPath: string): string {
  switch (fieldPath) {
    case 'metadata.name':
      return pod.metadata.name;
    case 'metadata.namespace':
      return pod.metadata.namespace;
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'spec.nodeName':
      return pod.spec.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec.serviceAccountName ?? '';
    case 'status.podIP':
      return pod.status.podIP ?? '';
    case 'status.hostIP':
      return pod.status.hostIP ?? '';
    default: {
      const label = /^metadata\.labels\['(.+)'\]$/.exec(fieldPath);
      if (label) return pod.metadata.labels?.[label[1]] ?? '';
      throw new Error(`fieldRef ${fieldPath} is not supported here`);
    }
  }
}

const decode = (b64: string): string => Buffer.from(b64, 'base64').toString('utf8');

export function containerEnv(pod: PodLike, container: ContainerLike, sources: EnvSources): Record<string, string> {
  const env: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      for (const [k, v] of Object.entries(source('ConfigMap', sources.configMaps, from.configMapRef.name, from.configMapRef.optional))) env[prefix + k] = v;
    }
    if (from.secretRef) {
      for (const [k, v] of Object.entries(source('Secret', sources.secrets, from.secretRef.name, from.secretRef.optional))) env[prefix + k] = decode(v);
    }
  }
  for (const e of container.env ?? []) {
    const from = e.valueFrom;
    if (!from) env[e.name] = e.value ?? '';
    else if (from.fieldRef) env[e.name] = field(pod, from.fieldRef.fieldPath);
    else if (from.configMapKeyRef) {
      const v = source('ConfigMap', sources.configMaps, from.configMapKeyRef.name, from.configMapKeyRef.optional)[from.configMapKeyRef.key];
      if (v !== undefined) env[e.name] = v;
      else if (!from.configMapKeyRef.optional) throw new Error(`ConfigMap ${from.configMapKeyRef.name} has no key ${from.configMapKeyRef.key}`);
    } else if (from.secretKeyRef) {
      const v = source('Secret', sources.secrets, from.secretKeyRef.name, from.secretKeyRef.optional)[from.secretKeyRef.key];
      if (v !== undefined) env[e.name] = decode(v);
      else if (!from.secretKeyRef.optional) throw new Error(`Secret ${from.secretKeyRef.name} has no key ${from.secretKeyRef.key}`);
    } else throw new Error(`env ${e.name}: unsupported valueFrom ${JSON.stringify(from)}`);
  }
  return env;
}
