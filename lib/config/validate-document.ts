import type { z } from 'zod';
import type { ConfigIssue } from './config-issue.ts';
import { lookupKey, unknownKeysIn, type KeyTree } from './keys/key-tree.ts';
import { issueAt, type YamlFile } from './yaml-file.ts';

/** What one file's validation yields: the typed value (when its shape is right) and every issue found. */
export interface Validated<T> {
  value: T | undefined;
  issues: ConfigIssue[];
}

const notImplemented = 'Prow key not implemented yet, ignored';

/** Go reads `key:` with no value as the field's zero value; undefined is how zod spells "not set". */
function nullsToUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(nullsToUndefined);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, v === null ? undefined : nullsToUndefined(v)]));
}

function childOf(data: unknown, path: readonly PropertyKey[]): unknown {
  let at = data;
  for (const seg of path) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<PropertyKey, unknown>)[seg];
  }
  return at;
}

function unknownKeyIssues(yaml: YamlFile, tree: KeyTree, value: unknown, base: readonly PropertyKey[]): ConfigIssue[] {
  return unknownKeysIn(tree, value, base).map((path) =>
    issueAt(yaml, path, `unknown key "${String(path.at(-1))}"`, 'error', 'key', path.slice(0, -1)),
  );
}

/**
 * Validates a parsed file against a strict zod schema. A key the schema lacks is a warning when Prow knows it
 * (`known`) and is then dropped, else an error; keys inside a dropped or passthrough section are still checked
 * against Prow's. Every other schema failure is an error at the offending value.
 */
export function validateDocument<S extends z.ZodType>(
  yaml: YamlFile,
  schema: S,
  known: KeyTree,
  passthrough: readonly string[] = [],
): Validated<z.output<S>> {
  const data = nullsToUndefined(yaml.data ?? {});
  const issues: ConfigIssue[] = [];
  let result = schema.safeParse(data);
  if (!result.success) {
    let dropped = false;
    for (const issue of result.error.issues) {
      if (issue.code !== 'unrecognized_keys') continue;
      const parent = childOf(data, issue.path) as Record<string, unknown>;
      for (const key of issue.keys) {
        const path = [...issue.path, key];
        const prow = lookupKey(known, path);
        if (prow) {
          issues.push(issueAt(yaml, path, notImplemented, 'warning', 'key'));
          issues.push(...unknownKeyIssues(yaml, prow, parent[key], path));
        } else {
          issues.push(issueAt(yaml, path, `unknown key "${key}"`, 'error', 'key', issue.path));
        }
        // Dropping the key lets the second pass type-check everything else and yield a value.
        Reflect.deleteProperty(parent, key);
        dropped = true;
      }
    }
    if (dropped) result = schema.safeParse(data);
    if (!result.success) {
      for (const issue of result.error.issues) {
        issues.push(issueAt(yaml, issue.path, issue.message));
      }
    }
  }
  if (result.success) {
    for (const section of passthrough) {
      const value = childOf(result.data, [section]);
      const tree = lookupKey(known, [section]);
      if (value === undefined || !tree) continue;
      issues.push(issueAt(yaml, [section], 'Prow key not implemented yet, kept as written but not acted on', 'warning', 'key'));
      issues.push(...unknownKeyIssues(yaml, tree, value, [section]));
    }
  }
  return { value: result.success ? result.data : undefined, issues };
}
