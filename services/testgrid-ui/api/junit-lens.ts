import { readBuffer } from '../../../lib/storage/index.ts';
import { isFailing, TestStatus } from '../grid/status.ts';
import { isJUnitFile } from '../junit/junit-files.ts';
import type { JUnitParser } from '../junit/junit-parser.ts';
import { MalformedJUnitError } from '../junit/parse-junit.ts';
import type { JunitLens, JunitTestView } from './build.ts';

function viewStatus(status: TestStatus): JunitTestView['status'] {
  if (status === TestStatus.FLAKY) return 'flaky';
  if (status === TestStatus.PASS_WITH_SKIPS) return 'skipped';
  return isFailing(status) ? 'failed' : 'passed';
}

/**
 * Spyglass' JUnit lens over the grid's reader: every JUnit file of the build (the names TestGrid reads),
 * parsed by `parser`, one entry per test case. A file that cannot be read shows as one failed entry named
 * after it, with why, as TestGrid's Overall row names malformed artifacts; the other files still show.
 */
export function junitLensFrom(parser: JUnitParser): JunitLens {
  return async ({ store, dir, artifacts }) => {
    const files = artifacts.map((a) => a.key).filter((key) => isJUnitFile(key.slice(dir.length + 1)));
    if (files.length === 0) return undefined;
    const perFile = await Promise.all(
      files.map(async (key): Promise<JunitTestView[]> => {
        const name = key.slice(dir.length + 1);
        try {
          const result = await parser.parse(name, await readBuffer(store, key));
          return result.cases.map((c) => ({ name: c.name, status: viewStatus(c.status), duration: c.seconds, message: isFailing(c.status) || c.status === TestStatus.FLAKY ? c.message : undefined }));
        } catch (err) {
          if (!(err instanceof MalformedJUnitError)) throw err;
          return [{ name, status: 'failed', message: `Malformed artifact: ${err.why}` }];
        }
      }),
    );
    return { tests: perFile.flat() };
  };
}
