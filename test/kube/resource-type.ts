import type { ValidateFunction } from 'ajv';
import { compileCrdSchema, type CustomResourceDefinition } from '../helpers/prowjob-crd.ts';
import { invalid, type FieldIssue } from './kube-status.ts';
import { podIssues, podStatusIssues, podUpdateIssues } from './pod-validation.ts';
import { schemaIssues } from './schema-issues.ts';

/** A Kubernetes object as stored: plain JSON. */
export type KubeObject = Record<string, unknown> & { metadata: ObjectMeta };

/** The metadata fields the server reads and writes. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  [key: string]: unknown;
}

/** One kind of resource the server serves, and how its writes are prepared and checked. */
export interface ResourceType {
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames: readonly string[];
  /** With it, writes to the resource keep the old status and writes to /status change only status. */
  statusSubresource: boolean;
  /** Strategic merge patch is for built-in types; custom resources answer it with 415, as Kubernetes does. */
  strategicMergePatch: boolean;
  /** A delete answers with the object (Pods, most built-ins) or with a Success Status (custom resources). */
  returnDeletedObject: boolean;
  /** metadata.generation starts at 1 and counts changes outside metadata and status (custom resources). */
  tracksGeneration: boolean;
  /** The field labels a fieldSelector may name. */
  fieldLabels: ReadonlySet<string>;
  /** Schema and semantic checks of an object about to be written. */
  validate(object: KubeObject): FieldIssue[];
  /** Checks of a write through /status, where only status can have changed (default: validate). */
  validateStatus?(object: KubeObject): FieldIssue[];
  /** Checks of a change to an existing object through the main resource. */
  validateUpdate?(old: KubeObject, next: KubeObject): FieldIssue[];
  /** Fills what the server sets on create (a Pod's initial status, a Secret's data). */
  prepareForCreate?(object: KubeObject): void;
  /** Normalises every write (a Secret's stringData). */
  normalize?(object: KubeObject): void;
  /** The subresources beside status that have routes (`log`, `binding`). */
  subresources: readonly string[];
}

/** `v1` for the core group, `prow.k8s.io/v1` for the others. */
export function apiVersionOf(t: ResourceType): string {
  return t.group === '' ? t.version : `${t.group}/${t.version}`;
}

function labels(namespaced: boolean, extra: readonly string[] = []): ReadonlySet<string> {
  return new Set(['metadata.name', ...(namespaced ? ['metadata.namespace'] : []), ...extra]);
}

interface Defaults {
  group?: string;
  kind: string;
  plural: string;
  namespaced?: boolean;
  shortNames?: string[];
}

function builtIn(d: Defaults, rest: Partial<ResourceType>): ResourceType {
  return {
    group: d.group ?? '',
    version: 'v1',
    plural: d.plural,
    singular: d.kind.toLowerCase(),
    kind: d.kind,
    listKind: `${d.kind}List`,
    namespaced: d.namespaced ?? true,
    shortNames: d.shortNames ?? [],
    statusSubresource: false,
    strategicMergePatch: true,
    returnDeletedObject: true,
    tracksGeneration: false,
    fieldLabels: labels(d.namespaced ?? true),
    validate: () => [],
    subresources: [],
    ...rest,
  };
}

function resourcesPresent(containers: unknown, key: 'requests' | 'limits'): boolean[] {
  return (Array.isArray(containers) ? containers : []).map((c: { resources?: Record<string, unknown> }) => c.resources?.[key] !== undefined);
}

/** Kubernetes' QoS class, roughly: BestEffort with no requests or limits, Guaranteed when every container sets limits. */
function qosClass(spec: Record<string, unknown>): string {
  const limits = resourcesPresent(spec.containers, 'limits');
  const requests = resourcesPresent(spec.containers, 'requests');
  if (!limits.some(Boolean) && !requests.some(Boolean)) return 'BestEffort';
  return limits.every(Boolean) ? 'Guaranteed' : 'Burstable';
}

const pods = builtIn(
  { kind: 'Pod', plural: 'pods', shortNames: ['po'] },
  {
    statusSubresource: true,
    subresources: ['log', 'binding'],
    fieldLabels: labels(true, ['status.phase', 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.podIP', 'status.nominatedNodeName']),
    validate: podIssues,
    validateStatus: podStatusIssues,
    validateUpdate: podUpdateIssues,
    prepareForCreate(pod) {
      pod.status = { phase: 'Pending', qosClass: qosClass((pod.spec ?? {}) as Record<string, unknown>) };
    },
  },
);

const namespaces = builtIn(
  { kind: 'Namespace', plural: 'namespaces', namespaced: false, shortNames: ['ns'] },
  {
    statusSubresource: true,
    fieldLabels: labels(false, ['status.phase']),
    prepareForCreate(ns) {
      ns.status = { phase: 'Active' };
    },
  },
);

function base64Data(secret: KubeObject): void {
  const stringData = secret.stringData as Record<string, string> | undefined;
  if (stringData !== undefined) {
    const data = { ...((secret.data ?? {}) as Record<string, string>) };
    for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(v, 'utf8').toString('base64');
    secret.data = data;
    delete secret.stringData;
  }
  secret.type ??= 'Opaque';
}

const secrets = builtIn({ kind: 'Secret', plural: 'secrets' }, { fieldLabels: labels(true, ['type']), normalize: base64Data });
const configMaps = builtIn({ kind: 'ConfigMap', plural: 'configmaps', shortNames: ['cm'] }, {});
const events = builtIn({ kind: 'Event', plural: 'events', shortNames: ['ev'] }, {});
const resourceQuotas = builtIn({ kind: 'ResourceQuota', plural: 'resourcequotas', shortNames: ['quota'] }, { statusSubresource: true });
const crds = builtIn(
  { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', plural: 'customresourcedefinitions', namespaced: false, shortNames: ['crd', 'crds'] },
  { statusSubresource: true },
);

/** The built-in resources: namespaces, pods, secrets, configmaps, events, resource quotas and CRDs themselves. */
export function builtInResourceTypes(): ResourceType[] {
  return [namespaces, pods, secrets, configMaps, events, resourceQuotas, crds];
}

/** Options that depart from what a CRD document says. */
export interface CrdOptions {
  /** Serve `/status` whatever the CRD says (Prow's own ProwJob CRD has `subresources: {}`). */
  statusSubresource?: boolean | undefined;
}

// Compiling Prow's 10,000-line schema takes most of a second: once per schema object, not per server.
const compiled = new WeakMap<object, ValidateFunction>();

function validatorFor(schema: Record<string, unknown>): ValidateFunction {
  let v = compiled.get(schema);
  if (v === undefined) compiled.set(schema, (v = compileCrdSchema(schema)));
  return v;
}

/** The resource types a CRD defines, one per served version, validated by its openAPIV3Schema (unknown fields refused). */
export function crdResourceTypes(crd: CustomResourceDefinition, options: CrdOptions = {}): ResourceType[] {
  const { group, names, scope } = crd.spec;
  return crd.spec.versions
    .filter((v) => v.served)
    .map((v): ResourceType => {
      const schema = v.schema?.openAPIV3Schema;
      return {
        group,
        version: v.name,
        plural: names.plural,
        singular: names.singular ?? names.kind.toLowerCase(),
        kind: names.kind,
        listKind: names.listKind ?? `${names.kind}List`,
        namespaced: scope === 'Namespaced',
        shortNames: names.shortNames ?? [],
        statusSubresource: options.statusSubresource ?? v.subresources?.status !== undefined,
        strategicMergePatch: false,
        returnDeletedObject: false,
        tracksGeneration: true,
        fieldLabels: labels(scope === 'Namespaced'),
        subresources: [],
        validate(object) {
          if (schema === undefined) return [];
          const validator = validatorFor(schema);
          // Stored objects are plain JSON, and ajv (without defaults or removal) leaves them as they are.
          return validator(object) ? [] : schemaIssues(object, validator.errors ?? []);
        },
      };
    });
}

/** Throws the 422 for a list of issues, if any. */
export function throwIfInvalid(t: ResourceType, name: string, issues: FieldIssue[]): void {
  if (issues.length > 0) throw invalid(t.kind, t.group, name, issues);
}
