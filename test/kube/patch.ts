import { badRequest, KubeStatusError } from './kube-status.ts';

type Json = unknown;
type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function patchFailed(message: string): KubeStatusError {
  // The API server answers a JSON patch that does not apply with 422 and no reason of its own.
  return new KubeStatusError(422, 'Invalid', message);
}

/** RFC 7386 JSON merge patch: objects merge key by key, `null` removes, anything else replaces. */
export function applyMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) Reflect.deleteProperty(result, key);
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

/**
 * The lists Kubernetes' strategic merge patch merges item by item, by the key named here (the
 * `patchMergeKey` of the Go types), wherever they appear. Every other list is replaced, as in a merge patch.
 */
const mergeKeys: Readonly<Record<string, string>> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  volumes: 'name',
  env: 'name',
  volumeMounts: 'mountPath',
  ports: 'containerPort',
  conditions: 'type',
  containerStatuses: 'name',
  initContainerStatuses: 'name',
  ephemeralContainerStatuses: 'name',
  ownerReferences: 'uid',
  imagePullSecrets: 'name',
};

function mergeList(target: unknown, patch: unknown[], key: string): unknown[] {
  const result: unknown[] = Array.isArray(target) ? [...(target as unknown[])] : [];
  for (const item of patch) {
    if (!isObject(item) || !(key in item)) {
      result.push(item);
      continue;
    }
    const at = result.findIndex((t) => isObject(t) && t[key] === item[key]);
    if (item.$patch === 'delete') {
      if (at >= 0) result.splice(at, 1);
    } else if (at >= 0) result[at] = applyStrategicMergePatch(result[at], item);
    else result.push(applyStrategicMergePatch(undefined, item));
  }
  return result;
}

/**
 * Kubernetes' strategic merge patch, for the fields our code uses: a JSON merge patch, except that the lists
 * named in `mergeKeys` merge item by item by their key (with `$patch: delete` removing an item) and a
 * `$patch: replace` object replaces. Other directives (`$setElementOrder`, `$retainKeys`, `$deleteFromPrimitiveList`)
 * are not implemented.
 */
export function applyStrategicMergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch;
  if (patch.$patch === 'replace') {
    return Object.fromEntries(Object.entries(patch).filter(([k]) => k !== '$patch'));
  }
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch') continue;
    const mergeKey = mergeKeys[key];
    if (value === null) Reflect.deleteProperty(result, key);
    else if (mergeKey !== undefined && Array.isArray(value)) result[key] = mergeList(result[key], value, mergeKey);
    else result[key] = applyStrategicMergePatch(result[key], value);
  }
  return result;
}

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: unknown;
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw badRequest(`invalid JSON pointer "${pointer}"`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function childOf(parent: unknown, token: string, pointer: string): unknown {
  if (Array.isArray(parent)) {
    const i = Number(token);
    if (!/^(0|[1-9][0-9]*)$/.test(token) || i >= parent.length) throw patchFailed(`jsonpatch: index out of bounds at "${pointer}"`);
    return parent[i];
  }
  if (isObject(parent) && Object.hasOwn(parent, token)) return parent[token];
  throw patchFailed(`jsonpatch: missing value at "${pointer}"`);
}

function resolve(doc: unknown, tokens: string[], pointer: string): unknown {
  let at = doc;
  for (const t of tokens) at = childOf(at, t, pointer);
  return at;
}

/** The container of the last token, and the token. */
function locate(doc: unknown, pointer: string): { parent: unknown; token: string } {
  const tokens = parsePointer(pointer);
  const token = tokens.pop();
  if (token === undefined) throw patchFailed('jsonpatch: the whole document cannot be the target of this operation');
  return { parent: resolve(doc, tokens, pointer), token };
}

function add(doc: unknown, pointer: string, value: unknown): unknown {
  if (pointer === '') return value;
  const { parent, token } = locate(doc, pointer);
  if (Array.isArray(parent)) {
    const i = token === '-' ? parent.length : Number(token);
    if (!(token === '-' || /^(0|[1-9][0-9]*)$/.test(token)) || i > parent.length) throw patchFailed(`jsonpatch: index out of bounds at "${pointer}"`);
    parent.splice(i, 0, value);
  } else if (isObject(parent)) parent[token] = value;
  else throw patchFailed(`jsonpatch: cannot add at "${pointer}"`);
  return doc;
}

function remove(doc: unknown, pointer: string): unknown {
  const { parent, token } = locate(doc, pointer);
  childOf(parent, token, pointer);
  if (Array.isArray(parent)) parent.splice(Number(token), 1);
  else Reflect.deleteProperty(parent as JsonObject, token);
  return doc;
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && equal(a[k], b[k]));
  }
  return false;
}

/** Deep equality of JSON values, key order aside. */
export const jsonEqual: (a: unknown, b: unknown) => boolean = equal;

/** RFC 6902 JSON patch (add, remove, replace, move, copy, test), applied to a copy of the target. */
export function applyJsonPatch(target: Json, patch: Json): Json {
  if (!Array.isArray(patch)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let doc = structuredClone(target);
  for (const raw of patch) {
    if (!isObject(raw) || typeof raw.op !== 'string' || typeof raw.path !== 'string') throw badRequest(`invalid JSON patch operation: ${JSON.stringify(raw)}`);
    const op = raw as unknown as Operation;
    switch (op.op) {
      case 'add':
        doc = add(doc, op.path, structuredClone(op.value));
        break;
      case 'remove':
        doc = remove(doc, op.path);
        break;
      case 'replace':
        if (op.path === '') doc = structuredClone(op.value);
        else doc = add(remove(doc, op.path), op.path, structuredClone(op.value));
        break;
      case 'move':
      case 'copy': {
        const from = op.from ?? '';
        const value = structuredClone(resolve(doc, parsePointer(from), from));
        if (op.op === 'move') doc = remove(doc, from);
        doc = add(doc, op.path, value);
        break;
      }
      case 'test':
        if (!equal(resolve(doc, parsePointer(op.path), op.path), op.value)) throw patchFailed(`jsonpatch: testing value at "${op.path}" failed`);
        break;
      default:
        throw badRequest(`Unexpected kind: ${op.op}`);
    }
  }
  return doc;
}
