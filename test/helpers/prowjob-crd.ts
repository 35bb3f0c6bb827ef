import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

const crdPath = new URL('../fixtures/prow-upstream/prowjob_customresourcedefinition.yaml', import.meta.url);

type Schema = Record<string, unknown>;

/** The parts of an apiextensions.k8s.io/v1 CustomResourceDefinition that tests read. */
export interface CustomResourceDefinition {
  apiVersion: string;
  kind: 'CustomResourceDefinition';
  metadata: { name: string; [key: string]: unknown };
  spec: {
    group: string;
    scope: 'Namespaced' | 'Cluster';
    names: { kind: string; listKind?: string; plural: string; singular?: string; shortNames?: string[] };
    versions: {
      name: string;
      served: boolean;
      storage: boolean;
      schema?: { openAPIV3Schema: Schema };
      subresources?: { status?: Record<string, never>; scale?: unknown };
      [key: string]: unknown;
    }[];
    [key: string]: unknown;
  };
}

/**
 * Kubernetes prunes fields a structural schema does not name, silently: for a test that is a field lost, so
 * every object that lists its properties (and does not keep unknown fields) is made closed.
 */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (typeof schema !== 'object' || schema === null) return schema;
  const s = Object.fromEntries(Object.entries(schema as Schema).map(([k, v]) => [k, k === 'properties' ? Object.fromEntries(Object.entries(v as Schema).map(([p, ps]) => [p, closed(ps)])) : closed(v)]));
  if (s.properties !== undefined && s.additionalProperties === undefined && s['x-kubernetes-preserve-unknown-fields'] !== true) s.additionalProperties = false;
  return s;
}

// ajv-formats is CJS whose default export is the function itself.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

let crd: CustomResourceDefinition | undefined;

/** Prow's own ProwJob CustomResourceDefinition, as published upstream (parsed once). */
export function prowJobCrd(): CustomResourceDefinition {
  crd ??= parse(readFileSync(crdPath, 'utf8')) as CustomResourceDefinition;
  return crd;
}

/**
 * Compiles a CRD version's openAPIV3Schema with unknown fields refused; the function's `errors` are ajv's
 * (instancePath, keyword, params), after a call that returned false.
 */
export function compileCrdSchema(openAPIV3Schema: Schema): ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  for (const format of ['int32', 'int64', 'byte', 'double', 'float']) ajv.addFormat(format, true);
  return ajv.compile(closed(openAPIV3Schema) as Schema);
}

let validator: ValidateFunction | undefined;

/** Validates against Prow's own ProwJob CRD schema (v1), with unknown fields refused; returns the errors. */
export function prowJobSchemaErrors(object: unknown): string[] {
  if (validator === undefined) {
    const v1 = prowJobCrd().spec.versions.find((v) => v.name === 'v1');
    if (v1?.schema === undefined) throw new Error('the ProwJob CRD has no v1 version');
    validator = compileCrdSchema(v1.schema.openAPIV3Schema);
  }
  if (validator(JSON.parse(JSON.stringify(object)))) return [];
  return (validator.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}${e.params.additionalProperty ? ` (${String(e.params.additionalProperty)})` : ''}`);
}
