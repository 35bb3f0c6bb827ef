import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EmulatorContext } from '../context.ts';
import { loadRepo, requireActor } from '../http/access.ts';
import { GitHubError, notFound, validationFailed } from '../http/github-error.ts';
import { pageParams } from '../http/pagination.ts';
import { renderCheckRun } from '../render/check-run.ts';
import { nodeId } from '../state/node-id.ts';
import { isoNow } from '../state/state.ts';
import type { App, CheckRun, Repo } from '../state/types.ts';
import { emitCheckRunEvent } from '../webhooks/check-run-events.ts';
import { resolveCommitRef } from './commit-lookup.ts';

interface RepoParams { Params: { owner: string; repo: string } }
interface RunParams { Params: { owner: string; repo: string; check_run_id: string } }

interface RunBody {
  name?: string;
  head_sha?: string;
  details_url?: string;
  external_id?: string;
  status?: CheckRun['status'];
  started_at?: string;
  conclusion?: NonNullable<CheckRun['conclusion']>;
  completed_at?: string;
  output?: { title?: string; summary?: string; text?: string };
}

/** The App behind an installation token: only Apps may write check runs (403 for anyone else, as GitHub answers). */
function callingApp(emu: EmulatorContext, req: FastifyRequest): App {
  const actor = requireActor(req);
  const inst = actor.token.installationId === undefined ? undefined : emu.state.installations.get(actor.token.installationId);
  const app = inst ? emu.state.apps.get(inst.appId) : undefined;
  if (actor.token.kind !== 'installation' || !app) throw new GitHubError(403, 'You must authenticate via a GitHub App.');
  return app;
}

/** Applies status, conclusion, times and output from a create or update body; a conclusion completes the run. */
function applyBody(run: CheckRun, body: RunBody): void {
  if (body.name !== undefined) run.name = body.name;
  if (body.details_url !== undefined) run.detailsUrl = body.details_url;
  if (body.external_id !== undefined) run.externalId = body.external_id;
  if (body.started_at !== undefined) run.startedAt = body.started_at;
  if (body.status !== undefined) run.status = body.status;
  if (body.conclusion !== undefined) {
    run.conclusion = body.conclusion;
    run.status = 'completed';
  }
  if (run.status === 'completed') {
    if (run.conclusion === null) throw validationFailed({ resource: 'CheckRun', field: 'conclusion', code: 'missing_field' });
    run.completedAt = body.completed_at ?? run.completedAt ?? isoNow();
  }
  if (run.status === 'in_progress') run.startedAt ??= isoNow();
  if (body.output) {
    run.output = { title: body.output.title ?? run.output.title, summary: body.output.summary ?? run.output.summary, text: body.output.text ?? run.output.text };
  }
}

function loadRun(emu: EmulatorContext, repo: Repo, id: string): CheckRun {
  const run = emu.state.checkRuns.get(Number(id));
  if (run?.repoId !== repo.id) throw notFound();
  return run;
}

/** Check runs: create and update (Apps only, emitting `check_run`), read one, list per commit. */
export function checkRunRoutes(app: FastifyInstance): void {
  const { emu } = app;

  app.post<RepoParams & { Body: RunBody }>('/repos/:owner/:repo/check-runs', async (req, reply) => {
    const caller = callingApp(emu, req);
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo, 'write', 'checks');
    const headSha = await resolveCommitRef(emu, repo, req.body.head_sha ?? '');
    const id = emu.state.nextId();
    const run: CheckRun = {
      id,
      nodeId: nodeId('CheckRun', id),
      repoId: repo.id,
      headSha,
      name: req.body.name ?? '',
      status: 'queued',
      conclusion: null,
      startedAt: isoNow(),
      completedAt: null,
      detailsUrl: null,
      externalId: null,
      output: { title: null, summary: null, text: null },
      appId: caller.id,
    };
    applyBody(run, req.body);
    emu.state.checkRuns.set(id, run);
    const sender = requireActor(req).account;
    emitCheckRunEvent(emu, repo, run, 'created', sender);
    if (run.status === 'completed') emitCheckRunEvent(emu, repo, run, 'completed', sender);
    reply.code(201);
    return renderCheckRun(emu, repo, run);
  });

  app.patch<RunParams & { Body: RunBody }>('/repos/:owner/:repo/check-runs/:check_run_id', (req) => {
    const caller = callingApp(emu, req);
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo, 'write', 'checks');
    const run = loadRun(emu, repo, req.params.check_run_id);
    if (run.appId !== caller.id) throw new GitHubError(403, 'Invalid app_id `' + String(caller.id) + '` - check run can only be modified by the GitHub App that created it.');
    const wasCompleted = run.status === 'completed';
    applyBody(run, req.body);
    if (!wasCompleted && run.status === 'completed') emitCheckRunEvent(emu, repo, run, 'completed', requireActor(req).account);
    return renderCheckRun(emu, repo, run);
  });

  app.get<RunParams>('/repos/:owner/:repo/check-runs/:check_run_id', (req) => {
    const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
    return renderCheckRun(emu, repo, loadRun(emu, repo, req.params.check_run_id));
  });

  app.get<{ Params: { owner: string; repo: string; ref: string }; Querystring: Record<string, string | undefined> }>(
    '/repos/:owner/:repo/commits/:ref/check-runs',
    async (req) => {
      const repo = loadRepo(emu, req, req.params.owner, req.params.repo);
      const sha = await resolveCommitRef(emu, repo, req.params.ref);
      const q = req.query;
      let runs = [...emu.state.checkRuns.values()].filter((r) => r.repoId === repo.id && r.headSha === sha).sort((a, b) => b.id - a.id);
      if (q.check_name !== undefined) runs = runs.filter((r) => r.name === q.check_name);
      if (q.status !== undefined) runs = runs.filter((r) => r.status === q.status);
      if (q.app_id !== undefined) runs = runs.filter((r) => r.appId === Number(q.app_id));
      if ((q.filter ?? 'latest') === 'latest') {
        const seen = new Set<string>();
        runs = runs.filter((r) => !seen.has(`${r.appId ?? ''}/${r.name}`) && seen.add(`${r.appId ?? ''}/${r.name}`));
      }
      const { perPage, page } = pageParams(q);
      return { total_count: runs.length, check_runs: runs.slice((page - 1) * perPage, page * perPage).map((r) => renderCheckRun(emu, repo, r)) };
    },
  );
}
