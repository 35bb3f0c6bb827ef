import type { GitCommitInfo, GitFileChange, GitIdentity } from '../git/types.ts';
import type { Account, Repo } from '../state/types.ts';
import { renderUser } from './account.ts';
import type { RenderContext } from './context.ts';

/** The account whose email a git identity carries, as GitHub links commit authors to users. */
export function accountForIdentity(ctx: RenderContext, who: GitIdentity): Account | undefined {
  const email = who.email.toLowerCase();
  for (const a of ctx.state.accounts.values()) if (a.email?.toLowerCase() === email) return a;
  return undefined;
}

function repoApi(ctx: RenderContext, repo: Repo, path: string): string {
  return ctx.urls.api(`/repos/${ctx.state.fullName(repo)}${path}`);
}

/** A commit in REST's `commit` shape (GET /commits/{ref}, PR commits, compare), without stats and files. */
export function renderCommit(ctx: RenderContext, repo: Repo, c: GitCommitInfo): Record<string, unknown> {
  const full = ctx.state.fullName(repo);
  const author = accountForIdentity(ctx, c.author);
  const committer = accountForIdentity(ctx, c.committer);
  return {
    sha: c.sha,
    node_id: Buffer.from(`04:Commit${repo.id}:${c.sha}`).toString('base64'),
    commit: {
      author: { ...c.author },
      committer: { ...c.committer },
      message: c.message.replace(/\n+$/, ''),
      tree: { sha: c.tree, url: repoApi(ctx, repo, `/git/trees/${c.tree}`) },
      url: repoApi(ctx, repo, `/git/commits/${c.sha}`),
      comment_count: 0,
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    },
    url: repoApi(ctx, repo, `/commits/${c.sha}`),
    html_url: ctx.urls.html(`/${full}/commit/${c.sha}`),
    comments_url: repoApi(ctx, repo, `/commits/${c.sha}/comments`),
    author: author ? renderUser(ctx, author) : null,
    committer: committer ? renderUser(ctx, committer) : null,
    parents: c.parents.map((sha) => ({ sha, url: repoApi(ctx, repo, `/commits/${sha}`), html_url: ctx.urls.html(`/${full}/commit/${sha}`) })),
  };
}

/** One changed file as PR files, commits and compare list it; `ref` is the commit the file is read at. */
export function renderFile(ctx: RenderContext, repo: Repo, ref: string, f: GitFileChange): Record<string, unknown> {
  const full = ctx.state.fullName(repo);
  const path = f.filename.split('/').map(encodeURIComponent).join('/');
  return {
    sha: f.sha,
    filename: f.filename,
    status: f.status,
    additions: f.additions,
    deletions: f.deletions,
    changes: f.changes,
    blob_url: ctx.urls.html(`/${full}/blob/${ref}/${path}`),
    raw_url: ctx.urls.html(`/${full}/raw/${ref}/${path}`),
    contents_url: repoApi(ctx, repo, `/contents/${path}?ref=${ref}`),
    ...(f.patch === undefined ? {} : { patch: f.patch }),
    ...(f.previous_filename === undefined ? {} : { previous_filename: f.previous_filename }),
  };
}
