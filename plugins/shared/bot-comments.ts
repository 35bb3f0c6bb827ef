import type { PluginContextBase } from '../plugin.ts';

/** One comment the bot wrote on an issue or PR. */
export interface BotComment {
  id: number;
  body: string;
  createdAt: string;
  updatedAt: string;
}

/** The bot's own comments on `number`, oldest first. */
export async function botComments(ctx: PluginContextBase, number: number): Promise<BotComment[]> {
  const bot = ctx.botLogin.toLowerCase();
  const all = await ctx.github.paginate(ctx.github.rest.issues.listComments, { owner: ctx.org, repo: ctx.repo, issue_number: number, per_page: 100 });
  return all
    .filter((c) => c.user?.login.toLowerCase() === bot)
    .map((c) => ({ id: Number(c.id), body: c.body ?? '', createdAt: c.created_at, updatedAt: c.updated_at }));
}

/** Deletes the bot's comments on `number` that `match` picks (Prow's comment pruner). */
export async function pruneBotComments(ctx: PluginContextBase, number: number, match: (body: string) => boolean): Promise<void> {
  for (const c of await botComments(ctx, number)) {
    if (match(c.body)) await ctx.github.rest.issues.deleteComment({ owner: ctx.org, repo: ctx.repo, comment_id: c.id });
  }
}
