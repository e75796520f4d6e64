// kustomize build of the repository's k8s/ overlays, parsed into objects.
import { parseAllDocuments } from 'yaml';
import { repoPath } from './repo';
import { runToolOk } from './run-tool';

/** The overlays users apply (k8s/overlays/<name>). */
export const OVERLAYS = ['dev', 'prod'] as const;
export type Overlay = (typeof OVERLAYS)[number];

/** A Kubernetes object as kustomize renders it (only the fields every object has are typed). */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string> };
  readonly [field: string]: unknown;
}

export interface Rendered {
  /** kustomize's output, a multi-document YAML stream. */
  readonly yaml: string;
  readonly objects: readonly K8sObject[];
}

/** `kustomize build <dir>` (dir relative to the repository root), parsed. */
export function kustomizeBuild(kustomize: string, dir: string): Rendered {
  const yaml = runToolOk(kustomize, ['build', repoPath(dir)]);
  return { yaml, objects: parseObjects(yaml) };
}

export function parseObjects(yaml: string): K8sObject[] {
  return parseAllDocuments(yaml)
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`unparsable YAML: ${document.errors[0]!.message}`);
      return document.toJS() as K8sObject | null;
    })
    .filter((object): object is K8sObject => object !== null);
}

export function objectsOfKind<T = K8sObject>(objects: readonly K8sObject[], kind: string): T[] {
  return objects.filter((object) => object.kind === kind) as unknown as T[];
}

export function objectNamed<T = K8sObject>(objects: readonly K8sObject[], kind: string, name: string): T {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in the rendered objects`);
  return found as unknown as T;
}
