/**
 * Collections whose next segment is an identifier, and the name Prow's ghmetrics route tree gives it.
 * `greedy` names take every remaining segment (a file path, a ref with slashes).
 */
const params: Record<string, { name: string; greedy?: true }> = {
  pulls: { name: ':pullId' },
  issues: { name: ':issueId' },
  comments: { name: ':commentId' },
  reviews: { name: ':reviewId' },
  labels: { name: ':label' },
  commits: { name: ':sha' },
  statuses: { name: ':sha' },
  status: { name: ':sha' },
  branches: { name: ':branch' },
  collaborators: { name: ':user' },
  assignees: { name: ':user' },
  members: { name: ':user' },
  memberships: { name: ':user' },
  users: { name: ':user' },
  orgs: { name: ':org' },
  teams: { name: ':team' },
  hooks: { name: ':hookId' },
  milestones: { name: ':milestone' },
  'check-runs': { name: ':checkRunId' },
  'check-suites': { name: ':checkSuiteId' },
  installations: { name: ':installationId' },
  releases: { name: ':releaseId' },
  events: { name: ':eventId' },
  runs: { name: ':runId' },
  jobs: { name: ':jobId' },
  trees: { name: ':sha' },
  blobs: { name: ':sha' },
  tags: { name: ':tag' },
  contents: { name: ':path', greedy: true },
  refs: { name: ':ref', greedy: true },
  ref: { name: ':ref', greedy: true },
  compare: { name: ':basehead', greedy: true },
};

/** Words GitHub uses as sub-collections right after a collection (`/issues/comments/:commentId`). */
const literalAfter: Record<string, ReadonlySet<string>> = {
  issues: new Set(['comments', 'events']),
  pulls: new Set(['comments']),
  teams: new Set(['members']),
};

/** A segment that can only be an identifier: digits, a sha, or anything long. */
function looksLikeId(segment: string): boolean {
  return /^\d+$/.test(segment) || /^[0-9a-f]{40}$/i.test(segment) || segment.length > 40;
}

/**
 * The path as a metric label, as Prow's ghmetrics simplifies it: owners, repos, numbers, shas, labels and
 * file paths become placeholders (`/repos/:owner/:repo/pulls/:pullId/files`), so a label's values stay few.
 */
export function metricPath(path: string): string {
  const bare = path.split('?')[0] ?? '';
  const segments = bare.split('/').filter((s) => s !== '');
  if (segments.length === 0) return '/';
  const out: string[] = [];
  let i = 0;
  if (segments[0] === 'repos') {
    out.push('repos', ':owner', ':repo');
    i = 3;
  }
  let paramNext: (typeof params)[string] | undefined;
  for (; i < segments.length; i++) {
    const segment = segments[i] ?? '';
    const previous = out[out.length - 1] ?? '';
    if (paramNext !== undefined && literalAfter[previous]?.has(segment) !== true) {
      out.push(paramNext.name);
      if (paramNext.greedy) break;
      paramNext = undefined;
      continue;
    }
    if (looksLikeId(segment)) {
      out.push(':id');
      continue;
    }
    out.push(segment);
    paramNext = params[segment];
  }
  return `/${out.slice(0, Math.max(1, segments.length)).join('/')}`;
}

/** The caller's User-Agent without versions or the rest of its trail (`prow-ts/0.1.0 octokit...` is `prow-ts`). */
export function metricUserAgent(userAgent: string | undefined): string {
  const first = (userAgent ?? '').trim().split(/[\s/]/)[0] ?? '';
  const clean = first.replace(/[^\w.-]/g, '').slice(0, 40);
  return clean === '' ? 'unknown' : clean;
}
