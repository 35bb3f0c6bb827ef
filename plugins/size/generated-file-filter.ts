import type { PluginContextBase } from '../plugin.ts';
import { repoFileText } from '../shared/repo-file-text.ts';
import { addListedPaths, isListedGenerated, parseGeneratedFiles } from './generated-files.ts';
import { linguistGenerated } from './linguist-generated.ts';

/**
 * Which files of the repo at `sha` are generated and so left out of the size: those `.generated_files` lists
 * (with its `paths-from-repo` files) and those `.gitattributes` marks `linguist-generated`, all read at `sha`.
 * A bad line or a listed file that does not exist is logged and skipped, as the rest still holds.
 */
export async function generatedFileFilter(ctx: PluginContextBase, sha: string): Promise<(path: string) => boolean> {
  const [genfiles, gitattributes] = await Promise.all([repoFileText(ctx, '.generated_files', sha), repoFileText(ctx, '.gitattributes', sha)]);
  const listed = parseGeneratedFiles(genfiles ?? '');
  for (const line of listed.invalidLines) ctx.log.warn({ line, sha }, '.generated_files: skipping a line that is not "<path|file-name|path-prefix|file-prefix|paths-from-repo> <value>"');
  for (const path of listed.pathsFromRepo) {
    const text = await repoFileText(ctx, path, sha);
    if (text === undefined) ctx.log.warn({ path, sha }, '.generated_files: paths-from-repo names a file that does not exist');
    else addListedPaths(listed, text);
  }
  const linguist = linguistGenerated(gitattributes ?? '');
  return (path) => isListedGenerated(listed, path) || linguist(path);
}
