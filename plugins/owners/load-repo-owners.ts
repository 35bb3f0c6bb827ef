import { isRequestError } from '../../lib/github/friendly-errors.ts';
import type { PluginContextBase } from '../plugin.ts';
import { parseOwnersAliases, type OwnersAliases } from './owners-aliases.ts';
import { parseOwnersFile, type OwnersFile } from './owners-file.ts';
import { ancestorDirs, RepoOwners } from './repo-owners.ts';

/** The OWNERS and OWNERS_ALIASES file names for a repo: plugins.yaml `owners.filenames` by `org/repo`, then `org`. */
export function ownersFilenames(ctx: PluginContextBase): { owners: string; aliases: string } {
  const byRepo = ctx.config.plugins.owners?.filenames ?? {};
  const chosen = byRepo[`${ctx.org}/${ctx.repo}`] ?? byRepo[ctx.org];
  return { owners: chosen?.owners ?? 'OWNERS', aliases: chosen?.owners_aliases ?? 'OWNERS_ALIASES' };
}

interface Snapshot {
  aliases: Promise<OwnersAliases> | undefined;
  files: Map<string, Promise<OwnersFile | undefined>>;
}

/** How many (repo, commit) snapshots stay in memory; the least recently used goes first. */
const maxSnapshots = 64;
const snapshots = new Map<string, Snapshot>();

function snapshotFor(key: string): Snapshot {
  let snap = snapshots.get(key);
  if (snap) snapshots.delete(key);
  else snap = { aliases: undefined, files: new Map() };
  snapshots.set(key, snap);
  while (snapshots.size > maxSnapshots) {
    const oldest = snapshots.keys().next();
    if (oldest.done === true) break;
    snapshots.delete(oldest.value);
  }
  return snap;
}

/** The text of `path` at commit `sha`, or undefined when there is no such file. */
async function readFile(ctx: PluginContextBase, path: string, sha: string): Promise<string | undefined> {
  try {
    const { data } = await ctx.github.rest.repos.getContent({ owner: ctx.org, repo: ctx.repo, path, ref: sha });
    if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) return undefined;
    return Buffer.from(data.content, 'base64').toString('utf8');
  } catch (err) {
    if (isRequestError(err) && err.status === 404) return undefined;
    throw err;
  }
}

/** Caches a load, forgetting it when it fails so the next delivery (or a retry) asks GitHub again. */
function remember<T>(promise: Promise<T>, forget: () => void): Promise<T> {
  promise.catch(forget);
  return promise;
}

/** The commit `base` (a branch name) points at now. */
export async function baseSha(ctx: PluginContextBase, base: string): Promise<string> {
  const { data } = await ctx.github.rest.git.getRef({ owner: ctx.org, repo: ctx.repo, ref: `heads/${base}` });
  return data.object.sha;
}

/**
 * The OWNERS that govern `paths` on branch `base` as it is now: OWNERS_ALIASES at the root, and the OWNERS
 * file of every directory from each path up to the root, read through the contents API at the branch's
 * current commit. Files at one commit never change, so they are cached per (repo, commit) in memory, bounded;
 * an invalid OWNERS file is logged and ignored, as Prow does.
 */
export async function loadRepoOwners(ctx: PluginContextBase, base: string, paths: readonly string[]): Promise<RepoOwners> {
  const sha = await baseSha(ctx, base);
  const names = ownersFilenames(ctx);
  const snap = snapshotFor(`${ctx.org}/${ctx.repo}@${sha}:${names.owners}:${names.aliases}`);
  snap.aliases ??= remember(
    readFile(ctx, names.aliases, sha).then((text): OwnersAliases => {
      if (text === undefined) return new Map();
      try {
        return parseOwnersAliases(text);
      } catch (err) {
        ctx.log.error({ err, file: names.aliases, sha }, 'invalid OWNERS_ALIASES file, using no aliases');
        return new Map();
      }
    }),
    () => (snap.aliases = undefined),
  );
  const aliases = snap.aliases;
  const dirs = new Set(paths.flatMap(ancestorDirs));
  for (const dir of dirs) {
    if (snap.files.has(dir)) continue;
    const file = dir === '' ? names.owners : `${dir}/${names.owners}`;
    const load = Promise.all([readFile(ctx, file, sha), aliases]).then(([text, known]) => {
      if (text === undefined) return undefined;
      try {
        return parseOwnersFile(text, known);
      } catch (err) {
        ctx.log.warn({ err, file, sha }, 'invalid OWNERS file, ignoring it');
        return undefined;
      }
    });
    snap.files.set(dir, remember(load, () => snap.files.delete(dir)));
  }
  const loaded = new Map<string, OwnersFile>();
  await Promise.all(
    [...dirs].map(async (dir) => {
      const file = await snap.files.get(dir);
      if (file) loaded.set(dir, file);
    }),
  );
  return new RepoOwners(loaded);
}
