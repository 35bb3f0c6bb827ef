import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';

const crdPath = new URL('../fixtures/prow-upstream/prowjob_customresourcedefinition.yaml', import.meta.url);

type Schema = Record<string, unknown>;

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

let validator: ValidateFunction | undefined;

/** Validates against Prow's own ProwJob CRD schema (v1), with unknown fields refused; returns the errors. */
export function prowJobSchemaErrors(object: unknown): string[] {
  if (validator === undefined) {
    const crd = parse(readFileSync(crdPath, 'utf8')) as { spec: { versions: { name: string; schema: { openAPIV3Schema: Schema } }[] } };
    const v1 = crd.spec.versions.find((v) => v.name === 'v1');
    if (!v1) throw new Error('the ProwJob CRD has no v1 version');
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    for (const format of ['int32', 'int64', 'byte', 'double', 'float']) ajv.addFormat(format, true);
    validator = ajv.compile(closed(v1.schema.openAPIV3Schema) as Schema);
  }
  if (validator(JSON.parse(JSON.stringify(object)))) return [];
  return (validator.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}${e.params.additionalProperty ? ` (${String(e.params.additionalProperty)})` : ''}`);
}
