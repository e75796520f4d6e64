// Typed views of the rendered objects the semantic checks look into.
import type { K8sObject } from './kustomize';

export interface ContainerPort {
  readonly name?: string;
  readonly containerPort: number;
}

export interface Probe {
  readonly httpGet?: { readonly path: string; readonly port: string | number };
  readonly tcpSocket?: { readonly port: string | number };
}

export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: {
    readonly secretKeyRef?: { readonly name: string; readonly key: string; readonly optional?: boolean };
    readonly configMapKeyRef?: { readonly name: string; readonly key: string };
    readonly fieldRef?: { readonly fieldPath: string };
  };
}

export interface Container {
  readonly name: string;
  readonly image: string;
  readonly args?: readonly string[];
  readonly ports?: readonly ContainerPort[];
  readonly env?: readonly EnvVar[];
  readonly envFrom?: ReadonlyArray<{ readonly configMapRef?: { readonly name: string }; readonly secretRef?: { readonly name: string } }>;
  readonly livenessProbe?: Probe;
  readonly readinessProbe?: Probe;
  readonly startupProbe?: Probe;
  readonly resources?: { readonly requests?: Record<string, string>; readonly limits?: Record<string, string> };
  readonly securityContext?: Record<string, unknown>;
}

export interface PodSpec {
  readonly containers: readonly Container[];
  readonly serviceAccountName?: string;
  readonly automountServiceAccountToken?: boolean;
  readonly enableServiceLinks?: boolean;
  readonly terminationGracePeriodSeconds?: number;
  readonly securityContext?: Record<string, unknown>;
  readonly affinity?: Record<string, unknown>;
  readonly topologySpreadConstraints?: ReadonlyArray<Record<string, unknown>>;
}

export interface Workload extends K8sObject {
  readonly spec: {
    readonly replicas?: number;
    readonly selector: { readonly matchLabels: Record<string, string> };
    readonly template: { readonly metadata: { readonly labels: Record<string, string> }; readonly spec: PodSpec };
  };
}

export interface ServiceObject extends K8sObject {
  readonly spec: {
    readonly selector: Record<string, string>;
    readonly ports: ReadonlyArray<{ readonly name: string; readonly port: number; readonly targetPort: string | number }>;
  };
}

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'];

export function workloads(objects: readonly K8sObject[]): Workload[] {
  return objects.filter((object) => WORKLOAD_KINDS.includes(object.kind)) as Workload[];
}

/** The gateway, sequencer, delivery and server API Deployments (label app.kubernetes.io/name=parley). */
export function parleyWorkloads(objects: readonly K8sObject[]): Workload[] {
  return workloads(objects).filter((w) => w.metadata.labels?.['app.kubernetes.io/name'] === 'parley');
}

/** True when every key/value of `selector` is among `labels`. */
export function selects(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}
