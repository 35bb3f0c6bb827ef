import type { PluginContextBase } from '../plugin.ts';
import { hasStatus } from './request-status.ts';

/**
 * The text of `path` in the event's repo at `ref` (a sha or branch), read through the contents API, or
 * undefined when there is no such file (or it is a directory). Other failures are thrown so the delivery retries.
 */
export async function repoFileText(ctx: Pick<PluginContextBase, 'github' | 'org' | 'repo'>, path: string, ref: string): Promise<string | undefined> {
  try {
    const { data } = await ctx.github.rest.repos.getContent({ owner: ctx.org, repo: ctx.repo, path, ref });
    if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) return undefined;
    return Buffer.from(data.content, 'base64').toString('utf8');
  } catch (err) {
    if (hasStatus(err, 404)) return undefined;
    throw err;
  }
}
