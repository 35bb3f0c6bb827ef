import { fileURLToPath } from 'node:url';
import { loadConfig, type ProwConfig } from '../../lib/config/index.ts';
import { newBatchJob, newPeriodicJob, newPostsubmitJob, newPresubmitJob, pullFrom, refsForPullRequest, type PullRequestLike } from '../../lib/jobs/new-prowjob.ts';
import type { ProwJob } from '../../lib/jobs/prowjob.ts';

const fixtures = fileURLToPath(new URL('../fixtures/prow-config/', import.meta.url));

/** Kubernetes' real Prow configuration from test/fixtures, refusing to go on if it does not load cleanly. */
export async function loadKubernetesConfig(): Promise<ProwConfig> {
  const loaded = await loadConfig({ configPath: `${fixtures}config.yaml`, jobConfigPath: `${fixtures}jobs`, pluginConfigPath: `${fixtures}plugins.yaml` });
  if (loaded.errors.length > 0) throw new Error(`the fixture config does not load: ${JSON.stringify(loaded.errors)}`);
  return loaded.config;
}

/** A pull request `#number` by `contributor` on `org/repo`. */
export function pullRequest(org: string, repo: string, number = 4242, author = 'contributor'): PullRequestLike {
  return {
    number,
    title: 'Make it faster',
    html_url: `https://github.com/${org}/${repo}/pull/${number}`,
    user: { login: author, html_url: `https://github.com/${author}` },
    head: { sha: 'b'.repeat(40), ref: 'faster' },
    base: { ref: 'master', repo: { name: repo, html_url: `https://github.com/${org}/${repo}`, owner: { login: org } } },
  };
}

// Plank gives a job its build ID when it starts the pod; the URL is worked out after that.
const started = (pj: ProwJob, buildId: string): ProwJob => ({ ...pj, status: { ...pj.status, state: 'pending', build_id: buildId } });

function configured<T extends { name: string }>(jobs: readonly T[] | undefined, name: string): T {
  const job = jobs?.find((j) => j.name === name);
  if (job === undefined) throw new Error(`no job ${name} in the fixture config`);
  return job;
}

/** ProwJobs of Kubernetes' configured jobs, started with build ID `buildId`, as plank would have them. */
export function kubernetesJobs(config: ProwConfig, buildId = '1234') {
  const presubmit = (fullName: string, name: string, number = 4242): ProwJob => {
    const [org = '', repo = ''] = fullName.split('/');
    return started(newPresubmitJob(configured(config.presubmits[fullName], name), refsForPullRequest(pullRequest(org, repo, number), 'a'.repeat(40))), buildId);
  };
  const batch = (fullName: string, name: string, numbers: number[]): ProwJob => {
    const [org = '', repo = ''] = fullName.split('/');
    const refs = refsForPullRequest(pullRequest(org, repo, numbers[0]), 'a'.repeat(40));
    refs.pulls = numbers.map((n, i) => pullFrom(pullRequest(org, repo, n, `author-${i}`)));
    return started(newBatchJob(configured(config.presubmits[fullName], name), refs), buildId);
  };
  const postsubmit = (fullName: string, name: string): ProwJob => {
    const [org = '', repo = ''] = fullName.split('/');
    return started(newPostsubmitJob(configured(config.postsubmits[fullName], name), { org, repo, base_ref: 'main', base_sha: 'c'.repeat(40) }), buildId);
  };
  const periodic = (name: string): ProwJob => started(newPeriodicJob(configured(config.periodics, name)), buildId);
  return { presubmit, batch, postsubmit, periodic };
}
