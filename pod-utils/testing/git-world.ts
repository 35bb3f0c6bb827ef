import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startEmulator, type RunningEmulator } from '../../emulator/github/index.ts';
import type { PullRequestLike } from '../../lib/jobs/index.ts';
import { memoryLogger } from '../../test/helpers/memory-logger.ts';

const run = promisify(execFile);

/**
 * The emulator with org `acme` and repo `acme/widgets` (README.md and app.txt on main), a temp dir for the
 * test, and the calls pod-utils tests make: open a PR, push to a branch, read a PR as a payload, run git.
 */
export interface GitWorld {
  emu: RunningEmulator;
  tmp: string;
  /** Opens a PR from `head` with `files` committed on it; its number and the PR as the REST API returns it. */
  openPull(head: string, files: Record<string, string>, title?: string): Promise<PullRequestLike>;
  /** Commits `files` on `branch` (as a push) and returns the new head. */
  push(branch: string, files: Record<string, string>, message?: string): Promise<string>;
  head(branch: string): Promise<string>;
  /** Creates another repo in org `acme`. */
  createRepo(name: string, files: Record<string, string>): Promise<string>;
  /** Runs git in `cwd` without the machine's git config and returns stdout, trimmed. */
  git(cwd: string, ...args: string[]): Promise<string>;
  close(): Promise<void>;
}

/** Git as tests run it: no user or system config, no prompts. */
export function isolatedGitEnv(home: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
  };
}

export async function startGitWorld(): Promise<GitWorld> {
  const emu = await startEmulator({ logger: memoryLogger('warn').logger });
  const tmp = await mkdtemp(join(tmpdir(), 'prow-pod-utils-'));
  const control = emu.control;
  await control.createUser({ login: 'alice' });
  await control.createOrg({ login: 'acme', admins: ['alice'], members: [], defaultRepoPermission: 'write' });
  await control.createRepo({ owner: 'acme', name: 'widgets', files: { 'README.md': 'widgets\n', 'app.txt': 'version 1\n' } });
  const head = async (branch: string, repo = 'widgets'): Promise<string> => {
    const res = await fetch(`${emu.url}/repos/acme/${repo}/git/ref/heads/${branch}`);
    const body = (await res.json()) as { object: { sha: string } };
    return body.object.sha;
  };
  return {
    emu,
    tmp,
    async openPull(branch, files, title = `change ${branch}`) {
      const { number } = await control.createPullRequest({ owner: 'acme', repo: 'widgets', author: 'alice', head: branch, title, files });
      const res = await fetch(`${emu.url}/repos/acme/widgets/pulls/${number}`);
      return (await res.json()) as PullRequestLike;
    },
    async push(branch, files, message = `update ${branch}`) {
      return (await control.commitFiles({ owner: 'acme', repo: 'widgets', branch, files, message })).sha;
    },
    head: (branch) => head(branch),
    async createRepo(name, files) {
      return (await control.createRepo({ owner: 'acme', name, files })).sha;
    },
    async git(cwd, ...args) {
      const { stdout } = await run('git', args, { cwd, env: isolatedGitEnv(tmp) });
      return stdout.trim();
    },
    async close() {
      await emu.close();
      await rm(tmp, { recursive: true, force: true });
    },
  };
}
