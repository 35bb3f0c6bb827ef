import type { IJSONSchemaProps } from 'kubernetes-models/apiextensions.k8s.io/v1';
import { z } from 'zod';

/** An object Kubernetes keeps as given (a PodSpec inside a ProwJob is checked when the Pod is made). */
export const openObject = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } as const;

type OpenObject = typeof openObject;
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];

/**
 * The structural schema of a TypeScript type, as a type: every property of `T` must be described, with the
 * JSON type its TypeScript type has, and nothing else. So the CRD cannot drift from lib/jobs/prowjob.ts
 * without the type check failing.
 */
export type SchemaOf<T> = [T] extends [string]
  ? { type: 'string'; enum?: T[]; format?: 'date-time'; description?: string }
  : [T] extends [number]
    ? { type: 'integer'; description?: string }
    : [T] extends [boolean]
      ? { type: 'boolean'; description?: string }
      : T extends readonly (infer U)[]
        ? { type: 'array'; items: SchemaOf<U>; description?: string }
        : string extends keyof T
          ? unknown extends T[string]
            ? OpenObject
            : { type: 'object'; additionalProperties: SchemaOf<T[string]>; description?: string }
          : {
              type: 'object';
              properties: { [K in keyof T]-?: SchemaOf<Exclude<T[K], undefined>> };
              required?: RequiredKeys<T>[];
              description?: string;
            };

/** A schema checked against its TypeScript type, as the JSONSchemaProps a CRD holds. */
export function asProps<T>(schema: SchemaOf<T>): IJSONSchemaProps {
  const props: unknown = schema;
  return props as IJSONSchemaProps;
}

type JsonSchema = Record<string, unknown>;

/** zod's safe-integer bounds say nothing Kubernetes needs. */
const safeBound = (v: unknown): boolean => v === Number.MAX_SAFE_INTEGER || v === Number.MIN_SAFE_INTEGER;

/**
 * A zod schema as a Kubernetes structural schema: closed objects become plain `properties` (Kubernetes prunes
 * what they do not name), open records keep unknown fields, string-or-number is int-or-string. Anything else
 * zod can say and a structural schema cannot is an error naming the path, so a config change that the CRD
 * cannot carry is found when starter.yaml is generated. Without `required`, nothing is demanded: the CRD then
 * accepts what other writers (Prow's own tools) may leave out.
 */
export function structuralFromZod(schema: z.ZodType, options: { required: boolean }): IJSONSchemaProps {
  const converted: unknown = convert(z.toJSONSchema(schema, { io: 'output' }), '', options.required);
  return converted as IJSONSchemaProps;
}

/** string-or-number, which Kubernetes calls int-or-string (a resource quantity, say). */
function isIntOrString(types: unknown[]): boolean {
  const sorted = types.map(String).sort().join();
  return sorted === 'integer,string' || sorted === 'number,string';
}

function convert(s: JsonSchema, path: string, required: boolean): JsonSchema {
  const anyOf = s.anyOf as JsonSchema[] | undefined;
  if (anyOf !== undefined) {
    const types = anyOf.map((a) => a.type);
    if (isIntOrString(types)) return { 'x-kubernetes-int-or-string': true };
    throw new Error(`${path || '/'}: a union of ${types.map(String).join(', ')} has no structural schema`);
  }
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(s)) {
    switch (key) {
      case '$schema':
      case 'propertyNames':
        break;
      case 'type':
        if (!Array.isArray(value)) out.type = value;
        else if (isIntOrString(value)) out['x-kubernetes-int-or-string'] = true;
        else throw new Error(`${path || '/'}: a value of types ${value.join(', ')} has no structural schema`);
        break;
      case 'required':
        if (required) out.required = value;
        break;
      case 'enum':
      case 'description':
        out[key] = value;
        break;
      case 'minimum':
      case 'maximum':
        if (!safeBound(value)) out[key] = value;
        break;
      case 'properties':
        out.properties = Object.fromEntries(Object.entries(value as Record<string, JsonSchema>).map(([p, ps]) => [p, convert(ps, `${path}/${p}`, required)]));
        break;
      case 'items':
        out.items = convert(value as JsonSchema, `${path}/items`, required);
        break;
      case 'additionalProperties':
        if (value === false) break;
        if (typeof value === 'object' && value !== null && Object.keys(value).length === 0) out['x-kubernetes-preserve-unknown-fields'] = true;
        else out.additionalProperties = convert(value as JsonSchema, `${path}/*`, required);
        break;
      default:
        throw new Error(`${path || '/'}: "${key}" has no structural schema equivalent here; extend deploy/structural-schema.ts`);
    }
  }
  return out;
}
