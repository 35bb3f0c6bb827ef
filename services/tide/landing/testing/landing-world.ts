import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Octokit } from '@octokit/rest';
import { octokitFor, startTestEmulator } from '../../../../emulator/github/testing/test-emulator.ts';
import { createGitHubClient, type GitHubClient } from '../../../../lib/github/github-client.ts';
import { memoryLogger } from '../../../../test/helpers/memory-logger.ts';
import { createTrainBuilder, type TrainBuilder } from '../train-commit.ts';
import type { LandingPull } from '../types.ts';

type Emulator = Awaited<ReturnType<typeof startTestEmulator>>;

/**
 * The emulator with org `acme`, Tide's bot `tide-bot` (an org admin, so it may push to the base) and alice (a
 * member who writes), and a temp dir for the train builder's clones. Each test takes a repo of its own.
 */
export interface LandingWorld {
  emu: Emulator;
  /** The bot's GitHub client, as Tide would have it. */
  github: GitHubClient;
  /** Alice, for reading what GitHub shows and pushing as a PR author would. */
  alice: Octokit;
  botToken: string;
  /** Where the builder keeps its clones (under `main/`). */
  workDir: string;
  /** A train builder whose clones live in the world's temp dir, pushing as the bot. */
  builder: TrainBuilder;
  /** Another builder with clones of its own (another Tide replica, or a restart with an empty cache). */
  newBuilder(): Promise<TrainBuilder>;
  logs: ReturnType<typeof memoryLogger>;
  /** Creates `acme/<name>` with `files` on main; answers main's SHA. */
  createRepo(name: string, files?: Record<string, string>): Promise<string>;
  /** Opens a PR by alice from `head` with `files` committed on it, read back as landing sees a PR. */
  openPull(repo: string, head: string, files: Record<string, string | null>, title?: string, body?: string): Promise<LandingPull>;
  /** Commits `files` on `branch` as alice (a push); answers the new head. */
  push(repo: string, branch: string, files: Record<string, string | null>, message?: string): Promise<string>;
  /** The branch's tip. */
  tip(repo: string, branch: string): Promise<string>;
  close(): Promise<void>;
}

export async function startLandingWorld(): Promise<LandingWorld> {
  const emu = await startTestEmulator();
  const workDir = await mkdtemp(join(tmpdir(), 'prow-tide-landing-'));
  const botToken = (await emu.control.createUser({ login: 'tide-bot', name: 'Tide Bot', email: 'tide-bot@example.com' })).token;
  const aliceToken = (await emu.control.createUser({ login: 'alice', name: 'Alice', email: 'alice@example.com' })).token;
  await emu.control.createOrg({ login: 'acme', admins: ['tide-bot'], members: ['alice'], defaultRepoPermission: 'write' });
  const logs = memoryLogger('debug');
  const github = createGitHubClient({
    credentials: { kind: 'token', token: botToken },
    logger: logs.logger,
    baseUrl: emu.url,
    rateLimits: { enabled: false },
    retries: { retries: 0 },
  });
  const alice = octokitFor(emu.url, aliceToken);
  const builderIn = (dir: string): TrainBuilder =>
    createTrainBuilder({ workDir: dir, gitBaseUrl: emu.url, token: (org, repo) => github.getInstallationToken(org, repo), log: logs.logger });
  const builder = builderIn(join(workDir, 'main'));
  const tip = async (repo: string, branch: string): Promise<string> =>
    (await alice.rest.git.getRef({ owner: 'acme', repo, ref: `heads/${branch}` })).data.object.sha;
  return {
    emu,
    github,
    alice,
    botToken,
    workDir,
    builder,
    newBuilder: async () => builderIn(await mkdtemp(join(workDir, 'other-'))),
    logs,
    async createRepo(name, files = { 'README.md': `${name}\n` }) {
      return (await emu.control.createRepo({ owner: 'acme', name, files })).sha;
    },
    async openPull(repo, head, files, title = `change ${head}`, body = `Changes ${head}.`) {
      const { number } = await emu.control.createPullRequest({ owner: 'acme', repo, author: 'alice', head, title, body, files });
      const { data } = await alice.rest.pulls.get({ owner: 'acme', repo, pull_number: number });
      return {
        org: 'acme',
        repo,
        number,
        author: data.user.login,
        title: data.title,
        body: data.body ?? '',
        baseRef: data.base.ref,
        headRefName: data.head.ref,
        headSha: data.head.sha,
      };
    },
    async push(repo, branch, files, message = `update ${branch}`) {
      return (await emu.control.commitFiles({ owner: 'acme', repo, branch, files, message, pusher: 'alice', author: { name: 'Alice', email: 'alice@example.com' } })).sha;
    },
    tip,
    async close() {
      await emu.close();
      await rm(workDir, { recursive: true, force: true });
    },
  };
}
