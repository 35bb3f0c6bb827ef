import type { ProwOctokit } from '../../../lib/github/prow-octokit.ts';
import type { ChangedFiles } from '../../../lib/jobs/index.ts';
import type { TidePull } from '../pull.ts';

/** The PR fields that name one version of its changes. */
export type ChangedFilesKey = Pick<TidePull, 'org' | 'repo' | 'number' | 'headSha'>;

/**
 * The changed files of PRs, read from GitHub (`GET /pulls/{n}/files`, every page) only when a file filter asks,
 * kept across syncs as Prow's `changedFilesAgent` keeps them: an entry lives as long as every sync uses it, and
 * `prune()` at the end of a sync drops those that sync did not ask for. The key holds the head SHA, so a push
 * reads the files again.
 */
export interface ChangedFilesAgent {
  /** The lazy changed files of one PR at its current head. */
  forPull(pull: ChangedFilesKey): ChangedFiles;
  /** Ends a sync: entries it did not use are forgotten. */
  prune(): void;
}

const keyOf = (pull: ChangedFilesKey): string => `${pull.org}/${pull.repo}#${String(pull.number)}@${pull.headSha}`;

/** A changed-files agent reading through `github`. A failed read is not kept, so the next ask tries again. */
export function createChangedFilesAgent(github: ProwOctokit): ChangedFilesAgent {
  let previous = new Map<string, Promise<readonly string[]>>();
  let current = new Map<string, Promise<readonly string[]>>();
  const read = (pull: ChangedFilesKey, key: string): Promise<readonly string[]> => {
    const files = github
      .paginate(github.rest.pulls.listFiles, { owner: pull.org, repo: pull.repo, pull_number: pull.number, per_page: 100 })
      .then((list): readonly string[] => list.map((f) => f.filename));
    files.catch(() => {
      for (const cache of [previous, current]) if (cache.get(key) === files) cache.delete(key);
    });
    return files;
  };
  return {
    forPull: (pull) => () => {
      const key = keyOf(pull);
      let files = current.get(key) ?? previous.get(key);
      files ??= read(pull, key);
      current.set(key, files);
      return files;
    },
    prune: () => {
      previous = current;
      current = new Map();
    },
  };
}
