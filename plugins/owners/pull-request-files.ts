import type { PluginContextBase } from '../plugin.ts';

/** One file a pull request changes, as GET /pulls/{n}/files lists it. */
export interface ChangedFile {
  filename: string;
  /** Lines added plus lines deleted. */
  changes: number;
}

/** Every file pull request `number` changes (all pages). */
export async function pullRequestFiles(ctx: PluginContextBase, number: number): Promise<ChangedFile[]> {
  const files = await ctx.github.paginate(ctx.github.rest.pulls.listFiles, { owner: ctx.org, repo: ctx.repo, pull_number: number, per_page: 100 });
  return files.map((f) => ({ filename: f.filename, changes: f.changes }));
}
