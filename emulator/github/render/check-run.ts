import type { CheckRun, PullRef, Repo } from '../state/types.ts';
import { renderApp } from './app.ts';
import type { RenderContext } from './context.ts';

/** The open PRs whose head is the run's commit, in the short form check runs and suites carry. */
export function checkPullRequests(ctx: RenderContext, repo: Repo, headSha: string): Record<string, unknown>[] {
  const ref = (r: PullRef): Record<string, unknown> => {
    const refRepo = ctx.state.repo(r.repoId);
    return { ref: r.ref, sha: r.sha, repo: { id: refRepo.id, url: ctx.urls.api(`/repos/${ctx.state.fullName(refRepo)}`), name: refRepo.name } };
  };
  return [...repo.pulls.values()]
    .filter((p) => p.head.sha === headSha && repo.issues.get(p.number)?.state === 'open')
    .map((p) => ({ url: ctx.urls.api(`/repos/${ctx.state.fullName(repo)}/pulls/${p.number}`), id: p.id, number: p.number, head: ref(p.head), base: ref(p.base) }));
}

/** A check run in REST's `check-run` shape. */
export function renderCheckRun(ctx: RenderContext, repo: Repo, run: CheckRun): Record<string, unknown> {
  const full = ctx.state.fullName(repo);
  const url = ctx.urls.api(`/repos/${full}/check-runs/${run.id}`);
  const app = run.appId === null ? undefined : ctx.state.apps.get(run.appId);
  return {
    id: run.id,
    head_sha: run.headSha,
    node_id: run.nodeId,
    external_id: run.externalId ?? '',
    url,
    html_url: ctx.urls.html(`/${full}/runs/${run.id}`),
    details_url: run.detailsUrl ?? ctx.urls.html(`/${full}/runs/${run.id}`),
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: { ...run.output, annotations_count: 0, annotations_url: `${url}/annotations` },
    name: run.name,
    // The emulator keeps one suite per run, sharing its id.
    check_suite: { id: run.id },
    app: app ? renderApp(ctx, app) : null,
    pull_requests: checkPullRequests(ctx, repo, run.headSha),
  };
}
