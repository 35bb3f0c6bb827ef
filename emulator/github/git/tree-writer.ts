import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FileChanges } from './types.ts';
import { gitText, runGit } from './run-git.ts';
import { normalizePath } from './names.ts';

/**
 * Writes the tree of `parent` (or an empty tree) with `files` applied: a string or bytes is a file's new
 * content, null deletes a file or every file under a directory. Uses a private index file, so concurrent
 * writers and the absence of a work tree do not matter.
 */
export async function writeTree(gitDir: string, parent: string | undefined, files: FileChanges): Promise<string> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'prow-git-index-'));
  const env = { GIT_INDEX_FILE: path.join(tmp, 'index') };
  try {
    await runGit(gitDir, parent === undefined ? ['read-tree', '--empty'] : ['read-tree', parent], { env });
    const deletions = Object.entries(files)
      .filter(([, content]) => content === null)
      .map(([p]) => normalizePath(p));
    const records: string[] = [];
    if (deletions.length > 0) {
      const listed = (await runGit(gitDir, ['ls-files', '-z'], { env })).stdout.toString('utf8').split('\0');
      for (const file of listed) {
        if (file !== '' && deletions.some((d) => file === d || file.startsWith(`${d}/`))) records.push(`0 ${'0'.repeat(40)}\t${file}`);
      }
    }
    for (const [p, content] of Object.entries(files)) {
      if (content === null) continue;
      const blob = await gitText(gitDir, ['hash-object', '-w', '--stdin'], { input: content });
      records.push(`100644 ${blob}\t${normalizePath(p)}`);
    }
    if (records.length > 0) {
      await runGit(gitDir, ['update-index', '--add', '--replace', '-z', '--index-info'], {
        env,
        input: records.map((r) => `${r}\0`).join(''),
      });
    }
    return await gitText(gitDir, ['write-tree'], { env });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
