import type { GitCommitInfo, GitIdentity } from './types.ts';
import { runGit } from './run-git.ts';

/** An identity line as git stores it, with the date kept raw (`<unix seconds> <+hhmm>`) so it can be replayed. */
export interface RawIdentity extends GitIdentity {
  date: string;
}

/** A commit object split into its parts: what the API shows plus what replaying it needs. */
export interface CommitObject {
  info: GitCommitInfo;
  author: RawIdentity;
  /** The message exactly as stored. */
  rawMessage: Buffer;
}

const identityPattern = /^(.*) <([^>]*)> (-?\d+) ([+-]\d{4})$/;

function parseIdentity(line: string): RawIdentity {
  const m = identityPattern.exec(line);
  if (!m) return { name: line, email: '', date: '0 +0000' };
  return { name: m[1] ?? '', email: m[2] ?? '', date: `${m[3] ?? '0'} ${m[4] ?? '+0000'}` };
}

/** GitHub's timestamp format: ISO 8601 in UTC without milliseconds. */
export function isoDate(raw: string): string {
  const seconds = Number(raw.split(' ')[0]);
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Parses the body of a commit object as `git cat-file commit` prints it. */
export function parseCommitObject(sha: string, body: Buffer): CommitObject {
  const split = body.indexOf('\n\n');
  const header = body.subarray(0, split === -1 ? body.length : split).toString('utf8');
  const rawMessage = split === -1 ? Buffer.alloc(0) : body.subarray(split + 2);
  let tree = '';
  const parents: string[] = [];
  let author: RawIdentity = { name: '', email: '', date: '0 +0000' };
  let committer: RawIdentity = author;
  for (const line of header.split('\n')) {
    // Continuation lines of multi-line headers (gpgsig, mergetag) start with a space.
    if (line.startsWith(' ')) continue;
    const space = line.indexOf(' ');
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    if (key === 'tree') tree = value;
    else if (key === 'parent') parents.push(value);
    else if (key === 'author') author = parseIdentity(value);
    else if (key === 'committer') committer = parseIdentity(value);
  }
  const view = (id: RawIdentity): GitIdentity & { date: string } => ({ name: id.name, email: id.email, date: isoDate(id.date) });
  return {
    info: {
      sha,
      tree,
      parents,
      message: rawMessage.toString('utf8').replace(/\n$/, ''),
      author: view(author),
      committer: view(committer),
    },
    author,
    rawMessage,
  };
}

/** Reads many commits in one `git cat-file --batch`; shas that are missing or not commits are left out. */
export async function readCommitObjects(gitDir: string, shas: readonly string[]): Promise<Map<string, CommitObject>> {
  const found = new Map<string, CommitObject>();
  if (shas.length === 0) return found;
  const { stdout } = await runGit(gitDir, ['cat-file', '--batch'], { input: shas.map((s) => `${s}\n`).join('') });
  let pos = 0;
  while (pos < stdout.length) {
    const eol = stdout.indexOf('\n', pos);
    if (eol === -1) break;
    const [sha = '', type = '', size = ''] = stdout.subarray(pos, eol).toString('utf8').split(' ');
    pos = eol + 1;
    if (type === 'missing' || type === 'ambiguous' || size === '') continue;
    const length = Number(size);
    const body = stdout.subarray(pos, pos + length);
    pos += length + 1;
    if (type === 'commit') found.set(sha, parseCommitObject(sha, body));
  }
  return found;
}
