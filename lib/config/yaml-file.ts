import { readFile } from 'node:fs/promises';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Tags } from 'yaml';
import type { ConfigIssue } from './config-issue.ts';
import { formatPath } from './config-issue.ts';

/** A parsed YAML file that can still say where each key and value came from. */
export interface YamlFile {
  file: string;
  doc: Document.Parsed;
  lines: LineCounter;
  /** The document as plain data; `undefined` when it did not parse. */
  data: unknown;
}

/**
 * go-yaml leaves `1:30` and `2024-01-01` as strings; the YAML 1.1 schema here would make them a number and a
 * Date. It would also read `.` (a build context in many jobs' args) as a float; go-yaml wants a digit.
 */
const goYamlTags = (tags: Tags): Tags =>
  tags
    .filter((t) =>
      typeof t === 'string'
        ? !['intTime', 'floatTime', 'timestamp'].includes(t)
        : 'format' in t && t.format === 'TIME'
          ? false
          : t.tag !== 'tag:yaml.org,2002:timestamp',
    )
    .map((t) =>
      typeof t !== 'string' && !('collection' in t) && t.tag === 'tag:yaml.org,2002:float' && t.test?.test('.') === true
        ? { ...t, test: /^[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9_]*[0-9][0-9_]*)$/ }
        : t,
    );

/**
 * Parses YAML as Prow reads it: YAML 1.1 like go-yaml (`0400` is octal, `yes` is true, `<<` merges), one
 * document per file. Syntax errors come back as issues at the parser's position.
 */
export function parseYaml(file: string, text: string): { yaml: YamlFile; issues: ConfigIssue[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, version: '1.1', merge: true, prettyErrors: false, customTags: goYamlTags });
  const issues: ConfigIssue[] = doc.errors.map((e) => {
    const pos = lines.linePos(e.pos[0]);
    return { file, line: pos.line, col: pos.col, path: '', message: `YAML syntax: ${e.message.split('\n')[0] ?? ''}`, severity: 'error' };
  });
  const data: unknown = issues.length === 0 ? doc.toJS({ maxAliasCount: 10_000 }) : undefined;
  return { yaml: { file, doc, lines, data }, issues };
}

/** Reads and parses a YAML file; a read failure is thrown to the caller, which knows how to say it. */
export async function readYaml(file: string): Promise<{ yaml: YamlFile; issues: ConfigIssue[] }> {
  return parseYaml(file, await readFile(file, 'utf8'));
}

function resolve(yaml: YamlFile, node: unknown): unknown {
  return isAlias(node) ? node.resolve(yaml.doc) : node;
}

/** Finds the pair for `key` in a map, following `<<` merge keys the way the parser did. */
function findPair(yaml: YamlFile, map: unknown, key: string): { key: Node; value: unknown } | undefined {
  const m = resolve(yaml, map);
  if (!isMap(m)) return undefined;
  for (const item of m.items) {
    if (isPair(item) && isScalar(item.key) && String(item.key.value) === key) return { key: item.key, value: item.value };
  }
  for (const item of m.items) {
    if (isPair(item) && isScalar(item.key) && (item.key.source ?? item.key.value) === '<<') {
      const sources = resolve(yaml, item.value);
      for (const src of isSeq(sources) ? sources.items : [sources]) {
        const found = findPair(yaml, src, key);
        if (found) return found;
      }
    }
  }
  return undefined;
}

/**
 * The issue position for `path`: the key's position when `at` is 'key' (for unknown keys), else the value's.
 * Falls back to the deepest node that exists, so a missing field points at its parent.
 */
export function issueAt(
  yaml: YamlFile,
  path: readonly PropertyKey[],
  message: string,
  severity: ConfigIssue['severity'] = 'error',
  at: 'key' | 'value' = 'value',
  shownPath: readonly PropertyKey[] = path,
): ConfigIssue {
  let node: unknown = yaml.doc.contents;
  let range: readonly number[] | undefined = (node as Node | null)?.range ?? undefined;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    const current = resolve(yaml, node);
    let next: unknown;
    if (typeof seg === 'number' && isSeq(current)) next = current.items[seg];
    else {
      const pair = findPair(yaml, current, String(seg));
      if (pair && last && at === 'key') {
        range = pair.key.range ?? range;
        break;
      }
      next = pair?.value;
    }
    const r = (resolve(yaml, next) as Node | null | undefined)?.range;
    if (!r) break;
    node = next;
    range = r;
  }
  const pos = range ? yaml.lines.linePos(range[0] ?? 0) : { line: 0, col: 0 };
  return { file: yaml.file, line: pos.line, col: pos.col, path: formatPath(shownPath), message, severity };
}
