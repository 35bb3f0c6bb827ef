import { randomUUID } from 'node:crypto';
import type { CustomResourceDefinition } from '../helpers/prowjob-crd.ts';
import { EventHistory, type ChangeEvent, type WatchEventType } from './event-history.ts';
import { alreadyExists, badRequest, conflict, expired, KubeStatusError, notFound, unsupportedMediaType, type FieldIssue, type KubeStatus } from './kube-status.ts';
import { kubeTime } from './kube-time.ts';
import { parseFieldSelector, parseLabelSelector, type Matcher } from './label-selector.ts';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch, jsonEqual } from './patch.ts';
import { podQuotaRefusal } from './resource-quota.ts';
import { apiVersionOf, builtInResourceTypes, crdResourceTypes, throwIfInvalid, type CrdOptions, type KubeObject, type ResourceType } from './resource-type.ts';

/** The patch types the server takes, by Content-Type. */
export type PatchType = 'application/json-patch+json' | 'application/merge-patch+json' | 'application/strategic-merge-patch+json';

/** Which part of an object a write goes to. */
export type Subresource = 'status' | undefined;

/** What list and watch select by. */
export interface SelectOptions {
  labelSelector?: string | undefined;
  fieldSelector?: string | undefined;
}

/** A list request's paging. */
export interface ListOptions extends SelectOptions {
  limit?: number | undefined;
  continue?: string | undefined;
}

/** A list answer, shaped as Kubernetes' `<Kind>List`. */
export interface ListResult {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: KubeObject[];
}

/** One event as a watcher receives it; `line()` is the newline-terminated JSON, built once per event and type. */
export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject;
  line(): string;
}

/** Where a watch starts and who receives it. */
export interface WatchOptions extends SelectOptions {
  /** Unset or "0": start with a synthetic ADDED for every object; otherwise replay the changes after it. */
  resourceVersion?: string | undefined;
  /** Called with every event, synchronously, as the store changes. Objects are shared: do not change them. */
  onEvent(event: WatchEvent): void;
  /** Called once when the server ends the watch (closeWatches, close); with a Status when it never started. */
  onEnd(error?: KubeStatus): void;
}

/** A running watch; `stop()` is for the watcher going away. */
export interface WatchHandle {
  stop(): void;
}

/** How a write treats its body. */
export interface WriteOptions {
  /** The body is the store's to keep (freshly parsed JSON, built for this call): saves a deep copy. */
  owned?: boolean | undefined;
}

/** What a store is built with. */
export interface KubeStoreOptions {
  /** Changes kept per resource for watches that resume from a resourceVersion (default 10,000). */
  historyLimit?: number | undefined;
}

interface Subscriber {
  namespace: string | undefined;
  matches(object: KubeObject): boolean;
  onEvent(event: WatchEvent): void;
  onEnd(error?: KubeStatus): void;
}

interface TypeState {
  type: ResourceType;
  objects: Map<string, KubeObject>;
  /** The keys in list order (namespace/name), rebuilt lazily after a create or delete. */
  sortedKeys: string[] | undefined;
  history: EventHistory;
  subscribers: Set<Subscriber>;
}

const nameChars = 'bcdfghjklmnpqrstvwxz2456789';
const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const dnsLabel = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;


function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((keys[mid] ?? '') < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function fieldValue(object: KubeObject, path: string): string {
  let at: unknown = object;
  for (const part of path.split('.')) at = isObject(at) ? at[part] : undefined;
  if (typeof at === 'string') return at;
  if (typeof at === 'number' || typeof at === 'boolean') return String(at);
  return at === undefined || at === null ? '' : JSON.stringify(at);
}

function fieldsOf(type: ResourceType, object: KubeObject): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const label of type.fieldLabels) fields[label] = fieldValue(object, label);
  return fields;
}

/** Everything but metadata and status, to tell whether a custom resource's generation moves. */
function specOf(object: KubeObject): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([k]) => k !== 'metadata' && k !== 'status'));
}

function withoutVersion(object: KubeObject): KubeObject {
  return { ...object, metadata: { ...object.metadata, resourceVersion: '' } };
}

interface ContinueToken {
  rv: number;
  start: string;
}

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeContinue(raw: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as Partial<ContinueToken>;
    if (typeof t.rv === 'number' && typeof t.start === 'string') return { rv: t.rv, start: t.start };
  } catch {
    // fall through to the 400
  }
  throw badRequest('continue key is not valid: illegal base64 data or a malformed token');
}

/**
 * The objects of an in-memory Kubernetes API: every resource type, the global resourceVersion counter, each
 * type's bounded change history and its watchers. Every write, from HTTP or from a test, goes through the
 * same methods, which check, store and fan the change out to watchers before returning. Each object
 * operation is O(1) apart from its own size; lists pay for the list.
 */
export class KubeStore {
  readonly #types = new Map<string, TypeState>();
  readonly #historyLimit: number;
  readonly #logs = new Map<string, Map<string, string>>();
  #rv = 0;

  constructor(options: KubeStoreOptions = {}) {
    this.#historyLimit = options.historyLimit ?? 10_000;
    for (const t of builtInResourceTypes()) this.registerType(t);
  }

  /** The newest resourceVersion, as lists report it. */
  get resourceVersion(): string {
    return String(this.#rv);
  }

  /** Serves one more resource type (idempotent per group, version and plural). */
  registerType(type: ResourceType): void {
    const key = `${type.group}/${type.version}/${type.plural}`;
    if (this.#types.has(key)) return;
    this.#types.set(key, { type, objects: new Map(), sortedKeys: undefined, history: new EventHistory(this.#historyLimit), subscribers: new Set() });
  }

  /** Stores a CRD and serves the resources it defines, as the API server does when one is created. */
  registerCrd(crd: CustomResourceDefinition, options: CrdOptions = {}): void {
    const crdType = this.typeFor('apiextensions.k8s.io', 'v1', 'customresourcedefinitions');
    if (!this.#state(crdType).objects.has(crd.metadata.name)) this.create(crdType, undefined, copy(crd));
    for (const t of crdResourceTypes(crd, options)) this.registerType(t);
  }

  /** Every served resource type. */
  types(): ResourceType[] {
    return [...this.#types.values()].map((s) => s.type);
  }

  /** The type served at group/version/plural, or undefined. */
  findType(group: string, version: string, plural: string): ResourceType | undefined {
    return this.#types.get(`${group}/${version}/${plural}`)?.type;
  }

  /** The type served at group/version/plural; a 404 when none is. */
  typeFor(group: string, version: string, plural: string): ResourceType {
    const t = this.findType(group, version, plural);
    if (t === undefined) throw new KubeStatusError(404, 'NotFound', 'the server could not find the requested resource');
    return t;
  }

  /** Creates an object, filling name (from generateName), uid, creationTimestamp and resourceVersion. */
  create(type: ResourceType, namespace: string | undefined, body: unknown, options: WriteOptions = {}): KubeObject {
    const state = this.#state(type);
    const object = this.#fromBody(type, body, options.owned === true);
    const meta = object.metadata;
    this.#checkNamespace(type, namespace, meta.namespace);
    if (type.namespaced) {
      if (namespace === undefined) throw badRequest('a namespaced resource is created in a namespace');
      meta.namespace = namespace;
      if (!this.#state(this.#namespaces()).objects.has(namespace)) throw notFound(this.#namespaces(), namespace);
    } else delete meta.namespace;
    if ((meta.name === undefined || meta.name === '') && meta.generateName !== undefined && meta.generateName !== '') {
      do meta.name = meta.generateName + Array.from({ length: 5 }, () => nameChars[Math.floor(Math.random() * nameChars.length)]).join('');
      while (state.objects.has(this.#key(type, namespace, meta.name)));
    }
    if (type.statusSubresource) delete object.status;
    type.prepareForCreate?.(object);
    type.normalize?.(object);
    Object.assign(meta, { uid: randomUUID(), creationTimestamp: kubeTime() });
    delete meta.deletionTimestamp;
    delete meta.resourceVersion;
    if (type.tracksGeneration) meta.generation = 1;
    this.#validate(type, object);
    const name = meta.name ?? '';
    const key = this.#key(type, namespace, name);
    if (state.objects.has(key)) throw alreadyExists(type, name);
    if (type.group === '' && type.plural === 'pods' && namespace !== undefined) this.#admitPod(type, namespace, name);
    meta.resourceVersion = String(++this.#rv);
    state.objects.set(key, object);
    state.sortedKeys = undefined;
    this.#emit(state, { type: 'ADDED', rv: this.#rv, object });
    return object;
  }

  /** The object, or a 404. The answer is shared: do not change it. */
  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const object = this.#state(type).objects.get(this.#key(type, namespace, name));
    if (object === undefined) throw notFound(type, name);
    return object;
  }

  /** A list in key order, filtered by selectors and paged by limit/continue. */
  list(type: ResourceType, namespace: string | undefined, options: ListOptions = {}): ListResult {
    const state = this.#state(type);
    const matches = this.#selection(type, options);
    const keys = (state.sortedKeys ??= [...state.objects.keys()].sort());
    let from = 0;
    let to = keys.length;
    if (type.namespaced && namespace !== undefined) {
      from = lowerBound(keys, `${namespace}/`);
      to = lowerBound(keys, `${namespace}0`);
    }
    let listRv = this.#rv;
    if (options.continue !== undefined && options.continue !== '') {
      const token = decodeContinue(options.continue);
      if (token.rv < state.history.compactedRv) throw expired('The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.');
      listRv = token.rv;
      from = Math.max(from, lowerBound(keys, `${token.start}\u0000`));
    }
    const limit = options.limit !== undefined && options.limit > 0 ? options.limit : Infinity;
    const items: KubeObject[] = [];
    let i = from;
    for (; i < to && items.length < limit; i++) {
      const object = state.objects.get(keys[i] ?? '');
      if (object !== undefined && matches(object)) items.push(object);
    }
    const metadata: ListResult['metadata'] = { resourceVersion: String(listRv) };
    if (i < to && items.length === limit) {
      const last = items[items.length - 1];
      metadata.continue = encodeContinue({ rv: listRv, start: last === undefined ? '' : this.#key(type, last.metadata.namespace, last.metadata.name ?? '') });
      if (options.labelSelector === undefined && options.fieldSelector === undefined) metadata.remainingItemCount = to - i;
    }
    return { kind: type.listKind, apiVersion: apiVersionOf(type), metadata, items };
  }

  /** PUT: replaces the object, or only its status through the status subresource; a stale resourceVersion is a 409. */
  replace(type: ResourceType, namespace: string | undefined, name: string, body: unknown, subresource: Subresource, options: WriteOptions = {}): KubeObject {
    const old = this.get(type, namespace, name);
    const next = this.#fromBody(type, body, options.owned === true);
    if (next.metadata.name !== undefined && next.metadata.name !== name) throw badRequest(`the name of the object (${next.metadata.name}) does not match the name on the URL (${name})`);
    this.#checkNamespace(type, namespace, next.metadata.namespace);
    return this.#update(type, old, next, subresource);
  }

  /** PATCH with a JSON patch, a merge patch or a strategic merge patch (see `applyStrategicMergePatch`). */
  patch(type: ResourceType, namespace: string | undefined, name: string, patchType: string, patch: unknown, subresource: Subresource): KubeObject {
    const old = this.get(type, namespace, name);
    let patched: unknown;
    if (patchType === 'application/json-patch+json') patched = applyJsonPatch(old, patch);
    else if (patchType === 'application/merge-patch+json') patched = applyMergePatch(old, patch);
    else if (patchType === 'application/strategic-merge-patch+json' && type.strategicMergePatch) patched = applyStrategicMergePatch(old, patch);
    else throw unsupportedMediaType(patchType);
    // The patch functions build new objects along the paths they change and share the rest with the stored
    // (never mutated) object, so only the top level and metadata need copies of their own.
    const next = this.#fromBody(type, patched, true);
    if (next.metadata.name !== name) throw badRequest('a patch may not change metadata.name');
    return this.#update(type, old, next, subresource);
  }

  /**
   * Changes an object in place of a component the API server stands for (the scheduler's binding), skipping
   * the checks a client's write gets but emitting the same watch event.
   */
  mutate(type: ResourceType, namespace: string | undefined, name: string, change: (object: KubeObject) => void): KubeObject {
    const old = this.get(type, namespace, name);
    const next = copy(old);
    change(next);
    return this.#commit(this.#state(type), old, next);
  }

  /**
   * Deletes the object, at once unless finalizers hold it (then it gets a deletionTimestamp and goes when the
   * last finalizer is removed). Preconditions on uid or resourceVersion that do not hold are a 409.
   */
  delete(type: ResourceType, namespace: string | undefined, name: string, preconditions: { uid?: string; resourceVersion?: string } = {}): KubeObject {
    const state = this.#state(type);
    const old = this.get(type, namespace, name);
    if ((preconditions.uid !== undefined && preconditions.uid !== old.metadata.uid) || (preconditions.resourceVersion !== undefined && preconditions.resourceVersion !== old.metadata.resourceVersion)) {
      throw conflict(type, name);
    }
    if ((old.metadata.finalizers?.length ?? 0) > 0) {
      if (old.metadata.deletionTimestamp !== undefined) return old;
      const next = { ...old, metadata: { ...old.metadata } };
      next.metadata.deletionTimestamp = kubeTime();
      next.metadata.deletionGracePeriodSeconds = 0;
      return this.#commit(state, old, next);
    }
    if (type.kind === 'Namespace' && type.group === '') this.#deleteContents(name);
    return this.#remove(state, old);
  }

  /** Starts a watch: replays from resourceVersion (or lists as ADDED), then follows every change. */
  watch(type: ResourceType, namespace: string | undefined, options: WatchOptions): WatchHandle {
    const state = this.#state(type);
    const sub: Subscriber = {
      namespace: type.namespaced ? namespace : undefined,
      matches: this.#selection(type, options),
      onEvent: (event) => {
        options.onEvent(event);
      },
      onEnd: (error) => {
        options.onEnd(error);
      },
    };
    const rv = options.resourceVersion;
    if (rv === undefined || rv === '' || rv === '0') {
      for (const object of state.objects.values()) this.#deliver(sub, { type: 'ADDED', rv: 0, object }, new Map());
    } else {
      const from = Number(rv);
      if (!Number.isInteger(from) || from < 0) throw badRequest(`invalid resource version: ${rv}`);
      if (from < state.history.compactedRv) {
        options.onEnd(expired(`too old resource version: ${from} (${state.history.compactedRv + 1})`).status);
        return { stop: () => undefined };
      }
      for (const event of state.history.since(from)) this.#deliver(sub, event, new Map());
    }
    state.subscribers.add(sub);
    return { stop: () => state.subscribers.delete(sub) };
  }

  /** How many watches of a type are open (the kubelet's included). */
  watching(type: ResourceType): number {
    return this.#state(type).subscribers.size;
  }

  /** Ends every watch of a type (or of all types), as an API server does when a watch times out or it restarts. */
  closeWatches(type?: ResourceType): void {
    const states = type === undefined ? [...this.#types.values()] : [this.#state(type)];
    for (const state of states) {
      const subs = [...state.subscribers];
      state.subscribers.clear();
      for (const sub of subs) sub.onEnd();
    }
  }

  /** Forgets the change history up to now, so a watch from any earlier resourceVersion gets 410 Expired. */
  compact(): void {
    for (const state of this.#types.values()) state.history.compact(this.#rv);
  }

  /** Sets the text `GET .../pods/NAME/log?container=C` answers. */
  setPodLog(namespace: string, pod: string, container: string, text: string): void {
    const key = `${namespace}/${pod}`;
    let logs = this.#logs.get(key);
    if (logs === undefined) this.#logs.set(key, (logs = new Map<string, string>()));
    logs.set(container, text);
  }

  /** The log of a container of an existing Pod (empty when none was set); 400 when the container is not named or not there. */
  podLog(namespace: string, pod: string, container: string | undefined): string {
    const object = this.get(this.typeFor('', 'v1', 'pods'), namespace, pod);
    const spec = (object.spec ?? {}) as { containers?: { name: string }[]; initContainers?: { name: string }[] };
    const names = [...(spec.initContainers ?? []), ...(spec.containers ?? [])].map((c) => c.name);
    const main = (spec.containers ?? []).map((c) => c.name);
    let chosen = container;
    if (chosen === undefined || chosen === '') {
      if (main.length !== 1) throw badRequest(`a container name must be specified for pod ${pod}, choose one of: [${main.join(' ')}]`);
      chosen = main[0] ?? '';
    }
    if (!names.includes(chosen)) throw badRequest(`container ${chosen} is not valid for pod ${pod}`);
    return this.#logs.get(`${namespace}/${pod}`)?.get(chosen) ?? '';
  }

  // Admission: the namespace's ResourceQuotas on pod count, as the apiserver checks them before storing.
  #admitPod(type: ResourceType, namespace: string, name: string): void {
    const quotas = this.list(this.typeFor('', 'v1', 'resourcequotas'), namespace).items;
    if (quotas.length === 0) return;
    const refusal = podQuotaRefusal(type, name, quotas, this.list(type, namespace).items);
    if (refusal !== undefined) throw refusal;
  }

  #namespaces(): ResourceType {
    return this.typeFor('', 'v1', 'namespaces');
  }

  #state(type: ResourceType): TypeState {
    const state = this.#types.get(`${type.group}/${type.version}/${type.plural}`);
    if (state === undefined) throw new Error(`resource ${type.plural} is not registered`);
    return state;
  }

  #key(type: ResourceType, namespace: string | undefined, name: string): string {
    return type.namespaced ? `${namespace ?? ''}/${name}` : name;
  }

  /** One predicate for both selectors, compiled once per request; no selector costs nothing per object. */
  #selection(type: ResourceType, options: SelectOptions): (object: KubeObject) => boolean {
    const noLabels = options.labelSelector === undefined || options.labelSelector.trim() === '';
    const noFields = options.fieldSelector === undefined || options.fieldSelector.trim() === '';
    const labels: Matcher = parseLabelSelector(options.labelSelector);
    const fields: Matcher = parseFieldSelector(options.fieldSelector, type.fieldLabels, type.plural);
    if (noLabels && noFields) return () => true;
    if (noFields) return (o) => labels(o.metadata.labels);
    return (o) => labels(o.metadata.labels) && fields(fieldsOf(type, o));
  }

  #checkNamespace(type: ResourceType, url: string | undefined, body: string | undefined): void {
    if (type.namespaced && body !== undefined && body !== '' && body !== url) throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }

  /** A copy of a request body, checked to be an object of this type, with kind and apiVersion set. */
  #fromBody(type: ResourceType, body: unknown, owned: boolean): KubeObject {
    if (!isObject(body)) throw badRequest('the body of the request must be a JSON object');
    const object: Record<string, unknown> = owned ? { ...body, ...(isObject(body.metadata) ? { metadata: { ...body.metadata } } : {}) } : copy(body);
    const apiVersion = apiVersionOf(type);
    if (object.kind !== undefined && object.kind !== type.kind) throw badRequest(`the kind in the body (${JSON.stringify(object.kind)}) does not match the resource (${type.kind})`);
    if (object.apiVersion !== undefined && object.apiVersion !== apiVersion) throw badRequest(`the API version in the data (${JSON.stringify(object.apiVersion)}) does not match the expected API version (${apiVersion})`);
    object.apiVersion = apiVersion;
    object.kind = type.kind;
    if (object.metadata === undefined) object.metadata = {};
    if (!isObject(object.metadata)) throw badRequest('metadata must be an object');
    return object as KubeObject;
  }

  #validate(type: ResourceType, object: KubeObject, extra: FieldIssue[] = [], subresource?: Subresource): void {
    const meta = object.metadata;
    const issues: FieldIssue[] = [];
    const name = meta.name;
    if (name === undefined || name === '') issues.push({ field: 'metadata.name', reason: 'FieldValueRequired', message: 'Required value: name or generateName is required' });
    else {
      const pattern = type.kind === 'Namespace' ? dnsLabel : dnsSubdomain;
      if (!pattern.test(name) || name.length > (type.kind === 'Namespace' ? 63 : 253)) issues.push({ field: 'metadata.name', reason: 'FieldValueInvalid', message: `Invalid value: "${name}": a lowercase RFC 1123 ${type.kind === 'Namespace' ? 'label' : 'subdomain'} must consist of lower case alphanumeric characters, '-' or '.'` });
    }
    for (const [key, map] of [['labels', meta.labels], ['annotations', meta.annotations]] as const) {
      if (map === undefined) continue;
      if (!isObject(map) || Object.values(map).some((v) => typeof v !== 'string')) issues.push({ field: `metadata.${key}`, reason: 'FieldValueTypeInvalid', message: `Invalid value: metadata.${key} must be a map of strings` });
    }
    const schema = subresource === 'status' && type.validateStatus !== undefined ? type.validateStatus(object) : type.validate(object);
    throwIfInvalid(type, name ?? '', [...issues, ...extra, ...schema]);
  }

  #update(type: ResourceType, old: KubeObject, body: KubeObject, subresource: Subresource): KubeObject {
    const bodyRv = body.metadata.resourceVersion;
    if (bodyRv !== undefined && bodyRv !== '' && bodyRv !== old.metadata.resourceVersion) throw conflict(type, old.metadata.name ?? '');
    let next: KubeObject;
    if (subresource === 'status') {
      next = { ...old, metadata: { ...old.metadata }, status: body.status };
      if (body.status === undefined) delete next.status;
    } else {
      next = body;
      if (type.statusSubresource) {
        if (old.status === undefined) delete next.status;
        else next.status = old.status;
      }
      const { uid, creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds, generation, namespace, name } = old.metadata;
      Object.assign(next.metadata, { uid, creationTimestamp, name });
      for (const [k, v] of Object.entries({ deletionTimestamp, deletionGracePeriodSeconds, generation, namespace })) {
        if (v === undefined) Reflect.deleteProperty(next.metadata, k);
        else next.metadata[k] = v;
      }
      type.normalize?.(next);
      if (type.tracksGeneration && !jsonEqual(specOf(old), specOf(next))) next.metadata.generation = (old.metadata.generation ?? 0) + 1;
    }
    next.metadata.resourceVersion = old.metadata.resourceVersion ?? '';
    this.#validate(type, next, subresource === undefined ? (type.validateUpdate?.(old, next) ?? []) : [], subresource);
    return this.#commit(this.#state(type), old, next);
  }

  /** Stores a changed object under a new resourceVersion, unless nothing changed (then, as Kubernetes, no write). */
  #commit(state: TypeState, old: KubeObject, next: KubeObject): KubeObject {
    if (jsonEqual(withoutVersion(old), withoutVersion(next))) return old;
    if (next.metadata.deletionTimestamp !== undefined && (next.metadata.finalizers?.length ?? 0) === 0) return this.#remove(state, next);
    next.metadata.resourceVersion = String(++this.#rv);
    state.objects.set(this.#key(state.type, next.metadata.namespace, next.metadata.name ?? ''), next);
    this.#emit(state, { type: 'MODIFIED', rv: this.#rv, object: next, previous: old });
    return next;
  }

  #remove(state: TypeState, object: KubeObject): KubeObject {
    const { namespace, name = '' } = object.metadata;
    state.objects.delete(this.#key(state.type, namespace, name));
    state.sortedKeys = undefined;
    if (state.type.kind === 'Pod' && state.type.group === '') this.#logs.delete(`${namespace ?? ''}/${name}`);
    // The DELETED event carries the resourceVersion of the deletion, as etcd's watch does.
    const gone = { ...object, metadata: { ...object.metadata, resourceVersion: String(++this.#rv) } };
    this.#emit(state, { type: 'DELETED', rv: this.#rv, object: gone });
    return gone;
  }

  #deleteContents(namespace: string): void {
    for (const state of this.#types.values()) {
      if (!state.type.namespaced) continue;
      for (const [key, object] of [...state.objects]) if (key.startsWith(`${namespace}/`)) this.#remove(state, object);
    }
  }

  #emit(state: TypeState, event: ChangeEvent): void {
    state.history.add(event);
    const lines = new Map<WatchEventType, string>();
    for (const sub of state.subscribers) this.#deliver(sub, event, lines);
  }

  /** Sends one change to one watcher, as ADDED/DELETED when it moves in or out of the watcher's selectors. */
  #deliver(sub: Subscriber, event: ChangeEvent, lines: Map<WatchEventType, string>): void {
    const { object, previous } = event;
    if (sub.namespace !== undefined && object.metadata.namespace !== sub.namespace) return;
    let kind = event.type;
    const after = sub.matches(object);
    if (kind === 'MODIFIED' && previous !== undefined) {
      const before = sub.matches(previous);
      if (!before && !after) return;
      if (!before) kind = 'ADDED';
      else if (!after) kind = 'DELETED';
    } else if (!after) return;
    sub.onEvent({
      type: kind,
      object,
      line: () => {
        let line = lines.get(kind);
        if (line === undefined) lines.set(kind, (line = `${JSON.stringify({ type: kind, object })}\n`));
        return line;
      },
    });
  }
}
