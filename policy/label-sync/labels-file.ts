import { isPair, isScalar, visit } from 'yaml';
import { z } from 'zod';
import { compareIssues, formatIssue, formatPath, type ConfigIssue } from '../../lib/config/config-issue.ts';
import { buildKeyTree } from '../../lib/config/keys/key-tree.ts';
import { validateDocument } from '../../lib/config/validate-document.ts';
import { issueAt, readYaml, type YamlFile } from '../../lib/config/yaml-file.ts';
import { ProwError } from '../../lib/errors.ts';

/** One label of Prow's labels.yaml: what it should look like, who adds it, and the names it replaces. */
export interface LabelSpec {
  name: string;
  color?: string | undefined;
  description?: string | undefined;
  /** Where the label applies: `issues`, `prs` or `both`. */
  target?: 'issues' | 'prs' | 'both' | undefined;
  prowPlugin?: string | undefined;
  isExternalPlugin?: boolean | undefined;
  addedBy?: string | undefined;
  /** Older names migrated to this one. */
  previously?: LabelSpec[] | undefined;
  /** RFC 3339 time after which an existing label of this name is deleted. */
  deleteAfter?: string | undefined;
}

/** labels.yaml: labels for every repo (`default`), and more for some orgs and repos (`org`, `org/repo` keys). */
export interface LabelsConfig {
  default: { labels: LabelSpec[] };
  orgs: Record<string, { labels: LabelSpec[] }>;
  repos: Record<string, { labels: LabelSpec[] }>;
}

const rfc3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

const labelSchema: z.ZodType<LabelSpec> = z.strictObject({
  name: z.string().min(1, 'a label needs a name'),
  color: z
    .string()
    .regex(/^[0-9a-fA-F]{6}$/, 'a colour is six hex digits without "#", e.g. e11d21')
    .optional(),
  // GitHub refuses longer descriptions.
  description: z.string().max(100, 'GitHub allows at most 100 characters in a label description').optional(),
  target: z.enum(['issues', 'prs', 'both']).optional(),
  prowPlugin: z.string().optional(),
  isExternalPlugin: z.boolean().optional(),
  addedBy: z.string().optional(),
  get previously() {
    return z.array(labelSchema).optional();
  },
  deleteAfter: z
    .string()
    .refine((v) => rfc3339.test(v) && !Number.isNaN(Date.parse(v)), 'deleteAfter is an RFC 3339 time, e.g. 2026-01-02T15:04:05Z')
    .optional(),
});

const labelList = z.strictObject({ labels: z.array(labelSchema).optional() });

const labelsFileSchema = z.strictObject({
  default: labelList.optional(),
  orgs: z.record(z.string(), labelList).optional(),
  repos: z.record(z.string(), labelList).optional(),
});

type Lists = z.output<typeof labelsFileSchema>;

/**
 * Prow's checks beyond the shape: a label's name (case-insensitively) appears once among the labels one repo
 * gets, and no previous name repeats one defined before it; repo keys are `org/repo`; and a label that would be
 * created has a colour.
 */
function ruleIssues(yaml: YamlFile, lists: Lists): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const walk = (labels: readonly LabelSpec[], path: PropertyKey[], seen: Map<string, string>, live: boolean): void => {
    labels.forEach((label, i) => {
      const at = [...path, i];
      const lower = label.name.toLowerCase();
      const other = seen.get(lower);
      if (other !== undefined) issues.push(issueAt(yaml, [...at, 'name'], `label "${label.name}" is also defined at ${other}: keep one`));
      else seen.set(lower, `${formatPath(at)} (line ${String(issueAt(yaml, [...at, 'name'], '').line)})`);
      if (live && label.deleteAfter === undefined && label.color === undefined) {
        issues.push(issueAt(yaml, at, `label "${label.name}" needs a color to be created`));
      }
      // As in Prow, a previous name must not clash with the names before it, but two live labels may both
      // list the same previous name (Kubernetes' own file does); the later one wins the migration.
      walk(label.previously ?? [], [...at, 'previously'], new Map(seen), false);
    });
  };
  const defaults = new Map<string, string>();
  walk(lists.default?.labels ?? [], ['default', 'labels'], defaults, true);
  const orgSeen = new Map<string, Map<string, string>>();
  for (const [org, list] of Object.entries(lists.orgs ?? {})) {
    if (org.includes('/')) issues.push(issueAt(yaml, ['orgs', org], `"${org}" is not an org name: put repos under repos:`, 'error', 'key'));
    const seen = new Map(defaults);
    walk(list.labels ?? [], ['orgs', org, 'labels'], seen, true);
    orgSeen.set(org, seen);
  }
  for (const [repo, list] of Object.entries(lists.repos ?? {})) {
    const [org = '', name, extra] = repo.split('/');
    if (org === '' || name === undefined || name === '' || extra !== undefined) {
      issues.push(issueAt(yaml, ['repos', repo], `"${repo}" is not in org/repo form`, 'error', 'key'));
    }
    walk(list.labels ?? [], ['repos', repo, 'labels'], new Map(orgSeen.get(org) ?? defaults), true);
  }
  return issues;
}

const stringKeys = new Set(['name', 'color', 'description', 'target', 'prowPlugin', 'addedBy', 'deleteAfter']);

/**
 * Prow reads labels.yaml into Go strings, and sigs.k8s.io/yaml then keeps a scalar as written: `color: 000000`
 * or `color: e04338` stay those six characters rather than becoming 0 or a float.
 */
function asWritten(yaml: YamlFile): YamlFile {
  visit(yaml.doc, {
    Pair(_, pair) {
      if (isPair(pair) && isScalar(pair.key) && stringKeys.has(String(pair.key.value)) && isScalar(pair.value) && typeof pair.value.value !== 'string') {
        pair.value.value = pair.value.source ?? String(pair.value.value);
      }
    },
  });
  return { ...yaml, data: yaml.doc.toJS({ maxAliasCount: 10_000 }) as unknown };
}

/** Checks a parsed labels.yaml: its shape, then Prow's rules; the config is returned only when it has no errors. */
export function parseLabelsFile(parsed: YamlFile): { config: LabelsConfig | undefined; issues: ConfigIssue[] } {
  const yaml = asWritten(parsed);
  const validated = validateDocument(yaml, labelsFileSchema, buildKeyTree([]));
  const issues = [...validated.issues];
  const lists = validated.value;
  if (lists) issues.push(...ruleIssues(yaml, lists));
  issues.sort(compareIssues);
  if (!lists || issues.some((i) => i.severity === 'error')) return { config: undefined, issues };
  const byKey = (m: Lists['repos']): Record<string, { labels: LabelSpec[] }> =>
    Object.fromEntries(Object.entries(m ?? {}).map(([k, v]) => [k, { labels: v.labels ?? [] }]));
  return { config: { default: { labels: lists.default?.labels ?? [] }, orgs: byKey(lists.orgs), repos: byKey(lists.repos) }, issues };
}

/** Reads labels.yaml; every problem is named by file:line in one PROW_ERR_CONFIG_INVALID. */
export async function loadLabelsFile(file: string): Promise<LabelsConfig> {
  let read;
  try {
    read = await readYaml(file);
  } catch (err) {
    throw new ProwError('PROW_ERR_CONFIG_READ', file, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message);
  }
  const parsed = read.issues.length > 0 ? { config: undefined, issues: read.issues } : parseLabelsFile(read.yaml);
  const errors = parsed.issues.filter((i) => i.severity === 'error');
  if (!parsed.config || errors.length > 0) throw new ProwError('PROW_ERR_CONFIG_INVALID', errors.map(formatIssue).join('\n'));
  return parsed.config;
}
