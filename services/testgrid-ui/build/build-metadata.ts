import type { Finished, Started } from '../../../pod-utils/metadata.ts';

/** started.json as TestGrid reads it: what our initupload writes, plus the legacy job-version. */
export type StartedFile = Started & { 'job-version'?: string };

/**
 * finished.json as TestGrid reads it: what our sidecar writes, but `passed` may be missing in legacy files
 * (then `result` decides) and `result` may be any ProwJob state crier wrote.
 */
export type FinishedFile = Omit<Finished, 'passed' | 'result'> & { passed?: boolean; result?: string; 'repo-version'?: string };

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function num(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  // Some uploaders quote the timestamp.
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

function withOptional<T extends object>(target: T, key: keyof T, value: unknown): void {
  if (value !== undefined) (target as Record<keyof T, unknown>)[key] = value;
}

/** Reads started.json's text; throws with the reason when it is not a JSON object. */
export function parseStarted(text: string): StartedFile {
  const raw = record(JSON.parse(text));
  if (raw === undefined) throw new Error('started.json is not a JSON object');
  const out: StartedFile = { timestamp: num(raw.timestamp) ?? 0 };
  withOptional(out, 'node', str(raw.node));
  withOptional(out, 'pull', str(raw.pull));
  const repos = record(raw.repos);
  if (repos !== undefined) out.repos = Object.fromEntries(Object.entries(repos).filter((e): e is [string, string] => typeof e[1] === 'string'));
  for (const key of ['repo-version', 'repo-commit', 'job-version'] as const) withOptional(out, key, str(raw[key]));
  withOptional(out, 'metadata', record(raw.metadata));
  return out;
}

/** Reads finished.json's text; throws with the reason when it is not a JSON object. */
export function parseFinished(text: string): FinishedFile {
  const raw = record(JSON.parse(text));
  if (raw === undefined) throw new Error('finished.json is not a JSON object');
  const out: FinishedFile = {};
  withOptional(out, 'timestamp', num(raw.timestamp));
  withOptional(out, 'passed', typeof raw.passed === 'boolean' ? raw.passed : undefined);
  for (const key of ['result', 'revision', 'job-version', 'repo-version'] as const) withOptional(out, key, str(raw[key]));
  withOptional(out, 'metadata', record(raw.metadata));
  return out;
}

/**
 * The version TestGrid's Commit header shows: the first non-empty of finished job-version, started
 * job-version, started repo-version, finished repo-version, metadata revision, repo-commit, job-version,
 * started repo-commit; the part after `+`, at most 9 characters. `missing` when there is none.
 */
export function commitOf(started: StartedFile | undefined, finished: FinishedFile | undefined): string {
  const meta = finished?.metadata ?? {};
  const candidates = [
    finished?.['job-version'],
    started?.['job-version'],
    started?.['repo-version'],
    finished?.['repo-version'],
    str(meta.revision),
    str(meta['repo-commit']),
    str(meta['job-version']),
    started?.['repo-commit'],
  ];
  const version = candidates.find((v) => v !== undefined && v !== '');
  if (version === undefined) return 'missing';
  const plus = version.lastIndexOf('+');
  return (plus >= 0 ? version.slice(plus + 1) : version).slice(0, 9);
}
