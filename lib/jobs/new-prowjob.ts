import { randomUUID } from 'node:crypto';
import type { Periodic, Postsubmit, Presubmit } from '../config/index.ts';
import type { ProwJob, ProwJobSpec, Pull, Refs } from './prowjob.ts';
import { labelsAndAnnotationsFor, prowLabels } from './prowjob-labels.ts';

type AnyJob = Presubmit | Postsubmit | Periodic;

/** Where and when a ProwJob is made; the defaults are a fresh name and now. */
export interface NewJobOptions {
  /** `prowjob_namespace`: where the ProwJob object lives. */
  namespace?: string | undefined;
  /** X-GitHub-Delivery of the webhook that caused it, kept as the `event-GUID` label. */
  eventGuid?: string | undefined;
  /** Labels added by whoever makes the job (trigger's `prow.k8s.io/retest`, Tide's `created-by-tide`). */
  labels?: Readonly<Record<string, string>> | undefined;
  name?: string | undefined;
  now?: Date | undefined;
}

/** The part of a GitHub pull request payload a presubmit's refs come from. */
export interface PullRequestLike {
  number: number;
  title: string;
  html_url: string;
  user: { login: string; html_url: string };
  head: { sha: string; ref: string };
  base: { ref: string; repo: { name: string; html_url: string; owner: { login: string } } };
}

/** A presubmit's refs for `pr` on `baseSha`, with the links Prow writes. */
export function refsForPullRequest(pr: PullRequestLike, baseSha: string): Refs {
  const repoLink = pr.base.repo.html_url;
  return {
    org: pr.base.repo.owner.login,
    repo: pr.base.repo.name,
    repo_link: repoLink,
    base_ref: pr.base.ref,
    base_sha: baseSha,
    base_link: `${repoLink}/commit/${baseSha}`,
    pulls: [pullFrom(pr, repoLink)],
  };
}

/** One pull as Prow records it in refs. */
export function pullFrom(pr: PullRequestLike, repoLink = pr.base.repo.html_url): Pull {
  return {
    number: pr.number,
    author: pr.user.login,
    sha: pr.head.sha,
    title: pr.title,
    ref: `refs/pull/${pr.number}/head`,
    head_ref: pr.head.ref,
    link: pr.html_url,
    commit_link: `${repoLink}/pull/${pr.number}/commits/${pr.head.sha}`,
    author_link: pr.user.html_url,
  };
}

/** The job's clone settings carried onto the refs it checks out, as Prow completes primary refs. */
function completeRefs(refs: Refs, job: AnyJob): Refs {
  const out: Refs = { ...refs };
  if (job.path_alias !== undefined) out.path_alias = job.path_alias;
  if (job.clone_uri !== undefined) out.clone_uri = job.clone_uri;
  if (job.skip_submodules !== undefined) out.skip_submodules = job.skip_submodules;
  if (job.clone_depth !== undefined) out.clone_depth = job.clone_depth;
  if (job.skip_fetch_head !== undefined) out.skip_fetch_head = job.skip_fetch_head;
  if (job.decoration_config?.blobless_fetch === true) out.blobless_fetch = true;
  return out;
}

/** `value` without its undefined fields, as they would leave it on the way through JSON. */
function defined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}

function extraRefs(job: AnyJob): Refs[] | undefined {
  if (job.extra_refs === undefined) return undefined;
  return job.extra_refs.map((r) => {
    // extra_refs in config name their pulls loosely; they are kept as written.
    const refs = defined({ ...r, pulls: r.pulls as Pull[] | undefined }) as Refs;
    return job.decoration_config?.blobless_fetch === true ? { ...refs, blobless_fetch: true } : refs;
  });
}

/** The name Prow gives a job's one container in its Pod. */
export const testContainerName = 'test';

/**
 * The job's pod spec, its one container named `test` when the config leaves it unnamed (as most do): the
 * CRD keys containers by name, so the API server refuses a ProwJob without one, and the Pod gets that name
 * anyway. Several containers must be named in config.
 */
function podSpecOf(spec: Record<string, unknown>): Record<string, unknown> {
  const containers = spec.containers;
  if (!Array.isArray(containers) || containers.length !== 1) return spec;
  const [only] = containers as Record<string, unknown>[];
  if (only === undefined || (typeof only.name === 'string' && only.name !== '')) return spec;
  return { ...spec, containers: [{ ...only, name: testContainerName }] };
}

/** What every kind of job puts in its spec (Prow's specFromJobBase). */
function baseSpec(job: AnyJob, type: ProwJobSpec['type']): ProwJobSpec {
  const spec: ProwJobSpec = { type, agent: job.agent, cluster: job.cluster, namespace: job.namespace, job: job.name };
  const extra = extraRefs(job);
  if (extra !== undefined) spec.extra_refs = extra;
  if (job.max_concurrency !== undefined) spec.max_concurrency = job.max_concurrency;
  if (job.error_on_eviction !== undefined) spec.error_on_eviction = job.error_on_eviction;
  if (job.spec !== undefined) spec.pod_spec = podSpecOf(job.spec);
  if (job.decorate && job.decoration_config !== undefined) spec.decoration_config = job.decoration_config;
  if (job.reporter_config !== undefined) spec.reporter_config = job.reporter_config;
  if (job.rerun_auth_config !== undefined) spec.rerun_auth_config = job.rerun_auth_config;
  if (job.hidden !== undefined) spec.hidden = job.hidden;
  if (job.job_queue_name !== undefined) spec.job_queue_name = job.job_queue_name;
  return spec;
}

/** A presubmit's spec on `refs` (one pull; several for a batch). */
export function presubmitSpec(job: Presubmit, refs: Refs, type: 'presubmit' | 'batch' = 'presubmit'): ProwJobSpec {
  return { ...baseSpec(job, type), refs: completeRefs(refs, job), report: !job.skip_report, context: job.context, rerun_command: job.rerun_command };
}

/** A postsubmit's spec on a pushed `refs`. */
export function postsubmitSpec(job: Postsubmit, refs: Refs): ProwJobSpec {
  return { ...baseSpec(job, 'postsubmit'), refs: completeRefs(refs, job), report: !job.skip_report, context: job.context };
}

/** A periodic's spec: no refs of its own (its extra_refs are what it clones) and no GitHub report. */
export function periodicSpec(job: Periodic): ProwJobSpec {
  return baseSpec(job, 'periodic');
}

/** A ProwJob for `spec`, freshly triggered: a UUID name, Prow's labels and annotations, and `startTime` now. */
export function newProwJob(
  spec: ProwJobSpec,
  extraLabels: Readonly<Record<string, string>> = {},
  extraAnnotations: Readonly<Record<string, string>> = {},
  opts: NewJobOptions = {},
): ProwJob {
  const { labels, annotations } = labelsAndAnnotationsFor(spec, { ...extraLabels, ...opts.labels }, extraAnnotations);
  return {
    apiVersion: 'prow.k8s.io/v1',
    kind: 'ProwJob',
    metadata: { name: opts.name ?? randomUUID(), ...(opts.namespace === undefined ? {} : { namespace: opts.namespace }), labels, annotations },
    spec,
    status: { startTime: (opts.now ?? new Date()).toISOString(), state: 'triggered' },
  };
}

function jobLabels(job: AnyJob, opts: NewJobOptions): Record<string, string> {
  return { ...job.labels, ...(opts.eventGuid === undefined ? {} : { [prowLabels.eventGuid]: opts.eventGuid }) };
}

/** The ProwJob of a presubmit for a pull request, as trigger makes it. */
export function newPresubmitJob(job: Presubmit, refs: Refs, opts: NewJobOptions = {}): ProwJob {
  const labels = { ...jobLabels(job, opts), [prowLabels.isOptional]: String(job.optional) };
  return newProwJob(presubmitSpec(job, refs), labels, job.annotations, opts);
}

/** The ProwJob of a batch: one presubmit on several pull requests at once, as Tide makes it. */
export function newBatchJob(job: Presubmit, refs: Refs, opts: NewJobOptions = {}): ProwJob {
  return newProwJob(presubmitSpec(job, refs, 'batch'), jobLabels(job, opts), job.annotations, opts);
}

/** The ProwJob of a postsubmit for a push. */
export function newPostsubmitJob(job: Postsubmit, refs: Refs, opts: NewJobOptions = {}): ProwJob {
  return newProwJob(postsubmitSpec(job, refs), jobLabels(job, opts), job.annotations, opts);
}

/** The ProwJob of a periodic run, as horologium makes it. */
export function newPeriodicJob(job: Periodic, opts: NewJobOptions = {}): ProwJob {
  return newProwJob(periodicSpec(job), jobLabels(job, opts), job.annotations, opts);
}
