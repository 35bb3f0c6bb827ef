import type { Refs } from '../lib/jobs/index.ts';
import type { CloneRecord } from './clone-record.ts';
import type { JobSpec } from './options.ts';
import { mainRefs, refsString, revisionOf } from './refs.ts';

/** `started.json`, as TestGrid's `metadata.Started` names its fields. */
export interface Started {
  /** Unix seconds. */
  timestamp: number;
  node?: string;
  /** The first pull's number, as a string. */
  pull?: string;
  /** `org/repo` to its refs as PULL_REFS writes them. */
  repos?: Record<string, string>;
  'repo-version'?: string;
  'repo-commit'?: string;
  metadata?: Record<string, unknown>;
}

/** `finished.json`, as TestGrid's `metadata.Finished` names its fields. */
export interface Finished {
  timestamp?: number;
  passed: boolean;
  result?: 'SUCCESS' | 'FAILURE' | 'ABORTED';
  /** The pull's head, else the base sha, else the base ref. */
  revision?: string;
  metadata?: Record<string, unknown>;
  'job-version'?: string;
}

/** Refs without Go's zero values, so two refs compare as Go's reflect.DeepEqual compares them after JSON. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const kept = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => [k, canonical(v)] as const)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return kept.length === 0 ? undefined : Object.fromEntries(kept);
  }
  return value === '' || value === false || value === 0 || value === null ? undefined : value;
}

function sameRefs(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** Prow's `SpecToStarted`: what initupload writes before the test starts. */
export function startedFor(spec: JobSpec, records: readonly CloneRecord[], now: Date): Started {
  const main = mainRefs(spec);
  const cloned = main === undefined ? undefined : records.find((r) => sameRefs(r.refs, main))?.final_sha;
  const version = cloned !== undefined && cloned !== '' ? cloned : revisionOf(spec);
  const started: Started = { timestamp: Math.floor(now.getTime() / 1000) };
  const firstPull = spec.refs?.pulls?.[0];
  if (firstPull !== undefined) started.pull = String(firstPull.number);
  const repos: Record<string, string> = {};
  const all: Refs[] = [...(spec.refs ? [spec.refs] : []), ...(spec.extra_refs ?? [])];
  for (const refs of all) repos[`${refs.org}/${refs.repo}`] = refsString(refs);
  started.repos = repos;
  if (version !== '') {
    started['repo-version'] = version;
    started['repo-commit'] = version;
  }
  return started;
}

/** The result word TestGrid and deck read from finished.json. */
export function resultOf(passed: boolean, aborted: boolean): NonNullable<Finished['result']> {
  if (passed) return 'SUCCESS';
  return aborted ? 'ABORTED' : 'FAILURE';
}
