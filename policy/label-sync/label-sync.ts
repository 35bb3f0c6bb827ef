import type { GitHubClient } from '../../lib/github/github-client.ts';
import type { Logger } from '../../lib/log.ts';
import { listOrgRepos } from '../shared/org-repos.ts';
import { applyLabelAction, readRepoLabels } from './apply-labels.ts';
import type { LabelsConfig } from './labels-file.ts';
import { describeLabelAction, planLabels } from './plan-labels.ts';

/** Which repos to sync, as Prow's label_sync flags name them. */
export interface RepoSelection {
  /** `--orgs`: every repo of these orgs that is not archived. */
  orgs: readonly string[];
  /** `--only`: exactly these `org/repo`s. */
  only: readonly string[];
  /** `--skip`: `org/repo`s left out of either. */
  skip: readonly string[];
}

export interface LabelSyncOptions {
  github: GitHubClient;
  config: LabelsConfig;
  selection: RepoSelection;
  /** Apply the actions; without it they are only printed. */
  confirm: boolean;
  print(line: string): void;
  logger: Logger;
  now?: Date | undefined;
}

/** What a run did (or, dry, would do). */
export interface LabelSyncResult {
  repos: number;
  actions: number;
  failed: string[];
}

async function selectRepos(github: GitHubClient, selection: RepoSelection): Promise<{ org: string; repo: string }[]> {
  const skip = new Set(selection.skip.map((r) => r.toLowerCase()));
  const picked: { org: string; repo: string }[] = [];
  for (const fullName of selection.only) {
    const [org = '', repo = ''] = fullName.split('/');
    picked.push({ org, repo });
  }
  for (const org of selection.orgs) {
    for (const r of await listOrgRepos(github, org)) if (!r.archived) picked.push({ org, repo: r.name });
  }
  return picked.filter((r) => !skip.has(`${r.org}/${r.repo}`.toLowerCase()));
}

/**
 * Makes each selected repo's labels match labels.yaml, as Prow's label_sync: prints every action as
 * `org/repo: action`, and applies them when `confirm` is set. A repo that fails is reported and the rest go on.
 */
export async function runLabelSync(opts: LabelSyncOptions): Promise<LabelSyncResult> {
  const result: LabelSyncResult = { repos: 0, actions: 0, failed: [] };
  for (const { org, repo } of await selectRepos(opts.github, opts.selection)) {
    const fullName = `${org}/${repo}`;
    result.repos++;
    try {
      const gh = await opts.github.forRepo(org, repo);
      const actions = planLabels(opts.config, org, repo, await readRepoLabels(gh, org, repo), opts.now);
      for (const action of actions) {
        opts.print(`${fullName}: ${describeLabelAction(action)}`);
        if (opts.confirm) await applyLabelAction(gh, org, repo, action);
        result.actions++;
      }
    } catch (err) {
      opts.logger.error({ err, repo: fullName }, 'label sync failed for a repo');
      opts.print(`${fullName}: failed: ${(err as Error).message}`);
      result.failed.push(fullName);
    }
  }
  return result;
}
