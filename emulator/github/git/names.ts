import { GitInvalidName } from './errors.ts';

const ownerOrRepo = /^[A-Za-z0-9_.-]+$/;

/** Checks an owner or repo name is one GitHub allows and cannot escape the store's root. */
export function checkRepoName(kind: 'owner' | 'repo', name: string): void {
  if (!ownerOrRepo.test(name) || name === '.' || name === '..' || name.startsWith('-')) throw new GitInvalidName(kind, name);
}

/** Whether `name` is a ref name git accepts (the rules of `git check-ref-format`), checked without a process. */
export function isValidRefName(name: string): boolean {
  if (name === '' || name === '@' || name.startsWith('-') || name.startsWith('/') || name.endsWith('/') || name.endsWith('.')) {
    return false;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x20\x7f~^:?*[\\]|\.\.|@\{|\/\//.test(name)) return false;
  return name.split('/').every((part) => !part.startsWith('.') && !part.endsWith('.lock'));
}

/** `refs/...` stays as it is; anything else names a branch. Throws GitInvalidName for names git refuses. */
export function qualifyRef(ref: string): string {
  const full = ref.startsWith('refs/') ? ref : `refs/heads/${ref}`;
  if (!isValidRefName(full)) throw new GitInvalidName('ref', ref);
  return full;
}

/** A repository path with any leading slash removed; throws for empty parts, `.`/`..` or `.git` parts. */
export function normalizePath(path: string): string {
  const clean = path.replace(/^\/+/, '').replace(/\/+$/, '');
  const parts = clean.split('/');
  if (clean === '' || clean.includes('\0') || parts.some((p) => p === '' || p === '.' || p === '..' || p.toLowerCase() === '.git')) {
    throw new GitInvalidName('path', path);
  }
  return clean;
}
