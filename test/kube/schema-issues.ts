import type { FieldIssue } from './kube-status.ts';

/** The shape of an ajv error, which kubernetes-models' precompiled validators share. */
export interface SchemaError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string | undefined;
}

function tokens(instancePath: string): string[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** `/spec/containers/0` + `name` → `spec.containers[0].name`, as Kubernetes names fields. */
export function fieldPath(parts: readonly string[]): string {
  let out = '';
  for (const p of parts) out += /^(0|[1-9][0-9]*)$/.test(p) ? `[${p}]` : out === '' ? p : `.${p}`;
  return out;
}

function valueAt(object: unknown, parts: readonly string[]): unknown {
  let at = object;
  for (const p of parts) at = typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[p] : undefined;
  return at;
}

function shown(v: unknown): string {
  return typeof v === 'string' ? `"${v}"` : JSON.stringify(v);
}

/**
 * Turns schema errors into the causes of a 422 Invalid Status, one per field, worded as the API server words
 * them (`Required value`, `Unsupported value: "x": supported values: …`).
 */
export function schemaIssues(object: unknown, errors: readonly SchemaError[]): FieldIssue[] {
  const byField = new Map<string, FieldIssue>();
  for (const e of errors) {
    const parts = tokens(e.instancePath);
    let issue: FieldIssue;
    if (e.keyword === 'required') {
      issue = { field: fieldPath([...parts, String(e.params.missingProperty)]), reason: 'FieldValueRequired', message: 'Required value' };
    } else if (e.keyword === 'additionalProperties') {
      issue = { field: fieldPath([...parts, String(e.params.additionalProperty)]), reason: 'FieldValueInvalid', message: 'field not declared in schema' };
    } else {
      const field = fieldPath(parts);
      const value = valueAt(object, parts);
      if (e.keyword === 'enum') {
        const allowed = (e.params.allowedValues as unknown[]).map(shown).join(', ');
        issue = { field, reason: 'FieldValueNotSupported', message: `Unsupported value: ${shown(value)}: supported values: ${allowed}` };
      } else if (e.keyword === 'type') {
        issue = { field, reason: 'FieldValueTypeInvalid', message: `Invalid value: ${shown(value)}: ${field} in body must be of type ${String(e.params.type)}` };
      } else {
        issue = { field, reason: 'FieldValueInvalid', message: `Invalid value: ${shown(value)}: ${e.message ?? e.keyword}` };
      }
    }
    if (!byField.has(issue.field)) byField.set(issue.field, issue);
  }
  return [...byField.values()];
}
