import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { git, type GitOptions, type GitOutput } from './git.ts';

/** Where clones come from and how git authenticates to it. */
export interface GitRemote {
  /** The git host's base URL: `https://github.com`, or the emulator's URL; a repo is `<base>/<org>/<repo>.git`. */
  gitBaseUrl: string;
  /** A token for fetch and push (`GitHubClient.getInstallationToken` fits); anonymous when absent or undefined. */
  token?: ((org: string, repo: string) => Promise<string | undefined>) | undefined;
}

/** A clone that is locked for the caller: run git in it, with the remote's auth when it goes over the network. */
export interface LockedClone {
  dir: string;
  /** Runs git in the clone. */
  run(args: readonly string[], opts?: GitOptions): Promise<GitOutput>;
  /** Runs git with the remote's credentials (fetch, push). */
  remote(args: readonly string[], opts?: GitOptions): Promise<GitOutput>;
}

/**
 * One working clone per repo under `workDir`, made on first use and kept, so each train fetches only what is
 * new. A repo's clone serves one caller at a time; different repos work in parallel.
 */
export class CloneCache {
  readonly #workDir: string;
  readonly #remote: GitRemote;
  readonly #tails = new Map<string, Promise<unknown>>();

  constructor(workDir: string, remote: GitRemote) {
    this.#workDir = workDir;
    this.#remote = remote;
  }

  /** Runs `work` with the clone of `org/repo` to itself. */
  withClone<T>(org: string, repo: string, work: (clone: LockedClone) => Promise<T>): Promise<T> {
    const key = `${org}/${repo}`.toLowerCase();
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(async () => work(await this.#open(org, repo)));
    const tail = next.catch(() => undefined);
    this.#tails.set(key, tail);
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return next;
  }

  async #open(org: string, repo: string): Promise<LockedClone> {
    const dir = path.join(this.#workDir, org.toLowerCase(), repo.toLowerCase());
    if (!(await exists(path.join(dir, '.git')))) {
      await mkdir(dir, { recursive: true });
      await git(dir, ['init', '-q']);
      await git(dir, ['remote', 'add', 'origin', `${this.#remote.gitBaseUrl.replace(/\/+$/, '')}/${org}/${repo}.git`]);
    }
    const auth = async (): Promise<Record<string, string>> => {
      const token = await this.#remote.token?.(org, repo);
      if (token === undefined || token === '') return {};
      // In the environment, not the URL or argv: no clone config, process list or error message holds it.
      const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
      return { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.extraHeader', GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}` };
    };
    return {
      dir,
      run: (args, opts) => git(dir, args, opts),
      remote: async (args, opts) => git(dir, args, { ...opts, env: { ...opts?.env, ...(await auth()) } }),
    };
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}
