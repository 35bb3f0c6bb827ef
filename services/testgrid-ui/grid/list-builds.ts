import { posix } from 'node:path';
import { readText, type ObjectStore } from '../../../lib/storage/index.ts';
import { linkTargetKey } from './store-resolver.ts';

/** One build a listing found: a directory, or Prow's symlink to one (`pr-logs/directory/<job>/<id>.txt`). */
export interface ListedBuild {
  id: string;
  /** The build directory, when it is one. */
  dir?: string;
  /** The symlink object's key, when it is one. */
  link?: string;
}

/** Natural order of build ids: numbers by value (any length), else text. */
export function compareBuildIds(a: string, b: string): number {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) {
    const x = a.replace(/^0+/, '');
    const y = b.replace(/^0+/, '');
    return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
  }
  return a.localeCompare(b, 'en', { numeric: true });
}

/**
 * The builds under `prefix`, newest first, from one delimited listing as TestGrid's ListBuilds: every
 * sub-directory is a build, and every `<id>.txt` object but latest-build.txt is a symlink to one.
 */
export async function listBuilds(store: ObjectStore, prefix: string): Promise<ListedBuild[]> {
  const base = prefix === '' ? '' : `${prefix.replace(/\/+$/, '')}/`;
  const page = await store.list(base, { delimiter: '/' });
  const builds = new Map<string, ListedBuild>();
  for (const p of page.prefixes) {
    const dir = p.replace(/\/$/, '');
    const id = posix.basename(dir);
    builds.set(id, { id, dir });
  }
  for (const o of page.objects) {
    const name = posix.basename(o.key);
    if (!name.endsWith('.txt') || name === 'latest-build.txt') continue;
    const id = name.slice(0, -4);
    if (!builds.has(id)) builds.set(id, { id, link: o.key });
  }
  return [...builds.values()].sort((a, b) => compareBuildIds(b.id, a.id));
}

/** The build directory a listed build names, following a symlink (its content is the build's URL). */
export async function buildDir(store: ObjectStore, build: ListedBuild): Promise<string> {
  if (build.dir !== undefined) return build.dir;
  return linkTargetKey(store, await readText(store, build.link ?? '')).replace(/\/+$/, '');
}
