import { access, readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Transform } from 'node:stream';
import type { Logger } from '../lib/log.ts';
import type { OpenStoreOptions } from '../lib/storage/index.ts';
import { createCensorStream, loadSecrets, shouldCensor } from './censor.ts';
import { abortedErrorCode, previousErrorCode, waitForMarkers, type MarkerResult } from './marker.ts';
import { resultOf, type Finished } from './metadata.ts';
import { durationMs, type JobSpec, type SidecarOptions, type WrapperOptions } from './options.ts';
import { revisionOf } from './refs.ts';
import { gatherItems, openBuildDestination, uploadBuild, type UploadSource } from './upload.ts';

/** What `runSidecar` runs with besides its options and the job spec. */
export interface SidecarDeps {
  log?: Logger;
  /** Aborting it is a SIGTERM or SIGINT to the sidecar: a best-effort upload now, then waiting goes on. */
  interrupt?: AbortSignal;
  now?: () => Date;
  storage?: OpenStoreOptions;
  /** The sidecar's own log so far, uploaded as `sidecar-logs.json`. */
  ownLog?: () => string;
  /** Milliseconds between looks at the marker files. */
  pollMs?: number;
}

/** How the job ended, as the sidecar reported it. */
export interface SidecarResult {
  passed: boolean;
  aborted: boolean;
  /** Entries that failed (not counting those skipped because an earlier one failed). */
  failures: number;
  /** Keys written, relative to the store's root. */
  uploaded: string[];
  /** 0 when every entry passed and the upload worked, else 1. */
  exitCode: number;
}

/** The build log name of an entry: `build-log.txt`, or `<container>-build-log.txt` when there are several. */
function buildLogName(entry: WrapperOptions, count: number): string {
  return count > 1 ? `${entry.container_name ?? 'test'}-build-log.txt` : 'build-log.txt';
}

/** Prow's combineMetadata: every entry's metadata file merged, later keys winning, failures under `sidecar-errors`. */
async function combineMetadata(entries: readonly WrapperOptions[]): Promise<Record<string, unknown>> {
  const metadata: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const [i, entry] of entries.entries()) {
    if (entry.metadata_file === undefined || entry.metadata_file === '') continue;
    let raw: string;
    try {
      raw = await readFile(entry.metadata_file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') errors[`entry ${i}: ${entry.args.join(' ')}`] = (err as Error).message;
      continue;
    }
    try {
      const piece = JSON.parse(raw) as unknown;
      if (piece === null || typeof piece !== 'object' || Array.isArray(piece)) throw new Error('metadata must be a JSON object');
      Object.assign(metadata, piece);
    } catch (err) {
      errors[`entry ${i}: ${entry.args.join(' ')}`] = (err as Error).message;
    }
  }
  if (Object.keys(errors).length > 0) metadata['sidecar-errors'] = errors;
  return metadata;
}

interface Verdict {
  passed: boolean;
  aborted: boolean;
  failures: number;
}

function judge(results: ReadonlyMap<string, MarkerResult>): Verdict {
  let passed = true;
  let aborted = false;
  let failures = 0;
  for (const result of results.values()) {
    const code = 'code' in result ? result.code : -1;
    passed &&= code === 0;
    aborted ||= code === abortedErrorCode;
    if (code !== 0 && code !== previousErrorCode) failures++;
  }
  return { passed, aborted, failures };
}

const archives = new Set(['.gz', '.tgz', '.zip', '.tar', '.bz2', '.xz']);

/**
 * Prow's sidecar: waits for every entry's marker file, then uploads the build logs, `finished.json`
 * (passed, result, revision, metadata) and everything under the artifact directories, censoring secrets
 * on the way when asked to.
 */
export async function runSidecar(options: SidecarOptions, spec: JobSpec, deps: SidecarDeps = {}): Promise<SidecarResult> {
  const { log } = deps;
  const now = deps.now ?? (() => new Date());
  const entries = options.entries;
  const censoring = options.censoring_options;
  const secrets = censoring?.secret_directories?.length ? await loadSecrets(censoring) : [];
  const items = options.gcs_options.items ?? [];

  const upload = async (verdict: Verdict): Promise<string[]> => {
    const targets = new Map<string, UploadSource>();
    for (const entry of entries) {
      const name = buildLogName(entry, entries.length);
      try {
        await access(entry.process_log);
        targets.set(name, { file: entry.process_log });
      } catch (err) {
        log?.error({ path: entry.process_log }, 'Failed to open the process log');
        targets.set(name, { text: `Failed to open ${entry.process_log}: ${(err as Error).message}\n` });
      }
    }
    const finished: Finished = {
      timestamp: Math.floor(now().getTime() / 1000),
      passed: verdict.passed,
      result: resultOf(verdict.passed, verdict.aborted),
      metadata: await combineMetadata(entries),
    };
    const revision = revisionOf(spec);
    if (revision !== '') finished.revision = revision;
    for (const [key, file] of await gatherItems(items, log)) if (!targets.has(key)) targets.set(key, { file });
    if (deps.ownLog) targets.set('sidecar-logs.json', { text: deps.ownLog() });
    // Uploaded last (targets go in order), so a reader that sees finished.json finds the artifacts already there.
    targets.set('finished.json', { text: JSON.stringify(finished) });

    // Logs and finished.json are always censored; files from the artifact directories as include/exclude say.
    const censor =
      secrets.length === 0 || censoring === undefined
        ? undefined
        : (key: string): Transform | undefined => {
            const [, ...inItem] = key.split('/');
            if (inItem.length === 0) return createCensorStream(secrets);
            if (archives.has(extname(key)) || !shouldCensor(censoring, inItem.join('/'))) return undefined;
            return createCensorStream(secrets);
          };

    const dest = await openBuildDestination(spec, options.gcs_options, deps.storage);
    try {
      return await uploadBuild(dest, options.gcs_options, { targets, censor }, log);
    } finally {
      await dest.store?.close();
    }
  };

  // The final upload waits for a best-effort one, so an ABORTED finished.json never lands after the real one.
  let bestEffort: Promise<unknown> = Promise.resolve();
  const onInterrupt = (): void => {
    if (options.ignore_interrupts === true) {
      log?.warn('Received an interrupt, ignoring');
      return;
    }
    // Asked to stop before the test finished: get what there is into storage now, then keep waiting.
    log?.error('Received an interrupt, uploading what there is');
    bestEffort = upload({ passed: false, aborted: true, failures: 0 }).then(
      () => log?.error('Best-effort upload was successful'),
      (err: unknown) => log?.error({ err: (err as Error).message }, 'Failed to perform best-effort upload'),
    );
  };
  deps.interrupt?.addEventListener('abort', onInterrupt, { once: true });

  const waitTimeout = options.wait_timeout === undefined ? undefined : durationMs(options.wait_timeout, 0) || undefined;
  const results = await waitForMarkers(
    entries.map((e) => e.marker_file),
    { timeoutMs: waitTimeout, ...(deps.pollMs === undefined ? {} : { pollMs: deps.pollMs }) },
  );
  deps.interrupt?.removeEventListener('abort', onInterrupt);
  for (const [path, result] of results) if ('error' in result) log?.error({ marker: path, err: result.error }, 'Entry did not finish');

  const verdict = judge(results);
  let uploaded: string[] = [];
  let uploadFailed = false;
  await bestEffort;
  try {
    uploaded = await upload(verdict);
  } catch (err) {
    uploadFailed = true;
    log?.error({ err: (err as Error).message }, 'Failed to report job status');
  }
  return { ...verdict, uploaded, exitCode: verdict.failures > 0 || !verdict.passed || uploadFailed ? 1 : 0 };
}
