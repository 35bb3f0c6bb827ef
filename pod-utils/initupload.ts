import { readFile } from 'node:fs/promises';
import type { Logger } from '../lib/log.ts';
import type { OpenStoreOptions } from '../lib/storage/index.ts';
import { formatCloneRecord, type CloneRecord } from './clone-record.ts';
import { startedFor, type Finished } from './metadata.ts';
import type { InitUploadOptions, JobSpec } from './options.ts';
import { gatherItems, openBuildDestination, uploadBuild, type UploadSource } from './upload.ts';

/** What `runInitupload` runs with besides its options and the job spec. */
export interface InitUploadDeps {
  log?: Logger;
  now?: () => Date;
  /** How to reach GCS or S3 (endpoints, credentials) beyond what the options' credential files say. */
  storage?: OpenStoreOptions;
}

/** How an initupload run ended. */
export interface InitUploadResult {
  /** True when a clone record failed: the job is over before its test runs. */
  cloneFailed: boolean;
  /** Keys written, relative to the store's root. */
  uploaded: string[];
  /** 1 when cloning failed, so the Pod stops before the test container, as Prow's initupload exits. */
  exitCode: number;
}

/**
 * Prow's initupload: uploads `started.json`, the clone log and records, and the latest-build pointers and
 * presubmit alias. When a clone failed it also uploads `build-log.txt` and a failed `finished.json`, so the
 * job shows as failed without ever running its test.
 */
export async function runInitupload(options: InitUploadOptions, spec: JobSpec, deps: InitUploadDeps = {}): Promise<InitUploadResult> {
  const now = deps.now ?? (() => new Date());
  const targets = new Map<string, UploadSource>();
  let records: CloneRecord[] = [];
  let cloneFailed = false;
  if (options.log !== undefined && options.log !== '') {
    let raw: string;
    try {
      raw = await readFile(options.log, 'utf8');
    } catch (err) {
      throw new Error(`could not read clone log ${options.log}: ${(err as Error).message}`, { cause: err });
    }
    try {
      records = JSON.parse(raw) as CloneRecord[];
    } catch (err) {
      throw new Error(`could not unmarshal clone records in ${options.log}: ${(err as Error).message}`, { cause: err });
    }
    const cloneLog = records.map(formatCloneRecord).join('');
    cloneFailed = records.some((r) => r.failed === true);
    targets.set('clone-log.txt', { text: cloneLog });
    targets.set('clone-records.json', { file: options.log });
    if (cloneFailed) {
      targets.set('build-log.txt', { text: cloneLog });
      const finished: Finished = { timestamp: Math.floor(now().getTime() / 1000), passed: false, result: 'FAILURE' };
      targets.set('finished.json', { text: JSON.stringify(finished) });
    }
  }
  targets.set('started.json', { text: JSON.stringify(startedFor(spec, records, now())) });
  for (const [key, file] of await gatherItems(options.items ?? [], deps.log)) if (!targets.has(key)) targets.set(key, { file });

  const dest = await openBuildDestination(spec, options, deps.storage);
  try {
    const uploaded = await uploadBuild(dest, options, { targets }, deps.log);
    if (cloneFailed) deps.log?.error('cloning the appropriate refs failed');
    return { cloneFailed, uploaded, exitCode: cloneFailed ? 1 : 0 };
  } finally {
    await dest.store?.close();
  }
}
