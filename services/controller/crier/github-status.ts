import { isRequestError } from '../../../lib/github/friendly-errors.ts';
import type { ProwOctokit } from '../../../lib/github/prow-octokit.ts';
import type { ProwJob, ProwJobState } from '../../../lib/jobs/index.ts';
import type { Logger } from '../../../lib/log.ts';

/** The states GitHub accepts for a commit status. */
export type GitHubStatusState = 'pending' | 'success' | 'failure' | 'error';

/** The longest description GitHub keeps, in Prow's measure (UTF-8 bytes, so never more than 140 characters). */
export const statusDescriptionMaxBytes = 140;

const baseShaDelimiter = ' BaseSHA:';
// U+2001 EM QUAD: looks like a space, but GitHub's UI does not collapse runs of it as it does spaces.
const pad = '\u2001';
const elide = ' ... ';

/** A job state as a commit status state, as Prow's report.go maps it (an aborted job is a failure there). */
export function githubStateFor(state: ProwJobState): GitHubStatusState {
  switch (state) {
    case 'scheduling':
    case 'triggered':
    case 'pending':
      return 'pending';
    case 'success':
      return 'success';
    case 'failure':
    case 'aborted':
      return 'failure';
    case 'error':
      return 'error';
  }
}

const byteLength = (s: string): number => Buffer.byteLength(s, 'utf8');

/** The longest prefix (or suffix, `fromEnd`) of `s` that fits in `bytes` UTF-8 bytes, never splitting a character. */
function fitBytes(s: string, bytes: number, fromEnd: boolean): string {
  const chars = Array.from(s);
  if (fromEnd) chars.reverse();
  const kept: string[] = [];
  let used = 0;
  for (const c of chars) {
    const n = byteLength(c);
    if (used + n > bytes) break;
    kept.push(c);
    used += n;
  }
  if (fromEnd) kept.reverse();
  return kept.join('');
}

/** `in` cut to `max` bytes by eliding its middle ("really ... messages"), as Prow's truncate. */
function truncateMiddle(text: string, max: number): string {
  if (byteLength(text) <= max) return text;
  const half = Math.max(0, Math.floor((max - elide.length) / 2));
  return fitBytes(text, half, false) + elide + fitBytes(text, half, true);
}

/**
 * A status description carrying the base SHA the job ran against, as Prow's ContextDescriptionWithBaseSha
 * writes it so Tide can tell which base a result belongs to: `humanReadable`, then U+2001 padding that keeps
 * the suffix at a stable place in GitHub's UI, then ` BaseSHA:<sha>`; at most 140 bytes, a long
 * `humanReadable` losing its middle. Prow counts the padding as it adds it, so the padded text is shorter than
 * 140 bytes; this is kept so descriptions compare equal with Prow's. Unlike Prow, cuts never split a character.
 */
export function statusDescription(humanReadable: string, baseSha: string | undefined): string {
  let suffix = '';
  if (baseSha !== undefined && baseSha !== '') {
    suffix = baseShaDelimiter + baseSha;
    const unpadded = byteLength(humanReadable) + byteLength(suffix);
    // Prow pads one U+2001 (3 bytes) at a time while padded count < 140 - current length: ceil(gap / 4) pads.
    if (unpadded < statusDescriptionMaxBytes) suffix = pad.repeat(Math.ceil((statusDescriptionMaxBytes - unpadded) / 4)) + suffix;
  }
  return truncateMiddle(humanReadable, statusDescriptionMaxBytes - byteLength(suffix)) + suffix;
}

/** The commit status Prow sets for a job. */
export interface JobCommitStatus {
  owner: string;
  repo: string;
  sha: string;
  state: GitHubStatusState;
  context: string;
  description: string;
  target_url?: string;
}

/**
 * The status for `job`: on the first pull's head (a postsubmit's base SHA when it has no pulls), named by
 * `spec.context`, linking to `status.url`. Undefined for a job without refs, which has no commit to mark.
 */
export function commitStatusFor(job: ProwJob): JobCommitStatus | undefined {
  const refs = job.spec.refs;
  if (refs === undefined) return undefined;
  const sha = refs.pulls?.[0]?.sha ?? refs.base_sha;
  if (sha === undefined || sha === '') return undefined;
  const status: JobCommitStatus = {
    owner: refs.org,
    repo: refs.repo,
    sha,
    state: githubStateFor(job.status.state),
    context: job.spec.context ?? '',
    description: statusDescription(job.status.description ?? '', refs.base_sha),
  };
  if (job.status.url !== undefined && job.status.url !== '') status.target_url = job.status.url;
  return status;
}

/**
 * Why a failed status write is not worth retrying, or undefined when it is: the SHA and context already
 * have GitHub's maximum of statuses, or the commit is gone (a force push). Prow gives up on both.
 */
export function unrecoverableStatusError(err: unknown): 'too-many-statuses' | 'commit-not-found' | undefined {
  if (!isRequestError(err)) return undefined;
  const said = `${err.message} ${JSON.stringify(err.response?.data ?? null)}`;
  if (said.includes('This SHA and context has reached the maximum number of statuses')) return 'too-many-statuses';
  if (err.status === 404 || said.includes('No commit found for SHA:')) return 'commit-not-found';
  return undefined;
}

/**
 * Sets `job`'s commit status and says whether it was set. The two failures Prow swallows (see
 * `unrecoverableStatusError`) are logged and answer false, so the caller reports nothing more and crier does
 * not retry; any other failure is thrown, for crier to retry.
 */
export async function reportStatus(github: ProwOctokit, job: ProwJob, log: Logger): Promise<boolean> {
  const status = commitStatusFor(job);
  if (status === undefined) return false;
  try {
    await github.rest.repos.createCommitStatus({ ...status });
    return true;
  } catch (err) {
    const reason = unrecoverableStatusError(err);
    if (reason === undefined) throw err;
    log.info({ err, job: job.spec.job, sha: status.sha, context: status.context, reason }, 'github status not set, and not retried');
    return false;
  }
}
