import type { PluginContext } from '../plugin.ts';
import { mirrorClaState } from './cla-labels.ts';
import type { ClaOptions } from './cla-options.ts';

/** The open PRs of the event's repo whose head is `sha` (a push can be the head of several, e.g. from one branch to two bases). */
export async function openPullsAtHead(ctx: PluginContext<'status'>, sha: string): Promise<number[]> {
  const numbers: number[] = [];
  for await (const { data } of ctx.github.paginate.iterator(ctx.github.rest.pulls.list, { owner: ctx.org, repo: ctx.repo, state: 'open', per_page: 100 })) {
    for (const pull of data) if (pull.head.sha === sha) numbers.push(pull.number);
  }
  return numbers;
}

/**
 * Mirrors a finished CLA status into the labels of every open PR whose head is the status's commit. Open PRs
 * are listed rather than searched (Prow searches, then sleeps and retries while the search index lags), so a
 * status that arrives right after a push still finds its PR.
 */
export function onClaStatus(options: ClaOptions): (ctx: PluginContext<'status'>) => Promise<void> {
  return async (ctx) => {
    const { context, state, sha } = ctx.payload;
    if (context !== options.context || state === 'pending') return;
    const numbers = await openPullsAtHead(ctx, sha);
    ctx.log.info({ sha, state, pulls: numbers }, 'CLA status for open pull requests');
    for (const number of numbers) await mirrorClaState(ctx, number, state);
  };
}
