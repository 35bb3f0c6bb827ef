import type { ProwOctokit } from '../../lib/github/prow-octokit.ts';
import type { LabelAction, RepoLabel } from './plan-labels.ts';

/** The repo's labels as GitHub lists them. */
export async function readRepoLabels(gh: ProwOctokit, owner: string, repo: string): Promise<RepoLabel[]> {
  const labels = await gh.paginate(gh.rest.issues.listLabelsForRepo, { owner, repo, per_page: 100 });
  return labels.map((l) => ({ name: l.name, color: l.color, description: l.description ?? '' }));
}

/**
 * Carries out one action. A migration labels every issue and PR (open or closed) that has the old label with
 * the new one before deleting the old, so nothing loses its label.
 */
export async function applyLabelAction(gh: ProwOctokit, owner: string, repo: string, action: LabelAction): Promise<void> {
  switch (action.kind) {
    case 'create':
      await gh.rest.issues.createLabel({ owner, repo, ...action.label });
      return;
    case 'update':
      await gh.rest.issues.updateLabel({ owner, repo, name: action.from, new_name: action.label.name, color: action.label.color, description: action.label.description });
      return;
    case 'migrate': {
      const issues = await gh.paginate(gh.rest.issues.listForRepo, { owner, repo, labels: action.from, state: 'all', per_page: 100 });
      const target = action.to.toLowerCase();
      for (const issue of issues) {
        const has = issue.labels.some((l) => (typeof l === 'string' ? l : (l.name ?? '')).toLowerCase() === target);
        if (!has) await gh.rest.issues.addLabels({ owner, repo, issue_number: issue.number, labels: [action.to] });
      }
      await gh.rest.issues.deleteLabel({ owner, repo, name: action.from });
      return;
    }
    case 'delete':
      await gh.rest.issues.deleteLabel({ owner, repo, name: action.name });
      return;
  }
}
