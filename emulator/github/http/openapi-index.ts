import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/** One operation of GitHub's OpenAPI description. */
export interface Operation {
  operationId: string;
  method: string;
  /** The spec's path template, e.g. `/repos/{owner}/{repo}/issues/{issue_number}`. */
  path: string;
  requestBody?: { required?: boolean; content?: Record<string, { schema?: unknown }> };
}

interface Spec {
  paths: Record<string, Record<string, Operation | undefined>>;
  components: Record<string, unknown>;
}

interface Entry {
  segments: string[];
  /** The last segment is a parameter that may hold slashes (`{path}`, `{ref}`). */
  greedy: boolean;
  literals: number;
  op: Operation;
}

const methods = ['get', 'post', 'put', 'patch', 'delete', 'head'];
const greedyParams = new Set(['{path}', '{ref}']);

let specPromise: Promise<Spec> | undefined;

/** GitHub's api.github.com description, read once per process and shared by every emulator. */
function loadSpec(): Promise<Spec> {
  specPromise ??= (async () => {
    // Only this one file: the package index loads every variant (hundreds of MB).
    const path = createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json');
    return JSON.parse(await readFile(path, 'utf8')) as Spec;
  })();
  return specPromise;
}

// ajv-formats is CJS whose default export is the function itself.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

/**
 * Turns an OpenAPI 3.0 schema into JSON Schema ajv takes: `nullable` becomes a `null` type (ajv refuses
 * `nullable` next to `$ref`/`oneOf`), and with `refBase` the `#/components/...` refs point into the
 * components document registered with ajv.
 */
function toJsonSchema(schema: unknown, refBase: string): unknown {
  if (Array.isArray(schema)) return schema.map((s) => toJsonSchema(s, refBase));
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  let nullable = false;
  for (const [k, v] of Object.entries(schema)) {
    if (k === 'nullable') nullable = v === true;
    else if (k === '$ref' && typeof v === 'string' && v.startsWith('#/')) out[k] = `${refBase}${v}`;
    else if (k === 'example' || k === 'examples' || k.startsWith('x-')) continue;
    else out[k] = toJsonSchema(v, refBase);
  }
  if (!nullable) return out;
  if (typeof out.type === 'string') {
    out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...(out.enum as unknown[]), null];
    return out;
  }
  return { anyOf: [out, { type: 'null' }] };
}

/** A matcher from (method, path) to the spec's operation, and request body validation per operation. */
export class OpenApiIndex {
  private readonly byMethod = new Map<string, Entry[]>();
  private readonly ajv: Ajv;
  private readonly validators = new Map<string, ValidateFunction>();
  private components: Record<string, unknown> | undefined;

  private constructor(spec: Spec) {
    for (const [path, item] of Object.entries(spec.paths)) {
      const segments = path.split('/').slice(1);
      const last = segments.at(-1) ?? '';
      for (const method of methods) {
        const op = item[method];
        if (!op) continue;
        const list = this.byMethod.get(method.toUpperCase()) ?? [];
        list.push({
          segments,
          greedy: greedyParams.has(last),
          literals: segments.filter((s) => !s.startsWith('{')).length,
          op: { operationId: op.operationId, method: method.toUpperCase(), path, ...(op.requestBody ? { requestBody: op.requestBody } : {}) },
        });
        this.byMethod.set(method.toUpperCase(), list);
      }
    }
    for (const list of this.byMethod.values()) list.sort((a, b) => b.literals - a.literals);
    this.ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, coerceTypes: false });
    addFormats(this.ajv);
    this.components = spec.components;
  }

  /** The process-wide index (the spec is 13 MB: parsed once). */
  static async load(): Promise<OpenApiIndex> {
    const spec = await loadSpec();
    indexPromise ??= Promise.resolve(new OpenApiIndex(spec));
    return indexPromise;
  }

  /** The operation for a method and a URL path (no query string), preferring literal segments. */
  match(method: string, urlPath: string): Operation | undefined {
    const parts = urlPath.split('/').slice(1);
    const list = this.byMethod.get(method === 'HEAD' ? 'GET' : method) ?? [];
    for (const e of list) {
      if (e.greedy ? parts.length < e.segments.length : parts.length !== e.segments.length) continue;
      let ok = true;
      for (let i = 0; i < e.segments.length && ok; i++) {
        const seg = e.segments[i] ?? '';
        const part = parts[i] ?? '';
        ok = seg.startsWith('{') ? part.length > 0 : seg === part;
      }
      if (ok) return e.op;
    }
    return undefined;
  }

  /** Errors of a JSON body against the operation's request schema, as GitHub words them; empty when valid. */
  validateBody(op: Operation, body: unknown): string[] {
    const schema = op.requestBody?.content?.['application/json']?.schema;
    if (schema === undefined) return [];
    if (body === undefined || body === null || body === '') return op.requestBody?.required ? ['Request body is required.'] : [];
    let validate = this.validators.get(op.operationId);
    if (!validate) {
      if (this.components) {
        // Converted on first use only: most processes never validate a body.
        this.ajv.addSchema({ $id: 'components.json', components: toJsonSchema(this.components, '') });
        this.components = undefined;
      }
      validate = this.ajv.compile(toJsonSchema(schema, 'components.json') as object);
      this.validators.set(op.operationId, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map((e) => {
      const where = e.instancePath === '' ? 'the body' : `'${e.instancePath.slice(1).replace(/\//g, '.')}'`;
      if (e.keyword === 'required') return `"${String(e.params.missingProperty)}" wasn't supplied.`;
      if (e.keyword === 'additionalProperties') return `"${String(e.params.additionalProperty)}" is not a permitted key.`;
      return `For ${where}, ${JSON.stringify(pick(body, e.instancePath))} ${e.message ?? 'is invalid'}.`;
    });
  }
}

let indexPromise: Promise<OpenApiIndex> | undefined;

function pick(body: unknown, pointer: string): unknown {
  let cur = body;
  for (const key of pointer.split('/').slice(1)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return cur;
}
