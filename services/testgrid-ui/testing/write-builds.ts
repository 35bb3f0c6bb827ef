import type { ObjectStore } from '../../../lib/storage/index.ts';

/** One synthetic build in Prow's layout, for tests and the benchmark. */
export interface SyntheticBuild {
  id: string;
  /** Epoch seconds. */
  started: number;
  /** Seconds it ran; undefined leaves it running (no finished.json). */
  ranFor?: number;
  /** Test name to failure message; absent names pass. */
  failures?: Record<string, string>;
  tests: readonly string[];
  /** The JUnit package (suite) name. */
  suite?: string;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A go-junit-report style file for the build's tests. */
export function goJUnit(build: SyntheticBuild): string {
  const suite = escapeXml(build.suite ?? 'github.com/acme/widgets/pkg');
  const failures = build.failures ?? {};
  const cases = build.tests.map((t, i) => {
    const name = escapeXml(t);
    const time = ((i % 97) / 1000 + 0.001).toFixed(3);
    const failure = failures[t];
    if (failure === undefined) return `\t\t<testcase name="${name}" classname="${suite}" time="${time}"></testcase>`;
    return `\t\t<testcase name="${name}" classname="${suite}" time="${time}">\n\t\t\t<failure message="Failed" type="">${escapeXml(failure)}</failure>\n\t\t</testcase>`;
  });
  const failed = Object.keys(failures).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites tests="${build.tests.length}" failures="${failed}">`,
    `\t<testsuite name="${suite}" tests="${build.tests.length}" failures="${failed}" errors="0" time="1.000" timestamp="${new Date(build.started * 1000).toISOString()}">`,
    '\t\t<properties>\n\t\t\t<property name="go.version" value="go1.22.1 linux/amd64"></property>\n\t\t</properties>',
    ...cases,
    '\t</testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** Writes the build under `logs/<job>/<id>/` as Prow's pod utilities lay it out. */
export async function writeBuild(store: ObjectStore, job: string, build: SyntheticBuild): Promise<string> {
  const dir = `logs/${job}/${build.id}`;
  const started = { timestamp: build.started, repos: { 'acme/widgets': 'main' }, 'repo-version': 'abcdef0123456789', 'repo-commit': 'abcdef0123456789' };
  await store.put(`${dir}/started.json`, JSON.stringify(started));
  await store.put(`${dir}/artifacts/junit_unit.xml`, goJUnit(build));
  await store.put(`${dir}/build-log.txt`, `ran ${build.tests.length} tests\n`);
  if (build.ranFor !== undefined) {
    const passed = Object.keys(build.failures ?? {}).length === 0;
    const finished = { timestamp: build.started + build.ranFor, passed, result: passed ? 'SUCCESS' : 'FAILURE', revision: 'abcdef0123456789', metadata: {} };
    await store.put(`${dir}/finished.json`, JSON.stringify(finished));
  }
  await store.put(`logs/${job}/latest-build.txt`, build.id);
  return dir;
}
