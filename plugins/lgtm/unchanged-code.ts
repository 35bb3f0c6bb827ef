import type { PluginContextBase } from '../plugin.ts';
import { botComments } from '../shared/bot-comments.ts';
import { treeHashNoticeRe } from './lgtm-commands.ts';

/** GitHub lists at most this many files in a comparison; beyond it two change sets cannot be told equal. */
const compareFileCap = 300;

/** The git tree of commit `sha`. */
export async function commitTree(ctx: PluginContextBase, sha: string): Promise<string> {
  const { data } = await ctx.github.rest.repos.getCommit({ owner: ctx.org, repo: ctx.repo, ref: sha });
  return data.commit.tree.sha;
}

/** The tree recorded by the bot's last unedited tree-hash notice on `number` (Prow's store_tree_hash). */
async function recordedTree(ctx: PluginContextBase, number: number): Promise<string | undefined> {
  const notices = (await botComments(ctx, number)).filter((c) => c.updatedAt === c.createdAt);
  for (const c of notices.reverse()) {
    const m = treeHashNoticeRe.exec(c.body);
    if (m) return m[1];
  }
  return undefined;
}

/** What a PR changes against `base`: every changed file with its status and resulting blob, or undefined past GitHub's cap. */
async function changeSet(ctx: PluginContextBase, base: string, head: string): Promise<string | undefined> {
  const { data } = await ctx.github.rest.repos.compareCommitsWithBasehead({ owner: ctx.org, repo: ctx.repo, basehead: `${base}...${head}` });
  const files = data.files ?? [];
  if (files.length >= compareFileCap) return undefined;
  return files
    .map((f) => `${f.status}\0${f.previous_filename ?? ''}\0${f.filename}\0${f.sha ?? ''}`)
    .sort()
    .join('\n');
}

/** A push of PR `number` from `before` to `after`, on base branch `base`. */
export interface Push {
  number: number;
  base: string;
  before: string;
  after: string;
}

/**
 * Why the push left the reviewed code as it was, or undefined when it changed it. Unchanged means: the new
 * head's tree is the one recorded when LGTM was given (store_tree_hash), or the same tree as before the push
 * (squash, amended message), or the same files with the same contents changed against the base (a rebase
 * onto a newer base that touched none of the PR's files). Only the first is Prow's; the others are why a
 * rebase no longer costs the LGTM.
 */
export async function unchangedCode(ctx: PluginContextBase, push: Push, storeTreeHash: boolean): Promise<string | undefined> {
  const after = await commitTree(ctx, push.after);
  if (storeTreeHash && (await recordedTree(ctx, push.number)) === after) return 'the tree is the one LGTM was given on';
  if ((await commitTree(ctx, push.before)) === after) return 'the tree did not change';
  const [was, now] = await Promise.all([changeSet(ctx, push.base, push.before), changeSet(ctx, push.base, push.after)]);
  if (was !== undefined && was === now) return 'the same changes on a newer base';
  return undefined;
}
