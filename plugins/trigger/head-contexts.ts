import type { PluginContextBase } from '../plugin.ts';
import type { HeadContexts } from './presubmit-filter.ts';

const perPage = 100;
/** Check-run conclusions that count as a failed context, as a failure or error status does. */
const failedConclusions = new Set(['failure', 'timed_out', 'cancelled', 'action_required', 'startup_failure']);

/**
 * The contexts reported on `sha`: every commit status of its combined status (all pages) and every check run,
 * and of those the ones that failed (`failure` or `error`; for check runs a failing conclusion).
 */
export async function headContexts(ctx: PluginContextBase, sha: string): Promise<HeadContexts> {
  const all = new Set<string>();
  const failed = new Set<string>();
  for (let page = 1; ; page++) {
    const { data } = await ctx.github.rest.repos.getCombinedStatusForRef({ owner: ctx.org, repo: ctx.repo, ref: sha, per_page: perPage, page });
    for (const s of data.statuses) {
      all.add(s.context);
      if (s.state === 'failure' || s.state === 'error') failed.add(s.context);
    }
    if (data.statuses.length < perPage) break;
  }
  const runs = await ctx.github.paginate(ctx.github.rest.checks.listForRef, { owner: ctx.org, repo: ctx.repo, ref: sha, per_page: perPage });
  for (const run of runs) {
    all.add(run.name);
    if (run.conclusion !== null && failedConclusions.has(run.conclusion)) failed.add(run.name);
  }
  return { all, failed };
}
