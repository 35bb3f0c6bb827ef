/**
 * Prow's GenericCommentEvent: a comment-like text from any of issues, issue_comment, pull_request,
 * pull_request_review and pull_request_review_comment, so that a command works wherever it is typed.
 * `opened`, `created` and `submitted` become `created`; `edited` stays; `deleted` and `dismissed` become `deleted`.
 */
export interface GenericComment {
  action: 'created' | 'edited' | 'deleted';
  /** The text, with HTML comments removed so commented-out commands do nothing. */
  body: string;
  /** The comment's id when it is a comment (issue, review or review comment), undefined for bodies. */
  commentId: number | undefined;
  htmlUrl: string;
  /** Who wrote the text. */
  author: string;
  authorIsBot: boolean;
  isPR: boolean;
  number: number;
  org: string;
  repo: string;
  issueAuthor: string;
  issueState: 'open' | 'closed';
  issueTitle: string;
  issueBody: string;
  issueHtmlUrl: string;
  assignees: string[];
  labels: string[];
  /** Which event it came from, for the few plugins that care. */
  source: 'issues' | 'issue_comment' | 'pull_request' | 'pull_request_review' | 'pull_request_review_comment';
}

/** Removes `<!-- ... -->` (also unterminated at the end), as Prow does before matching commands. */
export function stripHtmlComments(text: string): string {
  return text.replace(/<!--[\s\S]*?(-->|$)/g, '');
}

interface Named {
  login: string;
  type?: string;
}
interface IssueLike {
  number: number;
  user: Named | null;
  state?: string;
  title: string;
  body?: string | null;
  html_url: string;
  assignees?: (Named | null)[] | null;
  labels?: ({ name: string } | string)[];
  pull_request?: unknown;
}
interface RepoLike {
  name: string;
  owner: Named | null;
}
interface CommentLike {
  id: number;
  body?: string | null;
  html_url: string;
  user: Named | null;
}

function actionOf(action: string | undefined): GenericComment['action'] | undefined {
  if (action === 'created' || action === 'opened' || action === 'submitted') return 'created';
  if (action === 'edited') return 'edited';
  if (action === 'deleted' || action === 'dismissed') return 'deleted';
  return undefined;
}

function build(
  source: GenericComment['source'],
  action: GenericComment['action'],
  repo: RepoLike,
  issue: IssueLike,
  isPR: boolean,
  text: { body: string | null | undefined; url: string; author: Named | null; commentId: number | undefined },
): GenericComment {
  return {
    action,
    body: stripHtmlComments(text.body ?? ''),
    commentId: text.commentId,
    htmlUrl: text.url,
    author: text.author?.login ?? '',
    authorIsBot: text.author?.type === 'Bot',
    isPR,
    number: issue.number,
    org: repo.owner?.login ?? '',
    repo: repo.name,
    issueAuthor: issue.user?.login ?? '',
    issueState: issue.state === 'closed' ? 'closed' : 'open',
    issueTitle: issue.title,
    issueBody: issue.body ?? '',
    issueHtmlUrl: issue.html_url,
    assignees: (issue.assignees ?? []).flatMap((a) => (a ? [a.login] : [])),
    labels: (issue.labels ?? []).map((l) => (typeof l === 'string' ? l : l.name)),
    source,
  };
}

/**
 * Turns a webhook (`X-GitHub-Event` name and parsed payload) into Prow's generic comment, or undefined
 * when the event carries no comment-like text (labels, pushes, synchronize, ...).
 */
export function toGenericComment(event: string, payload: unknown): GenericComment | undefined {
  const p = payload as {
    action?: string;
    repository?: RepoLike;
    issue?: IssueLike;
    pull_request?: IssueLike;
    comment?: CommentLike;
    review?: CommentLike;
  };
  const action = actionOf(p.action);
  const repo = p.repository;
  if (action === undefined || repo === undefined) return undefined;
  switch (event) {
    case 'issues':
      if (!p.issue) return undefined;
      return build('issues', action, repo, p.issue, false, { body: p.issue.body, url: p.issue.html_url, author: p.issue.user, commentId: undefined });
    case 'pull_request':
      if (!p.pull_request) return undefined;
      return build('pull_request', action, repo, p.pull_request, true, {
        body: p.pull_request.body,
        url: p.pull_request.html_url,
        author: p.pull_request.user,
        commentId: undefined,
      });
    case 'issue_comment':
      if (!p.issue || !p.comment) return undefined;
      return build('issue_comment', action, repo, p.issue, p.issue.pull_request !== undefined, {
        body: p.comment.body,
        url: p.comment.html_url,
        author: p.comment.user,
        commentId: p.comment.id,
      });
    case 'pull_request_review':
      if (!p.pull_request || !p.review) return undefined;
      return build('pull_request_review', action, repo, p.pull_request, true, {
        body: p.review.body,
        url: p.review.html_url,
        author: p.review.user,
        commentId: p.review.id,
      });
    case 'pull_request_review_comment':
      if (!p.pull_request || !p.comment) return undefined;
      return build('pull_request_review_comment', action, repo, p.pull_request, true, {
        body: p.comment.body,
        url: p.comment.html_url,
        author: p.comment.user,
        commentId: p.comment.id,
      });
    default:
      return undefined;
  }
}
