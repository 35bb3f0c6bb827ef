import { parseGoTemplate } from '../../../lib/template/index.ts';
import type { LandingPull, MergeCommitTemplate, MergeMethod } from './types.ts';

/**
 * The data Prow's merge_commit_template renders over: Tide's CodeReviewCommon, with the GitHub half
 * (`.GitHub.Author.Login` and friends) for templates written against it.
 */
export function templateData(pull: LandingPull): Record<string, unknown> {
  return {
    NameWithOwner: `${pull.org}/${pull.repo}`,
    Number: pull.number,
    Org: pull.org,
    Repo: pull.repo,
    BaseRefPrefix: 'refs/heads/',
    BaseRefName: pull.baseRef,
    HeadRefName: pull.headRefName,
    HeadRefOID: pull.headSha,
    Title: pull.title,
    Body: pull.body,
    AuthorLogin: pull.author,
    UpdatedAtTime: pull.updatedAt,
    Mergeable: pull.mergeable ?? 'UNKNOWN',
    CanBeRebased: pull.canBeRebased ?? false,
    GitHub: {
      Number: pull.number,
      Title: pull.title,
      Body: pull.body,
      Author: { Login: pull.author },
      BaseRef: { Name: pull.baseRef, Prefix: 'refs/heads/' },
      HeadRefName: pull.headRefName,
      HeadRefOID: pull.headSha,
      Mergeable: pull.mergeable ?? 'UNKNOWN',
      Repository: { Name: pull.repo, NameWithOwner: `${pull.org}/${pull.repo}`, Owner: { Login: pull.org } },
    },
  };
}

/** What the templates make of a PR; a part without a template is undefined, as Prow leaves it to GitHub. */
export interface RenderedTemplate {
  title: string | undefined;
  body: string | undefined;
}

/**
 * Renders `template` over the PR as Go would over Tide's struct: a field the data lacks fails
 * (PROW_ERR_TEMPLATE_INVALID), rather than printing `<no value>` into a commit.
 */
export function renderMergeTemplate(template: MergeCommitTemplate | undefined, pull: LandingPull): RenderedTemplate {
  const data = templateData(pull);
  const render = (part: 'title' | 'body'): string | undefined => {
    const text = template?.[part];
    return text === undefined ? undefined : parseGoTemplate(`tide.merge_commit_template.${part}`, text).render(data, { missingKey: 'error' });
  };
  return { title: render('title'), body: render('body') };
}

/** The entry of `tide.merge_commit_template` for a repo: `org/repo` first, then `org`, as Prow looks it up. */
export function mergeTemplateFor(
  templates: Readonly<Record<string, MergeCommitTemplate>> | undefined,
  org: string,
  repo: string,
): MergeCommitTemplate | undefined {
  return templates?.[`${org}/${repo}`] ?? templates?.[org];
}

/**
 * The message of the commit a train makes for a PR, the template's parts where given and GitHub's defaults
 * otherwise: `Merge pull request #N from <head branch>` over the PR title for a merge, `<title> (#N)` over
 * the PR's commit messages for a squash.
 */
export function trainCommitMessage(method: Exclude<MergeMethod, 'rebase'>, pull: LandingPull, rendered: RenderedTemplate, commitMessages: readonly string[]): string {
  const title = rendered.title ?? (method === 'merge' ? `Merge pull request #${pull.number} from ${pull.headRefName}` : `${pull.title} (#${pull.number})`);
  const body = rendered.body ?? (method === 'merge' ? pull.title : commitMessages.map((m) => `* ${m.trim()}`).join('\n\n'));
  return body.trim() === '' ? title : `${title}\n\n${body}`;
}
