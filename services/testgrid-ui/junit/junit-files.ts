import { posix } from 'node:path';

/**
 * Which objects under a build are JUnit: TestGrid's `junit*.xml` and `test.xml` (Bazel) anywhere under the
 * build, plus Maven Surefire/Failsafe's `TEST-*.xml`, which none of Prow's readers match unless renamed.
 */
export const defaultJUnitPattern = /(?:^|\/)(?:junit[^/]*\.xml|test\.xml|TEST-[^/]*\.xml)$/;

/** True when `key` (a path relative to the build directory, or a full key) names a JUnit file. */
export function isJUnitFile(key: string, pattern: RegExp = defaultJUnitPattern): boolean {
  return pattern.test(key);
}

/** What a JUnit file's name says, as TestGrid reads `junit_<context>_<YYYYMMDD-HHMM>_<thread>.xml`. */
export interface JUnitFileMeta {
  Context?: string;
  Timestamp?: string;
  Thread?: string;
}

const nameParts = /^junit(_[^_]+)?(_\d+-\d+)?(_\d+)?\.xml$/;

/** The Context/Timestamp/Thread a JUnit file's name carries; a bare number (`junit_01.xml`) is a thread. */
export function junitFileMeta(key: string): JUnitFileMeta {
  const m = nameParts.exec(posix.basename(key));
  if (m === null) return {};
  const meta: JUnitFileMeta = {};
  const [, context, timestamp, thread] = m;
  if (context !== undefined && /^_\d+$/.test(context) && timestamp === undefined && thread === undefined) {
    meta.Thread = context.slice(1);
    return meta;
  }
  if (context !== undefined) meta.Context = context.slice(1);
  if (timestamp !== undefined) meta.Timestamp = timestamp.slice(1);
  if (thread !== undefined) meta.Thread = thread.slice(1);
  return meta;
}
