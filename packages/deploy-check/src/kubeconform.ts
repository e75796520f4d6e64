// Strict schema validation of rendered manifests with kubeconform, offline: the Kubernetes
// schemas from the kubernetes-validate wheel and the CRD schemas written by crd-schemas.ts.
import { runTool } from './run-tool';
import { CRD_SCHEMA_TEMPLATE } from './crd-schemas';

export interface KubeconformResource {
  readonly filename: string;
  readonly kind: string;
  readonly name: string;
  readonly version: string;
  /** valid, invalid, error (e.g. no schema found), skipped, empty */
  readonly status: string;
  readonly msg: string;
}

export interface KubeconformReport {
  readonly resources: readonly KubeconformResource[];
  readonly summary: { readonly valid: number; readonly invalid: number; readonly errors: number; readonly skipped: number };
}

export interface SchemaLocations {
  /** Directory of the Kubernetes JSON schemas (<kind>-<group>-<version>.json). */
  readonly kubernetes: string;
  readonly kubernetesVersion: string;
  /** Directory written by writeCrdSchemas. */
  readonly crds: string;
}

/** Validates a YAML stream (stdin). */
export function kubeconform(binary: string, yaml: string, schemas: SchemaLocations): KubeconformReport {
  return run(binary, ['-'], schemas, yaml);
}

/** Validates files in one run (the schemas are compiled once); each resource names its file. */
export function kubeconformFiles(binary: string, files: readonly string[], schemas: SchemaLocations): KubeconformReport {
  return run(binary, files, schemas);
}

function run(binary: string, inputs: readonly string[], schemas: SchemaLocations, stdin?: string): KubeconformReport {
  const result = runTool(
    binary,
    [
      '-strict',
      '-output',
      'json',
      '-verbose',
      '-summary',
      '-kubernetes-version',
      schemas.kubernetesVersion,
      '-schema-location',
      `${schemas.kubernetes}/{{ .ResourceKind }}{{ .KindSuffix }}.json`,
      '-schema-location',
      `${schemas.crds}/${CRD_SCHEMA_TEMPLATE}`,
      ...inputs,
    ],
    stdin === undefined ? {} : { input: stdin },
  );
  let report: KubeconformReport;
  try {
    report = JSON.parse(result.stdout) as KubeconformReport;
  } catch {
    throw new Error(`kubeconform printed no JSON report (exit ${result.status}):\n${result.stderr}${result.stdout}`);
  }
  return report;
}
