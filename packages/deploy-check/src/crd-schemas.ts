// JSON schemas for kubeconform from CustomResourceDefinitions (the prometheus-operator's
// ServiceMonitor, PodMonitor, PrometheusRule, ...): each served version's openAPIV3Schema,
// made strict the way the API server prunes/refuses: an object that lists its properties
// admits no other field unless it says x-kubernetes-preserve-unknown-fields.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

interface Crd {
  readonly kind: string;
  readonly spec: {
    readonly group: string;
    readonly names: { readonly kind: string };
    readonly versions: ReadonlyArray<{ readonly name: string; readonly served: boolean; readonly schema?: { readonly openAPIV3Schema: unknown } }>;
  };
}

/** The kubeconform -schema-location template matching the files writeCrdSchemas writes. */
export const CRD_SCHEMA_TEMPLATE = '{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json';

/**
 * Writes <out>/<group>/<kind>_<version>.json for every served version of every CRD in
 * `crdDir`; returns the kinds written, as "<group>/<version> <Kind>".
 */
export function writeCrdSchemas(crdDir: string, out: string): string[] {
  const written: string[] = [];
  for (const file of readdirSync(crdDir).filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))) {
    const crd = parse(readFileSync(join(crdDir, file), 'utf8')) as Crd;
    if (crd?.kind !== 'CustomResourceDefinition') continue;
    const { group, names } = crd.spec;
    mkdirSync(join(out, group), { recursive: true });
    for (const version of crd.spec.versions) {
      if (!version.served || !version.schema) continue;
      const schema = strict(version.schema.openAPIV3Schema);
      writeFileSync(join(out, group, `${names.kind.toLowerCase()}_${version.name}.json`), JSON.stringify(schema));
      written.push(`${group}/${version.name} ${names.kind}`);
    }
  }
  return written;
}

/** A copy of an OpenAPI v3 schema where objects with listed properties refuse unknown fields. */
export function strict(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strict);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    // "properties" maps field names to schemas: its keys are not schema keywords.
    out[key] = key === 'properties' ? Object.fromEntries(Object.entries(value as object).map(([name, schema]) => [name, strict(schema)])) : strict(value);
  }
  if ('properties' in out && !('additionalProperties' in out) && out['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  return out;
}
