import type { GitFileChange } from './types.ts';
import { runGit } from './run-git.ts';

const statuses: Record<string, GitFileChange['status']> = {
  A: 'added',
  D: 'removed',
  M: 'modified',
  R: 'renamed',
  C: 'copied',
  T: 'changed',
};

interface RawEntry {
  status: GitFileChange['status'];
  filename: string;
  previous?: string;
  sha: string;
}

function parseRawAndNumstat(out: string): { raw: RawEntry[]; counts: { additions: number; deletions: number }[] } {
  const tokens = out.split('\0');
  const raw: RawEntry[] = [];
  const counts: { additions: number; deletions: number }[] = [];
  let i = 0;
  const next = (): string => tokens[i++] ?? '';
  while (i < tokens.length) {
    const token = next();
    if (token === '') continue;
    if (token.startsWith(':')) {
      const [, , srcSha = '', dstSha = '', code = ''] = token.slice(1).split(' ');
      const letter = code.charAt(0);
      const status = statuses[letter] ?? 'changed';
      if (letter === 'R' || letter === 'C') {
        const previous = next();
        raw.push({ status, filename: next(), previous, sha: dstSha });
      } else {
        raw.push({ status, filename: next(), sha: letter === 'D' ? srcSha : dstSha });
      }
    } else {
      const [added = '-', deleted = '-', path = ''] = token.split('\t');
      // A rename's numstat record leaves the path empty and names both sides in the next two tokens.
      if (path === '') i += 2;
      counts.push({ additions: added === '-' ? 0 : Number(added), deletions: deleted === '-' ? 0 : Number(deleted) });
    }
  }
  return { raw, counts };
}

/** Splits `git diff -p` output into each file's hunks, as GitHub's `patch` field holds them (undefined for binary or no text change). */
function splitPatches(text: string): (string | undefined)[] {
  const sections = text.split(/^diff --git /m).slice(1);
  return sections.map((section) => {
    const hunk = /^@@/m.exec(section);
    return hunk ? section.slice(hunk.index).replace(/\n$/, '') : undefined;
  });
}

/** The files changed from commit `from` to commit `to`, with renames detected, in GitHub's pull request files shape. */
export async function diffFiles(gitDir: string, from: string, to: string): Promise<GitFileChange[]> {
  const base = ['diff-tree', '-r', '-M', '--no-color', '--no-ext-diff', '--no-textconv'];
  const [summary, patch] = await Promise.all([
    runGit(gitDir, [...base, '-z', '--raw', '--numstat', from, to]),
    runGit(gitDir, [...base, '-p', from, to]),
  ]);
  const { raw, counts } = parseRawAndNumstat(summary.stdout.toString('utf8'));
  const patches = splitPatches(patch.stdout.toString('utf8'));
  return raw.map((entry, index) => {
    const { additions, deletions } = counts[index] ?? { additions: 0, deletions: 0 };
    const hunks = patches[index];
    return {
      filename: entry.filename,
      status: entry.status,
      additions,
      deletions,
      changes: additions + deletions,
      ...(hunks === undefined ? {} : { patch: hunks }),
      ...(entry.previous === undefined ? {} : { previous_filename: entry.previous }),
      sha: entry.sha,
    };
  });
}
