import { XMLParser } from 'fast-xml-parser';
import { TestStatus } from '../grid/status.ts';
import { findXmlFault } from './well-formed.ts';

/** What one `<testcase>` says, in TestGrid's terms. */
export interface JUnitCase {
  /** The row name: enclosing suite names and the case name, dot-joined, empty parts dropped (TestGrid's convertResult). */
  name: string;
  classname?: string;
  /** FAIL (failure or error), PASS_WITH_SKIPS (skipped), FLAKY (Surefire's flakyFailure/flakyError) or PASS. */
  status: TestStatus;
  /** The `time` attribute, in seconds, when it is a number. */
  seconds?: number;
  /** The first non-empty of error, failure, skipped, system-err, system-out: `message` attribute, newline, body. */
  message?: string;
  /** Testcase `<property>` values by name. */
  properties?: Record<string, string>;
}

/** One parsed JUnit file. */
export interface JUnitResult {
  /** Every counted testcase in document order; duplicates are kept (the build merges them). */
  cases: JUnitCase[];
  /** Suite names with their `<property>` values (go.version, JVM properties, Ginkgo's SuiteSucceeded...). */
  suites: { name: string; properties: Record<string, string> }[];
}

/** A JUnit file that cannot be read: not XML, the wrong root, or another charset than UTF-8. */
export class MalformedJUnitError extends Error {
  readonly file: string;
  /** What is wrong, without the file name. */
  readonly why: string;

  constructor(file: string, why: string) {
    super(`${file}: ${why}. TestGrid reads <testsuites> or <testsuite> JUnit XML in UTF-8; fix the tool that wrote it.`);
    this.name = 'MalformedJUnitError';
    this.file = file;
    this.why = why;
  }
}

/** TestGrid truncates strings at parse time to this many characters. */
export const maxJUnitString = 10_000;

type Element = Record<string, unknown>;

const repeated = new Set([
  'testsuite',
  'testcase',
  'properties',
  'property',
  'failure',
  'error',
  'skipped',
  'flakyFailure',
  'flakyError',
  'rerunFailure',
  'rerunError',
  'system-out',
  'system-err',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: false,
  ignorePiTags: true,
  isArray: (tag) => repeated.has(tag),
});

// The parser decodes the five named entities; numeric references (&#10; in pytest's and go-junit-report's
// attributes) are decoded here, where they occur, which costs far less than the parser's HTML entity table.
function decodeNumeric(s: string): string {
  if (!s.includes('&#')) return s;
  return s.replace(/&#(x[0-9a-fA-F]+|[0-9]+);/g, (ref, code: string) => {
    const n = code.startsWith('x') ? parseInt(code.slice(1), 16) : parseInt(code, 10);
    return n <= 0x10ffff ? String.fromCodePoint(n) : ref;
  });
}

function truncate(s: string): string {
  return s.length > maxJUnitString ? s.slice(0, maxJUnitString) : s;
}

function attr(el: unknown, name: string): string | undefined {
  if (el === null || typeof el !== 'object') return undefined;
  const v = (el as Element)[`@${name}`];
  return typeof v === 'string' ? decodeNumeric(v) : undefined;
}

function body(el: unknown): string {
  if (typeof el === 'string') return decodeNumeric(el);
  if (el === null || typeof el !== 'object') return '';
  const v = (el as Element)['#text'];
  return typeof v === 'string' ? decodeNumeric(v) : '';
}

function children(el: unknown, tag: string): unknown[] {
  if (el === null || typeof el !== 'object') return [];
  const v = (el as Element)[tag];
  if (v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

/** `message` and body joined as TestGrid shows them, or undefined when both are empty. */
function messageOf(el: unknown): string | undefined {
  const message = attr(el, 'message')?.trim() ?? '';
  const text = body(el).trim();
  if (message === '' && text === '') return undefined;
  return truncate(message === '' ? text : text === '' ? message : `${message}\n${text}`);
}

function propertiesOf(el: unknown): Record<string, string> | undefined {
  let out: Record<string, string> | undefined;
  for (const props of children(el, 'properties')) {
    for (const p of children(props, 'property')) {
      const name = attr(p, 'name');
      if (name === undefined) continue;
      out ??= {};
      out[name] = attr(p, 'value') ?? body(p);
    }
  }
  return out;
}

function firstMessage(el: unknown, tags: readonly string[]): string | undefined {
  for (const tag of tags) {
    for (const child of children(el, tag)) {
      const m = messageOf(child);
      if (m !== undefined) return m;
    }
  }
  return undefined;
}

const messageOrder = ['error', 'failure', 'skipped', 'system-err', 'system-out'] as const;

/** One testcase, or undefined for a bare skip (Ginkgo v2's `<skipped message="skipped"/>`), which TestGrid drops. */
function caseOf(tc: unknown, parents: readonly string[]): JUnitCase | undefined {
  const name = attr(tc, 'name') ?? '';
  const failed = children(tc, 'failure').length > 0 || children(tc, 'error').length > 0;
  const skipped = children(tc, 'skipped');
  const flaky = children(tc, 'flakyFailure').length > 0 || children(tc, 'flakyError').length > 0;
  let status: TestStatus = TestStatus.PASS;
  if (failed) status = TestStatus.FAIL;
  else if (skipped.length > 0) {
    const skip = skipped[0];
    const skipMessage = attr(skip, 'message') ?? '';
    if (body(skip).trim() === '' && (skipMessage === '' || skipMessage === 'skipped')) return undefined;
    status = TestStatus.PASS_WITH_SKIPS;
  } else if (flaky) status = TestStatus.FLAKY;
  const out: JUnitCase = { name: [...parents, name].filter((p) => p !== '').join('.'), status };
  const classname = attr(tc, 'classname');
  if (classname !== undefined) out.classname = classname;
  const time = attr(tc, 'time');
  if (time !== undefined) {
    // Some Java reporters write thousands separators: time="1,234.5".
    const seconds = Number(time.replace(/,/g, ''));
    if (Number.isFinite(seconds)) out.seconds = seconds;
  }
  const message = firstMessage(tc, messageOrder) ?? (flaky ? firstMessage(tc, ['flakyFailure', 'flakyError']) : undefined);
  if (message !== undefined) out.message = message;
  const properties = propertiesOf(tc);
  if (properties !== undefined) out.properties = properties;
  return out;
}

function walkSuite(suite: unknown, parents: readonly string[], result: JUnitResult): void {
  const name = attr(suite, 'name') ?? '';
  const path = name === '' ? parents : [...parents, name];
  result.suites.push({ name: path.join('.'), properties: propertiesOf(suite) ?? {} });
  for (const tc of children(suite, 'testcase')) {
    const c = caseOf(tc, path);
    if (c !== undefined) result.cases.push(c);
  }
  for (const nested of children(suite, 'testsuite')) walkSuite(nested, path, result);
}

/**
 * Parses one JUnit file as TestGrid's `metadata/junit` does: a `<testsuites>` or `<testsuite>` root, nested
 * suites, results from the testcases (suite counters are not trusted). An empty file has no results.
 * Throws MalformedJUnitError naming `file` (with line and column for XML errors).
 */
export function parseJUnit(file: string, xml: string | Buffer): JUnitResult {
  let text = typeof xml === 'string' ? xml : xml.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') return { cases: [], suites: [] };
  const encoding = /^<\?xml[^>]*\bencoding=["']([^"']+)["']/.exec(text)?.[1];
  if (encoding !== undefined && !/^utf-?8$/i.test(encoding)) throw new MalformedJUnitError(file, `it declares encoding "${encoding}"`);
  const fault = findXmlFault(text);
  if (fault !== undefined) throw new MalformedJUnitError(file, `line ${fault.line} column ${fault.col}: ${fault.message}`);
  let doc: Element;
  try {
    doc = parser.parse(text) as Element;
  } catch (err) {
    throw new MalformedJUnitError(file, (err as Error).message);
  }
  const result: JUnitResult = { cases: [], suites: [] };
  const roots = Object.keys(doc).filter((k) => !k.startsWith('?'));
  const root = roots[0];
  if (roots.length !== 1 || (root !== 'testsuites' && root !== 'testsuite')) {
    throw new MalformedJUnitError(file, `the root element is <${roots.join('>, <')}>, not <testsuites> or <testsuite>`);
  }
  if (root === 'testsuites') {
    const top = doc.testsuites;
    for (const suite of children(top, 'testsuite')) walkSuite(suite, [], result);
  } else {
    for (const suite of children(doc, 'testsuite')) walkSuite(suite, [], result);
  }
  return result;
}
