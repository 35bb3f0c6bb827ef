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

/**
 * One regex, so one pass: the longest forms first, since alternatives are tried in order at each position.
 * No alternative starts with a lookbehind (V8 would run it at every character); klog's header keeps its
 * severity letter through a group instead.
 */
const TIME_RE = new RegExp(
  [
    // RFC 3339 / ISO 8601 and Go's time.Time.String(): 2024-05-01T12:34:56.789Z, 2024-05-01 12:34:56.1 +0000 UTC m=+1.2
    `\\d{4}-\\d{2}-\\d{2}[T ]${HMS}${ZONE}(?: m=[+-]\\d+\\.\\d+)?`,
    // Go's log package: 2024/05/01 12:34:56.000000; Ginkgo's "@ 06/12/26 10:31:44.1"
    `\\d{4}/\\d{2}/\\d{2} ${HMS}`,
    `\\d{2}/\\d{2}/\\d{2}(?:\\d{2})? ${HMS}`,
    // RFC 1123 and ctime: Mon, 02 Jan 2006 15:04:05 MST; Mon Jan  2 15:04:05 MST 2006
    `${WEEKDAY},? (?:\\d{1,2} ${MONTH} \\d{4}|${MONTH} {1,2}\\d{1,2}) ${HMS}${ZONE}(?: \\d{4})?`,
    // syslog and Go's Stamp: Jan  2 15:04:05.000; Jan 2, 2006 15:04:05
    `${MONTH} {1,2}\\d{1,2},? (?:\\d{4} )?${HMS}`,
    // klog's header: I0501 12:34:56.789012
    `([IWEF])\\d{4} ${HMS}`,
    // a bare date or time of day
    `\\d{4}-\\d{2}-\\d{2}`,
    HMS,
  ]
    .map((p) => `\\b${p}(?!\\w|:\\d)`)
    .join('|'),
  'g',
);

/** Go prints maps in random order; sorting the entries of a flat `map[...]` makes two prints of one map equal. */
const MAP_RE = /map\[([^[\]]*)\]/g;

const K8S_ALPHABET = /^[bcdfghjklmnpqrstvwxz2456789]+$/;
const HEX = '[0-9a-fA-F]';
const SOURCE_EXT = '(?:go|py|js|mjs|cjs|ts|tsx|jsx|java|kt|rs|rb|c|cc|cpp|h)';

/**
 * One kind of noise. `re` has at most one group: the readable prefix kept as it is (`.go:`, `-`), so only
 * the rest is renamed. `accept` sees the token and the character before the match, for what a regex could
 * only say with a lookbehind.
 */
interface NoiseRule {
  re: string;
  prefixed?: boolean;
  accept?: (token: string, before: string) => boolean;
}

const isAlnum = (c: string): boolean => /[A-Za-z0-9]/.test(c);
const isLetter = (c: string): boolean => /[A-Za-z]/.test(c);

/** Tried in this order at each position; those with an `accept` check come late, since a refusal skips the rest there. */
const NOISE_RULES: NoiseRule[] = [
  // temp paths, from the slash: /tmp/TestFoo123/001, /tmp/pytest-of-root/pytest-3/x, /var/folders/..
  { re: '/(?:private/var/folders|var/folders|var/tmp|tmp)/[^\\s\'"`:,;()[\\]{}<>]+', accept: (_t, b) => !/[\\w/]/.test(b) },
  { re: `\\b${HEX}{8}-${HEX}{4}-${HEX}{4}-${HEX}{4}-${HEX}{12}\\b` },
  { re: `\\b0x${HEX}+\\b` },
  // IPv6 with a :: or all eight groups, optionally [bracketed]:port
  { re: `\\[?\\b(?:${HEX}{1,4}:){1,7}:(?:${HEX}{1,4}(?::${HEX}{1,4})*)?(?:%\\w+)?(?![\\w:])\\]?(?::\\d+)?` },
  { re: `\\[?\\b(?:${HEX}{1,4}:){7}${HEX}{1,4}(?:%\\w+)?(?![\\w:])\\]?(?::\\d+)?` },
  { re: '\\b(?:\\d{1,3}\\.){3}\\d{1,3}(?::\\d{1,5})?(?![\\w.])' },
  { re: '\\blocalhost:\\d+' },
  // node names: GKE, AWS, kind, GCE's e2e minion groups
  { re: '\\bgke-[a-z0-9-]+?-[0-9a-f]{8}-[a-z0-9]{4}\\b' },
  { re: '\\bip-\\d{1,3}-\\d{1,3}-\\d{1,3}-\\d{1,3}(?:\\.[a-z0-9-]+)*\\b' },
  { re: '\\bkind-(?:control-plane|worker)\\d*\\b' },
  { re: '(-(?:minion|node|windows-node)-group-)[a-z0-9]{4}\\b', prefixed: true },
  // long hex runs: digests, commit ids, container ids, epoch milliseconds
  { re: `\\b${HEX}{12,64}\\b` },
  // line numbers move between versions: foo.go:123, bar.test.ts:12:34, File "x.py", line 56
  { re: `(\\.${SOURCE_EXT}:)\\d+(?::\\d+)?\\b`, prefixed: true },
  { re: '(\\bline )\\d+\\b', prefixed: true },
  { re: '(\\bgoroutine )\\d+\\b', prefixed: true },
  // klog's thread id, after its TIME
  { re: '(\\b[IWEF]TIME +)\\d+\\b', prefixed: true },
  { re: '(Server #)\\d+\\b', prefixed: true },
  // durations: 1.234s, 5m0s, 250ms, (123 ms), in 3.21 seconds
  {
    re: '\\b\\d+(?:\\.\\d+)?(?: ?(?:ms|seconds?|secs?|milliseconds?|minutes?)\\b|(?:ns|us|µs|ms|s|m|h)(?:\\d+(?:\\.\\d+)?(?:ns|us|µs|ms|s|m|h))*\\b)',
  },
  // high ports: :31234
  { re: '(:)\\d{5}\\b', prefixed: true, accept: (_t, b) => !/[\\d:]/.test(b) },
  // a ReplicaSet pod's template hash and suffix (web-7d4b9c8f6d-x2k9p), a generated 5-char suffix, a number
  { re: '(-)[bcdfghjklmnpqrstvwxz2456789]{8,10}-[bcdfghjklmnpqrstvwxz2456789]{5}\\b', prefixed: true, accept: (_t, b) => /[a-z0-9]/.test(b) },
  { re: '(-)[a-z0-9]{5}\\b(?![-.]\\w)', prefixed: true, accept: (t, b) => /[a-z0-9]/.test(b) && isGeneratedSuffix(t) },
  // numbers in names: kubectl-4521, cluster_7, logger_3, TestFoo123; not the first group of a UUID
  // (dns-test-12345678-582f-...), which the UUID rule takes at the next position, as triage's rules run in turn
  { re: `([-_])\\d+\\b(?!\\.\\d|-${HEX}{4}-${HEX}{4}-${HEX}{4}-${HEX}{12}\\b)`, prefixed: true, accept: (_t, b) => isAlnum(b) },
  { re: '\\B\\d{3,}\\b(?!\\.\\d)', accept: (_t, b) => isLetter(b) },
];

/** The rules as one regex: each alternative is one group, its prefix (if any) the next. */
const NOISE_RE = new RegExp(NOISE_RULES.map((r) => `(${r.re})`).join('|'), 'g');
const GROUPS = NOISE_RULES.map((rule, i, all) => ({ rule, at: 1 + i + all.slice(0, i).filter((r) => r.prefixed === true).length }));

/** A generated 5-char suffix has a digit, or uses only Kubernetes' random-name alphabet (no vowels). */
function isGeneratedSuffix(token: string): boolean {
  return /\d/.test(token) || K8S_ALPHABET.test(token);
}

function sortMapEntries(text: string): string {
  return text.replace(MAP_RE, (_m, body: string) => `map[${body.split(' ').sort().join(' ')}]`);
}

function renameOrdinals(text: string): string {
  const names = new Map<string, string>();
  return text.replace(NOISE_RE, (match: string, ...args: unknown[]) => {
    const group = GROUPS.find((g) => args[g.at - 1] !== undefined);
    if (group === undefined) return match;
    const prefix = group.rule.prefixed === true ? String(args[group.at]) : '';
    const token = match.slice(prefix.length);
    const offset = args[args.length - 2] as number;
    if (group.rule.accept !== undefined && !group.rule.accept(token, text.charAt(offset - 1))) return match;
    let name = names.get(token);
    if (name === undefined) {
      name = `UNIQ${names.size + 1}`;
      names.set(token, name);
    }
    return prefix + name;
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
  const timed = bounded.replace(TIME_RE, (_m, severity: string | undefined) => `${severity ?? ''}TIME`);
  return truncateText(renameOrdinals(sortMapEntries(timed)), maxLength);
}
