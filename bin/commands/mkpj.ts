import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { loadConfigOrThrow, type Periodic, type Postsubmit, type Presubmit, type ProwConfig } from '../../lib/config/index.ts';
import { readEnv, type ProwEnv } from '../../lib/env.ts';
import { ProwError } from '../../lib/errors.ts';
import { githubClientFromEnv } from '../../lib/github/github-client.ts';
import { newPeriodicJob, newPostsubmitJob, newPresubmitJob, refsForPullRequest, type ProwJob, type PullRequestLike } from '../../lib/jobs/index.ts';
import { createLogger } from '../../lib/log.ts';
import type { Command } from './types.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

const usage = `usage: prow mkpj --job NAME [--pr N] [options]

Prints, as YAML, the ProwJob prow-ts would create for a configured job, as Prow's mkpj does; pipe it to
\`kubectl create -f -\` to run it by hand. What the flags leave out of a presubmit (the pull request's head,
author, base) or a postsubmit (the branch's head) is read from GitHub when GITHUB_TOKEN (or a GitHub App)
is set, and GITHUB_API_URL says where GitHub is.

options:
  --job NAME              the job's name
  --repo ORG/REPO         which repository's job, when several have one of that name
  --pr N                  presubmit: the pull request (also --pull-number)
  --pull-sha SHA          presubmit: the pull request's head commit
  --pull-author LOGIN     presubmit: its author
  --base-ref BRANCH       presubmit or postsubmit: the branch
  --base-sha SHA          presubmit or postsubmit: the branch's commit to test on
  --config-path F         Prow config.yaml (default: the example config)
  --job-config-path D     job config directory`;

/** What `runMkpj` writes to and reads from; tests pass their own environment. */
export interface MkpjIo {
  print(text: string): void;
  env?: ProwEnv | undefined;
}

type Found = { kind: 'presubmit'; repo: string; job: Presubmit } | { kind: 'postsubmit'; repo: string; job: Postsubmit } | { kind: 'periodic'; job: Periodic };

function findJob(config: ProwConfig, name: string, repo: string | undefined): Found {
  const found: Found[] = [];
  for (const [fullName, jobs] of Object.entries(config.presubmits)) for (const job of jobs) if (job.name === name) found.push({ kind: 'presubmit', repo: fullName, job });
  for (const [fullName, jobs] of Object.entries(config.postsubmits)) for (const job of jobs) if (job.name === name) found.push({ kind: 'postsubmit', repo: fullName, job });
  for (const job of config.periodics) if (job.name === name) found.push({ kind: 'periodic', job });
  const matching = repo === undefined ? found : found.filter((f) => f.kind !== 'periodic' && f.repo === repo);
  const [first] = matching;
  if (first === undefined) throw new ProwError('PROW_ERR_JOB_NOT_FOUND', JSON.stringify(name), repo === undefined ? '' : ` for ${repo}`);
  const repos = [...new Set(matching.map((f) => (f.kind === 'periodic' ? 'periodics' : f.repo)))];
  if (repos.length > 1) throw new ProwError('PROW_ERR_USAGE', `job "${name}" is configured for ${repos.join(', ')}: name one with --repo`);
  return first;
}

function splitRepo(fullName: string): { org: string; repo: string } {
  const [org = '', repo = ''] = fullName.split('/');
  return { org, repo };
}

/** Runs `prow mkpj`; resolves to the exit code. */
export async function runMkpj(argv: string[], io: MkpjIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        job: { type: 'string' },
        repo: { type: 'string' },
        pr: { type: 'string' },
        'pull-number': { type: 'string' },
        'pull-sha': { type: 'string' },
        'pull-author': { type: 'string' },
        'base-ref': { type: 'string' },
        'base-sha': { type: 'string' },
        'config-path': { type: 'string' },
        'job-config-path': { type: 'string' },
      },
    }));
  } catch (err) {
    throw new ProwError('PROW_ERR_USAGE', (err as Error).message);
  }
  const name = values.job;
  if (name === undefined) throw new ProwError('PROW_ERR_USAGE', 'prow mkpj needs --job');
  const own = values['config-path'] !== undefined;
  const loaded = await loadConfigOrThrow({
    configPath: values['config-path'] ?? `${root}config/config.yaml`,
    jobConfigPath: values['job-config-path'] ?? (own ? undefined : `${root}config/jobs`),
  });
  const config = loaded.config;
  const found = findJob(config, name, values.repo);
  const env = io.env ?? readEnv();
  const opts = { namespace: config.prowjob_namespace };
  const github = async (org: string, repo: string, need: string) => {
    if (env.githubToken === undefined && env.githubAppId === undefined) {
      throw new ProwError('PROW_ERR_USAGE', `prow mkpj needs ${need} for ${name}, or GitHub credentials (GITHUB_TOKEN) to read it`);
    }
    return githubClientFromEnv(env, createLogger({ level: 'warn', name: 'mkpj' })).forRepo(org, repo);
  };

  let pj: ProwJob;
  if (found.kind === 'periodic') {
    pj = newPeriodicJob(found.job, opts);
  } else if (found.kind === 'postsubmit') {
    const { org, repo } = splitRepo(found.repo);
    let baseRef = values['base-ref'];
    let baseSha = values['base-sha'];
    if (baseRef === undefined || baseSha === undefined) {
      const gh = await github(org, repo, '--base-ref and --base-sha');
      baseRef ??= (await gh.rest.repos.get({ owner: org, repo })).data.default_branch;
      baseSha ??= (await gh.rest.git.getRef({ owner: org, repo, ref: `heads/${baseRef}` })).data.object.sha;
    }
    pj = newPostsubmitJob(found.job, { org, repo, base_ref: baseRef, base_sha: baseSha }, opts);
  } else {
    const { org, repo } = splitRepo(found.repo);
    const number = Number(values.pr ?? values['pull-number']);
    if (!Number.isInteger(number) || number <= 0) throw new ProwError('PROW_ERR_USAGE', `${name} is a presubmit: give the pull request with --pr N`);
    const given = [values['pull-sha'], values['pull-author'], values['base-ref'], values['base-sha']];
    let pr: PullRequestLike;
    let baseSha: string;
    if (given.every((v) => v !== undefined)) {
      const [sha = '', author = '', baseRef = ''] = given;
      baseSha = values['base-sha'] ?? '';
      const repoLink = `https://github.com/${org}/${repo}`;
      pr = {
        number,
        title: '',
        html_url: `${repoLink}/pull/${number}`,
        user: { login: author, html_url: `https://github.com/${author}` },
        head: { sha, ref: '' },
        base: { ref: baseRef, repo: { name: repo, html_url: repoLink, owner: { login: org } } },
      };
    } else {
      const gh = await github(org, repo, '--pull-sha, --pull-author, --base-ref and --base-sha');
      const { data } = await gh.rest.pulls.get({ owner: org, repo, pull_number: number });
      const head = { sha: values['pull-sha'] ?? data.head.sha, ref: data.head.ref };
      const author = values['pull-author'] ?? data.user.login;
      const baseRef = values['base-ref'] ?? data.base.ref;
      // Prow tests a pull request on the branch as it is now, not as it was when the PR was opened.
      baseSha = values['base-sha'] ?? (await gh.rest.git.getRef({ owner: org, repo, ref: `heads/${baseRef}` })).data.object.sha;
      pr = {
        number,
        title: data.title,
        html_url: data.html_url,
        user: { login: author, html_url: author === data.user.login ? data.user.html_url : data.user.html_url.replace(/[^/]+$/, author) },
        head,
        base: { ref: baseRef, repo: { name: data.base.repo.name, html_url: data.base.repo.html_url, owner: { login: data.base.repo.owner.login } } },
      };
    }
    pj = newPresubmitJob(found.job, refsForPullRequest(pr, baseSha), opts);
  }
  io.print(stringify(pj));
  return 0;
}

/** `prow mkpj`: print the ProwJob of a configured job, as Prow's mkpj. */
export const mkpj: Command = {
  name: 'mkpj',
  summary: 'print the ProwJob for a configured job (as Prow\'s mkpj)',
  usage,
  run: (argv) =>
    runMkpj(argv, {
      print: (text) => {
        process.stdout.write(text);
      },
    }),
};
