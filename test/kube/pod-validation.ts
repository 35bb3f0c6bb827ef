import { validate } from 'kubernetes-models/_schemas/IoK8sApiCoreV1Pod';
import { validate as validateStatus } from 'kubernetes-models/_schemas/IoK8sApiCoreV1PodStatus';
import type { FieldIssue } from './kube-status.ts';
import { jsonEqual } from './patch.ts';
import { schemaIssues, type SchemaError } from './schema-issues.ts';

type Obj = Record<string, unknown>;

// The precompiled validator is ajv's: its errors hang on the function, which its typing leaves out.
const validatePodSchema = validate as typeof validate & { errors?: SchemaError[] | null };
const validatePodStatusSchema = validateStatus as typeof validateStatus & { errors?: SchemaError[] | null };

const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

interface Container {
  name?: unknown;
  image?: unknown;
}

function containerChecks(list: unknown, path: string, issues: FieldIssue[], seen: Set<unknown>): void {
  if (!Array.isArray(list)) return;
  list.forEach((raw: unknown, i) => {
    const c = (raw ?? {}) as Container;
    if (typeof c.name === 'string') {
      if (!dnsLabel.test(c.name) || c.name.length > 63) issues.push({ field: `${path}[${i}].name`, reason: 'FieldValueInvalid', message: `Invalid value: "${c.name}": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'` });
      else if (seen.has(c.name)) issues.push({ field: `${path}[${i}].name`, reason: 'FieldValueDuplicate', message: `Duplicate value: "${c.name}"` });
      seen.add(c.name);
    }
    if (c.image === undefined || c.image === '') issues.push({ field: `${path}[${i}].image`, reason: 'FieldValueRequired', message: 'Required value' });
  });
}

/**
 * A Pod checked as the API server checks it on create: Kubernetes' published OpenAPI schema for core/v1 Pod
 * (from kubernetes-models, Kubernetes 1.27), plus the checks the schema cannot say: containers present,
 * container names RFC 1123 labels and unique, every container with an image. Unknown fields are not refused
 * (the schema leaves Pod objects open).
 */
export function podIssues(pod: unknown): FieldIssue[] {
  const issues = validatePodSchema(pod) ? [] : schemaIssues(pod, validatePodSchema.errors ?? []);
  const spec = ((pod as Obj).spec ?? {}) as Obj;
  if (Array.isArray(spec.containers) && spec.containers.length === 0) issues.push({ field: 'spec.containers', reason: 'FieldValueRequired', message: 'Required value' });
  const names = new Set<unknown>();
  containerChecks(spec.initContainers, 'spec.initContainers', issues, names);
  containerChecks(spec.containers, 'spec.containers', issues, names);
  return issues;
}

/** A status write checked by the PodStatus schema alone: the spec it cannot change was checked when written. */
export function podStatusIssues(pod: Obj): FieldIssue[] {
  const status = pod.status ?? {};
  if (validatePodStatusSchema(status)) return [];
  const errors = (validatePodStatusSchema.errors ?? []).map((e) => ({ ...e, instancePath: `/status${e.instancePath}` }));
  return schemaIssues(pod, errors);
}

function mutableFieldsCleared(spec: unknown): Obj {
  const s = { ...((spec ?? {}) as Obj) };
  for (const key of ['containers', 'initContainers'] as const) {
    if (Array.isArray(s[key])) s[key] = (s[key] as Obj[]).map((c) => ({ ...c, image: undefined }));
  }
  delete s.activeDeadlineSeconds;
  delete s.tolerations;
  delete s.terminationGracePeriodSeconds;
  return JSON.parse(JSON.stringify(s)) as Obj;
}

/** Kubernetes refuses a Pod update that changes the spec beyond images, activeDeadlineSeconds and tolerations. */
export function podUpdateIssues(old: Obj, next: Obj): FieldIssue[] {
  if (jsonEqual(mutableFieldsCleared(old.spec), mutableFieldsCleared(next.spec))) return [];
  return [
    {
      field: 'spec',
      reason: 'FieldValueForbidden',
      message: 'Forbidden: pod updates may not change fields other than `spec.containers[*].image`, `spec.initContainers[*].image`, `spec.activeDeadlineSeconds`, `spec.tolerations` (only additions to existing tolerations), `spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
    },
  ];
}
