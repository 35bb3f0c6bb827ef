import { TestStatus } from '../grid/status.ts';
import { scanXml, XmlSyntaxError, type XmlAttributes, type XmlVisitor } from './xml-scanner.ts';

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

function truncate(s: string): string {
  return s.length > maxJUnitString ? s.slice(0, maxJUnitString) : s;
}

/** An attribute's value, trimmed. */
function attr(attributes: XmlAttributes, name: string): string | undefined {
  return attributes.get(name)?.trim();
}

/** `message` and body joined as TestGrid shows them, or undefined when both are empty. */
function messageOf(messageAttr: string | undefined, body: string): string | undefined {
  const message = messageAttr ?? '';
  const text = body.trim();
  if (message === '' && text === '') return undefined;
  return truncate(message === '' ? text : text === '' ? message : `${message}\n${text}`);
}

/** A suite as read, its own testcases before its nested suites' (TestGrid's order, not the document's). */
interface SuiteNode {
  /** The dot-joined non-empty names of this suite and those around it. */
  path: string;
  cases: JUnitCase[];
  nested: SuiteNode[];
}

/** The children of a testcase that decide its status and message. */
const detailTags = new Set(['failure', 'error', 'skipped', 'system-out', 'system-err', 'flakyFailure', 'flakyError']);
type DetailTag = 'failure' | 'error' | 'skipped' | 'system-out' | 'system-err' | 'flakyFailure' | 'flakyError';
const messageOrder = ['error', 'failure', 'skipped', 'system-err', 'system-out'] as const;

interface CaseNode {
  suite: SuiteNode;
  name: string;
  classname?: string;
  time?: string;
  failed: boolean;
  flaky: boolean;
  /** The first `<skipped>`: whether it is a bare skip, which TestGrid drops. */
  bareSkip?: boolean;
  /** The first message of each kind of child. */
  messages: Partial<Record<DetailTag, string>>;
  properties?: Record<string, string>;
}

/** Where `<property>` values go: a suite's record, or a testcase's, made on its first property. */
type PropertyTarget = () => Record<string, string>;

type Frame =
  | { kind: 'ignored' }
  | { kind: 'suites' }
  | { kind: 'suite'; suite: SuiteNode; properties: Record<string, string> }
  | { kind: 'case'; tc: CaseNode }
  | { kind: 'properties'; into: PropertyTarget }
  | { kind: 'property'; into: PropertyTarget; name?: string; value?: string; body: string }
  | { kind: 'detail'; tc: CaseNode; tag: DetailTag; message?: string; body: string };

const ignored: Frame = { kind: 'ignored' };

/** Builds the JUnitResult from the scanner's elements as TestGrid's metadata/junit reads them. */
class JUnitReader implements XmlVisitor {
  root?: string;
  readonly top: SuiteNode[] = [];
  readonly suites: JUnitResult['suites'] = [];
  private readonly stack: Frame[] = [];

  open(name: string, attributes: XmlAttributes): boolean {
    const frame = this.frameFor(name, attributes, this.stack.at(-1));
    this.stack.push(frame);
    return frame.kind === 'detail' || frame.kind === 'property';
  }

  text(data: string): void {
    const frame = this.stack.at(-1);
    if (frame?.kind === 'detail' || frame?.kind === 'property') frame.body += data;
  }

  close(): void {
    const frame = this.stack.pop();
    if (frame?.kind === 'case') this.finishCase(frame.tc);
    else if (frame?.kind === 'detail') this.finishDetail(frame);
    else if (frame?.kind === 'property' && frame.name !== undefined) {
      frame.into()[frame.name] = frame.value ?? frame.body.trim();
    }
  }

  private frameFor(name: string, attributes: XmlAttributes, parent: Frame | undefined): Frame {
    if (parent === undefined) {
      this.root = name;
      if (name === 'testsuites') return { kind: 'suites' };
      if (name === 'testsuite') return this.openSuite(attributes, undefined);
      return ignored;
    }
    switch (parent.kind) {
      case 'suites':
        return name === 'testsuite' ? this.openSuite(attributes, undefined) : ignored;
      case 'suite':
        if (name === 'testcase') return { kind: 'case', tc: this.openCase(attributes, parent.suite) };
        if (name === 'testsuite') return this.openSuite(attributes, parent.suite);
        if (name === 'properties') {
          const { properties } = parent;
          return { kind: 'properties', into: () => properties };
        }
        return ignored;
      case 'case':
        if (detailTags.has(name)) {
          const frame: Frame = { kind: 'detail', tc: parent.tc, tag: name as DetailTag, body: '' };
          const message = attr(attributes, 'message');
          if (message !== undefined) frame.message = message;
          return frame;
        }
        if (name === 'properties') {
          const { tc } = parent;
          return { kind: 'properties', into: () => (tc.properties ??= {}) };
        }
        return ignored;
      case 'properties': {
        if (name !== 'property') return ignored;
        const frame: Frame = { kind: 'property', into: parent.into, body: '' };
        const propName = attr(attributes, 'name');
        if (propName !== undefined) frame.name = propName;
        const value = attr(attributes, 'value');
        if (value !== undefined) frame.value = value;
        return frame;
      }
      default:
        return ignored;
    }
  }

  private openSuite(attributes: XmlAttributes, parent: SuiteNode | undefined): Frame {
    const name = attr(attributes, 'name') ?? '';
    const path = parent === undefined || parent.path === '' ? name : name === '' ? parent.path : `${parent.path}.${name}`;
    const suite: SuiteNode = { path, cases: [], nested: [] };
    (parent?.nested ?? this.top).push(suite);
    const properties: Record<string, string> = {};
    this.suites.push({ name: path, properties });
    return { kind: 'suite', suite, properties };
  }

  private openCase(attributes: XmlAttributes, suite: SuiteNode): CaseNode {
    const tc: CaseNode = { suite, name: attr(attributes, 'name') ?? '', failed: false, flaky: false, messages: {} };
    const classname = attr(attributes, 'classname');
    if (classname !== undefined) tc.classname = classname;
    const time = attr(attributes, 'time');
    if (time !== undefined) tc.time = time;
    return tc;
  }

  private finishDetail(frame: Extract<Frame, { kind: 'detail' }>): void {
    const { tc, tag } = frame;
    if (tag === 'failure' || tag === 'error') tc.failed = true;
    else if (tag === 'flakyFailure' || tag === 'flakyError') tc.flaky = true;
    else if (tag === 'skipped' && tc.bareSkip === undefined) {
      const skipMessage = frame.message ?? '';
      tc.bareSkip = frame.body.trim() === '' && (skipMessage === '' || skipMessage === 'skipped');
    }
    if (tc.messages[tag] === undefined) {
      const message = messageOf(frame.message, frame.body);
      if (message !== undefined) tc.messages[tag] = message;
    }
  }

  /** One testcase into its suite, unless it is a bare skip (Ginkgo v2's `<skipped message="skipped"/>`), which TestGrid drops. */
  private finishCase(tc: CaseNode): void {
    let status: TestStatus = TestStatus.PASS;
    if (tc.failed) status = TestStatus.FAIL;
    else if (tc.bareSkip !== undefined) {
      if (tc.bareSkip) return;
      status = TestStatus.PASS_WITH_SKIPS;
    } else if (tc.flaky) status = TestStatus.FLAKY;
    const { path } = tc.suite;
    const out: JUnitCase = { name: path === '' ? tc.name : tc.name === '' ? path : `${path}.${tc.name}`, status };
    if (tc.classname !== undefined) out.classname = tc.classname;
    if (tc.time !== undefined) {
      // Some Java reporters write thousands separators: time="1,234.5".
      const seconds = Number(tc.time.includes(',') ? tc.time.replace(/,/g, '') : tc.time);
      if (Number.isFinite(seconds)) out.seconds = seconds;
    }
    let message: string | undefined;
    for (const tag of messageOrder) message ??= tc.messages[tag];
    if (message === undefined && tc.flaky) message = tc.messages.flakyFailure ?? tc.messages.flakyError;
    if (message !== undefined) out.message = message;
    if (tc.properties !== undefined) out.properties = tc.properties;
    tc.suite.cases.push(out);
  }
}

function collectCases(suites: readonly SuiteNode[], into: JUnitCase[]): void {
  for (const suite of suites) {
    for (const c of suite.cases) into.push(c);
    collectCases(suite.nested, into);
  }
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
  const reader = new JUnitReader();
  try {
    scanXml(text, reader);
  } catch (err) {
    if (err instanceof XmlSyntaxError) throw new MalformedJUnitError(file, err.message);
    throw err;
  }
  if (reader.root === undefined) throw new MalformedJUnitError(file, 'there is no root element');
  if (reader.root !== 'testsuites' && reader.root !== 'testsuite') {
    throw new MalformedJUnitError(file, `the root element is <${reader.root}>, not <testsuites> or <testsuite>`);
  }
  const cases: JUnitCase[] = [];
  collectCases(reader.top, cases);
  return { cases, suites: reader.suites };
}
