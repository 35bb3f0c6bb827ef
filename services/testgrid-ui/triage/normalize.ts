/**
 * Failure text normalisation, in triage's order (`summarize/text.go: normalize`): times and dates become
 * `TIME`; the entries of Go's `map[...]` are sorted; noise that differs run to run (addresses, ids, ports,
 * generated names, line numbers, durations, temp paths) is renamed `UNIQ1`, `UNIQ2`… consistently within the
 * one text; a very long text loses its duplicate lines and then its middle. Two failures with one cause should
 * come out identical, or near enough for the clustering's edit distance.
 */

/** triage's `--max_cluster_text_length` default. */
export const MAX_CLUSTER_TEXT_LENGTH = 10_000;

/** What a truncated text carries in place of its middle, as triage writes it. */
export const TRUNCATION_MARKER = '\n...[truncated]...\n';

const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const WEEKDAY = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)';
const HMS = '\\d{1,2}:\\d{2}:\\d{2}(?:[.,]\\d+)?';
const ZONE = '(?: ?(?:Z|[+-]\\d{2}:?\\d{2}))?(?: [+-]\\d{4})?(?: (?:UTC|GMT|[A-Z]{2,4}T))?';

/** One regex, so one pass: the longest forms first, since alternatives are tried in order at each position. */
const TIME_RE = new RegExp(
  [
    // RFC 3339 / ISO 8601 and Go's time.Time.String(): 2024-05-01T12:34:56.789Z, 2024-05-01 12:34:56.1 +0000 UTC m=+1.2
    `\\d{4}-\\d{2}-\\d{2}[T ]${HMS}${ZONE}(?: m=[+-]\\d+\\.\\d+)?`,
    // Go's log package: 2024/05/01 12:34:56.000000
    `\\d{4}/\\d{2}/\\d{2} ${HMS}`,
    // RFC 1123 and ctime: Mon, 02 Jan 2006 15:04:05 MST; Mon Jan  2 15:04:05 MST 2006
    `${WEEKDAY},? (?:\\d{1,2} ${MONTH} \\d{4}|${MONTH} {1,2}\\d{1,2}) ${HMS}${ZONE}(?: \\d{4})?`,
    // syslog and Go's Stamp: Jan  2 15:04:05.000; Jan 2, 2006 15:04:05
    `${MONTH} {1,2}\\d{1,2},? (?:\\d{4} )?${HMS}`,
    // a bare date or time of day
    `\\d{4}-\\d{2}-\\d{2}`,
    HMS,
  ]
    .map((p) => `(?<![\\w.:])${p}(?!\\w|:\\d)`)
    // klog's header keeps its severity letter: I0501 12:34:56.789012
    .concat(`(?<=(?:^|\\W)[IWEF])\\d{4} ${HMS}(?!\\w|:\\d)`)
    .join('|'),
  'g',
);

/** Go prints maps in random order; sorting the entries of a flat `map[...]` makes two prints of one map equal. */
const MAP_RE = /map\[([^[\]]*)\]/g;

const K8S_ALPHABET = /^[bcdfghjklmnpqrstvwxz2456789]+$/;
const HEX = '[0-9a-fA-F]';
const TEMP_PATH = '(?<![\\w/])(?:/private)?/(?:tmp|var/tmp|var/folders)/[^\\s\'"`:,;()[\\]{}<>]+';
const SOURCE_EXT = '(?:go|py|js|mjs|cjs|ts|tsx|jsx|java|kt|rs|rb|c|cc|cpp|h)';

/**
 * Every kind of noise, one alternative each, tried in this order at each position. A match is renamed whole;
 * where a lookbehind keeps the readable part of a token (`.go:`, `e2e-tests-foo-`) only the noise is renamed.
 */
const ORDINAL_RE = new RegExp(
  [
    TEMP_PATH,
    `\\b${HEX}{8}-${HEX}{4}-${HEX}{4}-${HEX}{4}-${HEX}{12}\\b`,
    `\\b0x${HEX}+\\b`,
    // IPv6 with a :: or all eight groups, optionally [bracketed]:port
    `\\[?(?<![\\w:])(?:${HEX}{1,4}:){1,7}:(?:${HEX}{1,4}(?::${HEX}{1,4})*)?(?:%\\w+)?(?![\\w:])\\]?(?::\\d+)?`,
    `\\[?(?<![\\w:])(?:${HEX}{1,4}:){7}${HEX}{1,4}(?:%\\w+)?(?![\\w:])\\]?(?::\\d+)?`,
    '(?<![\\w.])(?:\\d{1,3}\\.){3}\\d{1,3}(?::\\d{1,5})?(?![\\w.])',
    '\\blocalhost:\\d+',
    // node names: GKE, AWS, kind, GCE's e2e minion groups
    '\\bgke-[a-z0-9-]+?-[0-9a-f]{8}-[a-z0-9]{4}\\b',
    '\\bip-\\d{1,3}-\\d{1,3}-\\d{1,3}-\\d{1,3}(?:\\.[a-z0-9-]+)*\\b',
    '\\bkind-(?:control-plane|worker)\\d*\\b',
    '(?<=-(?:minion|node|windows-node)-group-)[a-z0-9]{4}\\b',
    // long hex runs: digests, commit ids, container ids, epoch milliseconds
    `\\b${HEX}{12,64}\\b`,
    // line numbers move between versions: foo.go:123, bar.test.ts:12:34, File "x.py", line 56
    `(?<=\\.${SOURCE_EXT}:)\\d+(?::\\d+)?\\b`,
    '(?<=\\bline )\\d+\\b',
    '(?<=\\bgoroutine )\\d+\\b',
    // klog's thread id, after its TIME
    '(?<=\\b[IWEF]TIME +)\\d+\\b',
    '(?<=Server #)\\d+\\b',
    // high ports: :31234
    '(?<=[^\\d:]:)\\d{5}\\b',
    // a ReplicaSet pod's template hash and suffix (web-7d4b9c8f6d-x2k9p), then a generated 5-char suffix
    '(?<=[a-z0-9]-)[bcdfghjklmnpqrstvwxz2456789]{8,10}-[bcdfghjklmnpqrstvwxz2456789]{5}\\b',
    '(?<=[a-z0-9]-)[a-z0-9]{5}\\b(?![-.]\\w)',
    // durations: 1.234s, 5m0s, 250ms, (123 ms), in 3.21 seconds
    '\\b\\d+(?:\\.\\d+)?(?: ?(?:ms|seconds?|secs?|milliseconds?|minutes?)\\b|(?:ns|us|µs|ms|s|m|h)(?:\\d+(?:\\.\\d+)?(?:ns|us|µs|ms|s|m|h))*\\b)',
    // numbers in names: kubectl-4521, cluster_7, logger_3, TestFoo123
    '(?<=[A-Za-z0-9][-_])\\d+\\b(?!\\.\\d)',
    '(?<=[A-Za-z])\\d{3,}\\b(?!\\.\\d)',
  ].join('|'),
  'g',
);

/** A generated 5-char suffix has a digit, or uses only Kubernetes' random-name alphabet (no vowels). */
function isGeneratedSuffix(token: string): boolean {
  return /\d/.test(token) || K8S_ALPHABET.test(token);
}

function sortMapEntries(text: string): string {
  return text.replace(MAP_RE, (_m, body: string) => `map[${body.split(' ').sort().join(' ')}]`);
}

function renameOrdinals(text: string): string {
  const names = new Map<string, string>();
  return text.replace(ORDINAL_RE, (token) => {
    if (token.length === 5 && /^[a-z0-9]{5}$/.test(token) && !isGeneratedSuffix(token)) return token;
    let name = names.get(token);
    if (name === undefined) {
      name = `UNIQ${names.size + 1}`;
      names.set(token, name);
    }
    return name;
  });
}

/** Drops repeated lines, then keeps the first and last halves of `max` characters around the marker. */
export function truncateText(text: string, max = MAX_CLUSTER_TEXT_LENGTH): string {
  if (text.length <= max) return text;
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    if (seen.has(line)) continue;
    seen.add(line);
    lines.push(line);
  }
  const unique = lines.join('\n');
  if (unique.length <= max) return unique;
  const half = Math.floor(max / 2);
  return `${unique.slice(0, half)}${TRUNCATION_MARKER}${unique.slice(unique.length - half)}`;
}

/**
 * The text triage clusters on. A text over 20 times `maxLength` is cut to its head and tail before the
 * regexes run, so a megabyte goroutine dump costs no more than a long stack trace; what survives is the same.
 */
export function normalizeFailureText(text: string, maxLength = MAX_CLUSTER_TEXT_LENGTH): string {
  const bound = maxLength * 20;
  const bounded = text.length > bound ? `${text.slice(0, bound / 2)}\n${text.slice(text.length - bound / 2)}` : text;
  const timed = bounded.replace(TIME_RE, 'TIME');
  return truncateText(renameOrdinals(sortMapEntries(timed)), maxLength);
}
