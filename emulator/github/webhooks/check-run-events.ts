import type { EmulatorContext } from '../context.ts';
import { renderApp } from '../render/app.ts';
import { checkPullRequests, renderCheckRun } from '../render/check-run.ts';
import type { Account, CheckRun, Repo } from '../state/types.ts';

/** Emits `check_run` (`created`, `completed`) with the run and the suite GitHub nests in the payload. */
export function emitCheckRunEvent(emu: EmulatorContext, repo: Repo, run: CheckRun, action: string, sender: Account): void {
  const app = run.appId === null ? undefined : emu.state.apps.get(run.appId);
  // The webhook's App has no client_id or installations_count (its schema forbids extra keys).
  const appJson = app ? Object.fromEntries(Object.entries(renderApp(emu, app)).filter(([k]) => k !== 'client_id' && k !== 'installations_count')) : null;
  const branch = [...repo.pulls.values()].find((p) => p.head.sha === run.headSha)?.head.ref ?? null;
  const checkSuite = {
    id: run.id,
    node_id: run.nodeId,
    head_branch: branch,
    head_sha: run.headSha,
    status: run.status,
    conclusion: run.conclusion,
    url: emu.urls.api(`/repos/${emu.state.fullName(repo)}/check-suites/${run.id}`),
    before: null,
    after: run.headSha,
    pull_requests: checkPullRequests(emu, repo, run.headSha),
    app: appJson,
    created_at: run.startedAt ?? run.completedAt,
    updated_at: run.completedAt ?? run.startedAt,
  };
  emu.webhooks.emit({ event: 'check_run', action, repo, sender, payload: { check_run: { ...renderCheckRun(emu, repo, run), app: appJson, check_suite: checkSuite } } });
}
