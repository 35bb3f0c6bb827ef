import type { TestStatus } from '../grid/status.ts';
import type { JUnitCase, JUnitResult } from './parse-junit.ts';

/**
 * A JUnitResult as a few strings and typed arrays, which a worker posts far more cheaply than 500 case
 * objects (structured clone copies typed arrays and long strings in one step, objects field by field).
 */
export interface PackedResult {
  /** Every case's name, one after another; case i's ends at `nameEnds[i]`. */
  names: string;
  nameEnds: Uint32Array;
  statuses: Uint8Array;
  /** NaN where a case has no time. */
  seconds: Float64Array;
  /** Distinct classnames; case i's is `classnames[classnameOf[i] - 1]`, 0 meaning none. */
  classnames: string[];
  classnameOf: Uint32Array;
  /** Cases with a message: their indexes and messages. */
  messageAt: number[];
  messages: string[];
  /** Cases with properties: their indexes and properties. */
  propertiesAt: number[];
  properties: Record<string, string>[];
  suites: JUnitResult['suites'];
}

/** The result in the packed form `unpackResult` reads back. */
export function packResult(result: JUnitResult): PackedResult {
  const n = result.cases.length;
  const packed: PackedResult = {
    names: '',
    nameEnds: new Uint32Array(n),
    statuses: new Uint8Array(n),
    seconds: new Float64Array(n),
    classnames: [],
    classnameOf: new Uint32Array(n),
    messageAt: [],
    messages: [],
    propertiesAt: [],
    properties: [],
    suites: result.suites,
  };
  const names: string[] = [];
  const classnameIndex = new Map<string, number>();
  let length = 0;
  result.cases.forEach((c, i) => {
    names.push(c.name);
    length += c.name.length;
    packed.nameEnds[i] = length;
    packed.statuses[i] = c.status;
    packed.seconds[i] = c.seconds ?? NaN;
    if (c.classname !== undefined) {
      let k = classnameIndex.get(c.classname);
      if (k === undefined) {
        k = packed.classnames.push(c.classname);
        classnameIndex.set(c.classname, k);
      }
      packed.classnameOf[i] = k;
    }
    if (c.message !== undefined) {
      packed.messageAt.push(i);
      packed.messages.push(c.message);
    }
    if (c.properties !== undefined) {
      packed.propertiesAt.push(i);
      packed.properties.push(c.properties);
    }
  });
  packed.names = names.join('');
  return packed;
}

/** The JUnitResult `packResult` packed. */
export function unpackResult(packed: PackedResult): JUnitResult {
  const cases: JUnitCase[] = [];
  let start = 0;
  for (let i = 0; i < packed.statuses.length; i++) {
    const end = packed.nameEnds[i] ?? start;
    const c: JUnitCase = { name: packed.names.slice(start, end), status: (packed.statuses[i] ?? 0) as TestStatus };
    start = end;
    const k = packed.classnameOf[i] ?? 0;
    if (k > 0) c.classname = packed.classnames[k - 1] ?? '';
    const seconds = packed.seconds[i] ?? NaN;
    if (!Number.isNaN(seconds)) c.seconds = seconds;
    cases.push(c);
  }
  packed.messageAt.forEach((i, k) => {
    const c = cases[i];
    if (c !== undefined) c.message = packed.messages[k] ?? '';
  });
  packed.propertiesAt.forEach((i, k) => {
    const c = cases[i];
    if (c !== undefined) c.properties = packed.properties[k] ?? {};
  });
  return { cases, suites: packed.suites };
}
