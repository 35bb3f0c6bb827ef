import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Entrypoint's marker codes, as Prow's: it could not run the command, or the command timed out. */
export const internalErrorCode = 127;
/** The command was stopped by a signal to entrypoint (the job was aborted). */
export const abortedErrorCode = 130;
/** A previous step failed, so this one did not run. */
export const previousErrorCode = 1000 + abortedErrorCode;

/** Writes `code` to the marker file in one step (temp file and rename), so a reader never sees half of it. */
export async function writeMarker(path: string, code: number, containerName = 'entrypoint'): Promise<void> {
  const tmp = await mkdtemp(join(dirname(path), `${basename(containerName)}-`));
  const file = join(tmp, 'temp-marker');
  await writeFile(file, String(code), { mode: 0o777 });
  await rename(file, path);
  await rm(tmp, { recursive: true, force: true });
}

/** What a marker file said: the exit code, or why there is none. */
export type MarkerResult = { code: number } | { error: string };

async function readMarker(path: string): Promise<MarkerResult | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { error: (err as Error).message };
  }
  const code = Number(text.trim());
  return Number.isInteger(code) && text.trim() !== '' ? { code } : { error: `marker file ${path} holds ${JSON.stringify(text)}, not an exit code` };
}

/** How long `waitForMarkers` waits before it gives up, and what can stop it early. */
export interface WaitOptions {
  /** Milliseconds; forever when unset. */
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  /** Milliseconds between looks at the files. */
  pollMs?: number;
}

/**
 * Waits until every marker file exists (Prow's wrapper.WaitForMarkers). A marker still missing at the
 * timeout, or when `signal` aborts, is reported as an error, so the caller can report the job instead of
 * waiting on a process that is gone.
 */
export async function waitForMarkers(paths: readonly string[], opts: WaitOptions = {}): Promise<Map<string, MarkerResult>> {
  const results = new Map<string, MarkerResult>();
  const deadline = opts.timeoutMs === undefined ? Infinity : Date.now() + opts.timeoutMs;
  const poll = opts.pollMs ?? 100;
  for (;;) {
    for (const path of paths) {
      if (results.has(path)) continue;
      const result = await readMarker(path);
      if (result !== undefined) results.set(path, result);
    }
    if (results.size === paths.length) return results;
    const stop = opts.signal?.aborted === true ? 'waiting was cancelled' : Date.now() >= deadline ? `no marker within ${opts.timeoutMs ?? 0} ms` : undefined;
    if (stop !== undefined) {
      for (const path of paths) if (!results.has(path)) results.set(path, { error: `${stop}: ${path} was never written` });
      return results;
    }
    await sleep(Math.min(poll, Math.max(1, deadline - Date.now())), undefined, opts.signal ? { signal: opts.signal } : {}).catch(() => undefined);
  }
}
