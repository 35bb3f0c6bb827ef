import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { ProwError } from '../../../lib/errors.ts';
import { compareIssues, formatIssue, type ConfigIssue } from '../../../lib/config/config-issue.ts';
import { parseGoDuration } from '../../../lib/config/go/go-duration.ts';
import { buildKeyTree } from '../../../lib/config/keys/key-tree.ts';
import { validateDocument } from '../../../lib/config/validate-document.ts';
import { issueAt, parseYaml, type YamlFile } from '../../../lib/config/yaml-file.ts';
import { states } from '../ranch/states.ts';

/** A resource type with fixed names. */
export interface StaticEntry {
  type: string;
  state: string;
  names: string[];
}

/** A resource type Boskos creates and deletes itself (a DRLC): between min and max count, living `lifespan`. */
export interface DynamicEntry {
  type: string;
  /** The state new resources start in. */
  state: string;
  minCount: number;
  maxCount: number;
  lifespanMs?: number | undefined;
  needs: Record<string, number>;
  config: { type: string; content: string };
}

/** Boskos' resources file, checked. */
export interface ResourcesConfig {
  file: string;
  static: StaticEntry[];
  dynamic: DynamicEntry[];
  /** Every type the file names, in file order. */
  types: string[];
}

const entrySchema = z.strictObject({
  type: z.string(),
  state: z.string().optional(),
  names: z.array(z.string()).optional(),
  'min-count': z.number().int().nonnegative().optional(),
  'max-count': z.number().int().nonnegative().optional(),
  lifespan: z.union([z.string(), z.number().int()]).optional(),
  needs: z.record(z.string(), z.number().int().nonnegative()).optional(),
  config: z.strictObject({ type: z.string().optional(), content: z.string().optional() }).optional(),
});
const fileSchema = z.strictObject({ resources: z.array(entrySchema).optional() });
type Entry = z.output<typeof entrySchema>;

/** Kubernetes' IsDNS1123Subdomain: resource names were object names in Boskos' CRD storage. */
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A lifespan as Boskos reads it: a Go duration string, or an integer of nanoseconds. */
function lifespanMs(value: string | number): number | undefined {
  if (typeof value === 'number') return value / 1e6;
  return parseGoDuration(value);
}

function check(yaml: YamlFile, entries: Entry[], quietIfEmpty: boolean): { config: Omit<ResourcesConfig, 'file'>; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const at = (path: PropertyKey[], message: string): void => {
    issues.push(issueAt(yaml, ['resources', ...path], message));
  };
  if (entries.length === 0 && !quietIfEmpty) issues.push(issueAt(yaml, ['resources'], 'no resources: list at least one {type, names} or {type, min-count, max-count} entry under resources:'));
  const types = new Set<string>();
  const names = new Map<string, string>();
  const out: Omit<ResourcesConfig, 'file'> = { static: [], dynamic: [], types: [] };
  const provided = new Map<string, number>();
  const needed = new Map<string, { count: number; where: PropertyKey[] }>();
  entries.forEach((e, i) => {
    if (e.type === '') at([i, 'type'], 'must be set: name the resource type, e.g. gce-project');
    else if (types.has(e.type)) at([i, 'type'], `type "${e.type}" is listed twice; merge the entries`);
    types.add(e.type);
    const state = e.state === undefined || e.state === '' ? states.free : e.state;
    const isDynamic = (e.names ?? []).length === 0;
    if (!isDynamic) {
      if (e['min-count'] !== undefined || e['max-count'] !== undefined || e.lifespan !== undefined) {
        at([i, 'names'], 'names and min-count/max-count/lifespan are exclusive: list names for a static type, or drop them for a dynamic one');
      }
      (e.names ?? []).forEach((name, j) => {
        if (name.length > 253 || !dns1123Subdomain.test(name)) {
          at([i, 'names', j], `"${name}" is not a DNS-1123 subdomain: use lowercase letters, digits, "-" and ".", starting and ending with a letter or digit`);
        } else if (names.has(name)) {
          at([i, 'names', j], `"${name}" is already a resource of type "${names.get(name) ?? ''}"; names are unique across types`);
        } else {
          names.set(name, e.type);
        }
      });
      out.static.push({ type: e.type, state, names: [...new Set(e.names)] });
      provided.set(e.type, (provided.get(e.type) ?? 0) + (e.names ?? []).length);
      return;
    }
    const max = e['max-count'] ?? 0;
    const min = e['min-count'] ?? 0;
    if (max === 0) at([i, 'max-count'], 'a dynamic type (no names) needs max-count > 0; or list its names to make it static');
    if (min > max) at([i, 'min-count'], `min-count ${min} is above max-count ${max}`);
    let lifespan: number | undefined;
    if (e.lifespan !== undefined) {
      lifespan = lifespanMs(e.lifespan);
      if (lifespan === undefined || lifespan <= 0) at([i, 'lifespan'], `"${String(e.lifespan)}" is not a positive Go duration (such as 48h or 30m) or number of nanoseconds`);
    }
    for (const [type, count] of Object.entries(e.needs ?? {})) {
      const prev = needed.get(type);
      needed.set(type, { count: (prev?.count ?? 0) + count * max, where: prev?.where ?? [i, 'needs', type] });
    }
    provided.set(e.type, (provided.get(e.type) ?? 0) + max);
    out.dynamic.push({
      type: e.type,
      state,
      minCount: min,
      maxCount: max,
      ...(lifespan === undefined ? {} : { lifespanMs: lifespan }),
      needs: e.needs ?? {},
      config: { type: e.config?.type ?? '', content: e.config?.content ?? '' },
    });
  });
  for (const [type, { count, where }] of needed) {
    const have = provided.get(type);
    if (have === undefined) at(where, `needs type "${type}", which the file does not list`);
    else if (count > have) at(where, `needs ${count} of type "${type}" at max-count, but there are only ${have}`);
  }
  out.types = [...types].filter((t) => t !== '');
  return { config: out, issues };
}

/** Parses and checks a resources file's text; `config` is set only when there are no errors. */
export function parseResourcesConfig(file: string, text: string): { config?: ResourcesConfig; issues: ConfigIssue[] } {
  const { yaml, issues } = parseYaml(file, text);
  if (issues.length > 0) return { issues };
  const validated = validateDocument(yaml, fileSchema, buildKeyTree([]));
  if (validated.value === undefined) return { issues: validated.issues };
  // A file whose only key is misspelt has no entries; saying so twice would bury the real mistake.
  const checked = check(yaml, validated.value.resources ?? [], validated.issues.length > 0);
  const all = [...validated.issues, ...checked.issues].sort(compareIssues);
  if (all.some((i) => i.severity === 'error')) return { issues: all };
  return { config: { file, ...checked.config }, issues: all };
}

/** Reads a resources file; throws PROW_ERR_CONFIG_READ or PROW_ERR_CONFIG_INVALID (every issue, with positions). */
export async function loadResourcesConfig(file: string): Promise<ResourcesConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ProwError('PROW_ERR_CONFIG_READ', file, err instanceof Error ? err.message : String(err));
  }
  const { config, issues } = parseResourcesConfig(file, text);
  if (config === undefined) throw new ProwError('PROW_ERR_CONFIG_INVALID', issues.map(formatIssue).join('\n'));
  return config;
}
