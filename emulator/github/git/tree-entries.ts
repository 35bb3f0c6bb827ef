import type { GitTreeEntry } from './types.ts';
import { runGit } from './run-git.ts';

/** The entries of directory `prefix` ('' for the root) of a commit or tree, or undefined when it is not a directory there. */
export async function listTreeEntries(
  gitDir: string,
  treeish: string,
  prefix: string,
  recursive: boolean,
): Promise<GitTreeEntry[] | undefined> {
  const args = ['ls-tree', '-z', '--long', ...(recursive ? ['-r', '-t'] : []), `${treeish}:${prefix}`];
  const r = await runGit(gitDir, args, { okCodes: [128] });
  if (r.code !== 0) return undefined;
  return r.stdout
    .toString('utf8')
    .split('\0')
    .filter((record) => record !== '')
    .map((record) => {
      const tab = record.indexOf('\t');
      const [mode = '', type = '', sha = '', size = '-'] = record.slice(0, tab).split(/ +/);
      const name = record.slice(tab + 1);
      return {
        path: prefix === '' ? name : `${prefix}/${name}`,
        mode,
        type: type as GitTreeEntry['type'],
        sha,
        ...(size === '-' ? {} : { size: Number(size) }),
      };
    });
}
