import { writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Octokit } from '@octokit/core';
import type { EmulatorControl } from '../../emulator/github/index.ts';

/** Everyone in the replay: the org admin, the bot, the CI account and the contributors. */
export const contributors = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi'] as const;
export const admin = 'admin';
export const bot = 'prow-bot';
export const ci = 'ci-robot';
/** The presubmits each repo has, and the statuses CI posts for them. */
export const contexts = ['unit', 'lint'] as const;
const areas = ['api', 'cli', 'docs'] as const;

/** A pull request of the world, as the replay refers to it. */
export interface BenchPull {
  repo: string;
  number: number;
  head: string;
  headSha: string;
  author: string;
  /** How many commits its head branch has had, for the next push's file. */
  pushes: number;
}

export interface BenchWorld {
  org: string;
  repos: string[];
  pulls: BenchPull[];
}

/** Repo labels: those Tide's query and the plugins use. */
const labels = [
  'lgtm', 'approved', 'do-not-merge/hold', 'do-not-merge/work-in-progress', 'needs-rebase', 'kind/bug', 'kind/feature', 'kind/cleanup',
  'priority/important-soon', 'priority/backlog', 'area/api', 'area/cli', 'area/docs', 'size/XS', 'size/S', 'size/M', 'size/L', 'size/XL', 'size/XXL',
  'lifecycle/stale', 'lifecycle/frozen', 'cncf-cla: yes', 'cncf-cla: no', 'needs-ok-to-test', 'ok-to-test', 'help wanted', 'good first issue',
];

/** Runs `task` over `items` with at most `limit` in flight. */
export async function pool<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  });
  await Promise.all(lanes);
}

/** The people once per emulator: a token each. */
export async function createPeople(control: EmulatorControl): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {};
  for (const login of [admin, bot, ci, ...contributors]) tokens[login] = (await control.createUser({ login })).token;
  return tokens;
}

function owners(approvers: readonly string[], reviewers: readonly string[], label?: string): string {
  return `approvers:\n${approvers.map((a) => `- ${a}`).join('\n')}\nreviewers:\n${reviewers.map((r) => `- ${r}`).join('\n')}\n${label === undefined ? '' : `labels:\n- ${label}\n`}`;
}

/** The files a PR's commit number `n` touches: one or two files in one or two areas. */
export function changeFor(seed: number, n: number): Record<string, string> {
  const area = areas[seed % areas.length] ?? 'api';
  const files: Record<string, string> = { [`${area}/change-${String(seed)}.${area === 'docs' ? 'md' : 'go'}`]: `change ${String(seed)} commit ${String(n)}\n`.repeat(1 + (seed % 40)) };
  if (seed % 3 === 0) files[`api/shared-${String(seed)}.go`] = `package api // ${String(n)}\n`;
  return files;
}

/**
 * One contender's world: org `org` with `repoCount` repos (root and per-area OWNERS, code and docs), the
 * labels, and `pullCount` open PRs spread over them, about half with lgtm and approved and most with green
 * CI statuses: what Tide's pools and the plugins read.
 */
export async function seedWorld(control: EmulatorControl, emulatorUrl: string, tokens: Record<string, string>, org: string, repoCount: number, pullCount: number): Promise<BenchWorld> {
  await control.createOrg({ login: org, admins: [admin], members: [bot, ci, ...contributors], defaultRepoPermission: 'write' });
  const as = (login: string): Octokit => new Octokit({ baseUrl: emulatorUrl, auth: tokens[login] });
  const repos = Array.from({ length: repoCount }, (_, i) => `repo-${String(i)}`);
  for (const repo of repos) {
    const files: Record<string, string> = { OWNERS: owners(['alice', 'bob'], ['carol', 'dave', 'erin']), 'README.md': `# ${repo}\n` };
    for (const [i, area] of areas.entries()) {
      files[`${area}/OWNERS`] = owners([contributors[(i + 5) % contributors.length] ?? 'frank'], [contributors[(i + 2) % contributors.length] ?? 'carol'], `area/${area}`);
      files[`${area}/main.${area === 'docs' ? 'md' : 'go'}`] = `${area}\n`;
    }
    await control.createRepo({ owner: org, name: repo, files });
    await pool(labels, 8, async (name) => {
      await as(admin).request('POST /repos/{owner}/{repo}/labels', { owner: org, repo, name, color: 'ededed' });
    });
  }
  const pulls: BenchPull[] = [];
  const specs = Array.from({ length: pullCount }, (_, i) => i);
  await pool(repos, repos.length, async (repo) => {
    for (const i of specs.filter((s) => s % repos.length === repos.indexOf(repo))) {
      const author = contributors[i % contributors.length] ?? 'alice';
      const head = `pr-${String(i)}`;
      const made = await control.createPullRequest({ owner: org, repo, author, head, title: `Change ${String(i)}`, body: 'What this PR does.', files: changeFor(i, 0) });
      pulls.push({ repo, number: made.number, head, headSha: made.headSha, author, pushes: 1 });
    }
  });
  pulls.sort((a, b) => a.repo.localeCompare(b.repo) || a.number - b.number);
  await pool(pulls, 8, async (p) => {
    const seed = p.number * 7 + p.repo.length;
    if (seed % 2 === 0) await as(admin).request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', { owner: org, repo: p.repo, issue_number: p.number, labels: ['lgtm', 'approved'] });
    if (seed % 5 !== 0) {
      for (const context of contexts) await as(ci).request('POST /repos/{owner}/{repo}/statuses/{sha}', { owner: org, repo: p.repo, sha: p.headSha, state: 'success', context });
    }
  });
  return { org, repos, pulls };
}

/** Prow's config.yaml and plugins.yaml for the world: Tide's query over every repo, two presubmits each, Kubernetes' plugins. */
export async function writeConfig(dir: string, world: BenchWorld, implementedPlugins: string[]): Promise<{ configPath: string; pluginConfigPath: string; implementedPlugins: string[] }> {
  await mkdir(dir, { recursive: true });
  const full = world.repos.map((r) => `${world.org}/${r}`);
  const job = (name: string, trigger: string): string =>
    `    - name: ${name}\n${trigger}      spec:\n        containers:\n          - image: golang:1.22\n            command: ["make", "${name}"]\n`;
  const presubmits = full.map((r) => `  ${r}:\n${job('unit', '      always_run: true\n')}${job('lint', "      run_if_changed: '\\.go$'\n")}`).join('');
  const config = `prowjob_namespace: prow
tide:
  sync_period: 1m
  queries:
    - repos:
${full.map((r) => `        - ${r}`).join('\n')}
      labels: [lgtm, approved]
      missingLabels: [do-not-merge/hold, do-not-merge/work-in-progress, needs-rebase]
presubmits:
${presubmits}`;
  const plugins = `plugins:
  ${world.org}:
    plugins: [assign, hold, label, lifecycle, size, lgtm, approve, wip, help, blunderbuss, owners-label, welcome, trigger]
triggers:
  - repos: [${world.org}]
    only_org_members: true
`;
  const configPath = join(dir, 'config.yaml');
  const pluginConfigPath = join(dir, 'plugins.yaml');
  await writeFile(configPath, config);
  await writeFile(pluginConfigPath, plugins);
  return { configPath, pluginConfigPath, implementedPlugins };
}
