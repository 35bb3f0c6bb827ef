import type { FastifyPluginCallback } from 'fastify';
import type { JobStore, ProwJob, ProwJobState, ProwJobType } from '../../../lib/jobs/index.ts';
import { jobStoragePath } from '../../../lib/storage/index.ts';

/** One ProwJob as the jobs list shows it (deck's job row). */
export interface JobRow {
  /** The ProwJob's name (`metadata.name`). */
  name: string;
  job: string;
  type: ProwJobType;
  state: ProwJobState;
  /** `org/repo`, or undefined for a periodic without refs. */
  repo: string | undefined;
  baseRef: string | undefined;
  pull: number | undefined;
  author: string | undefined;
  /** The pull's head, else the base SHA. */
  sha: string | undefined;
  started: string;
  finished: string | undefined;
  description: string | undefined;
  buildId: string | undefined;
  /** This dashboard's build page (`/view/<provider>/<bucket>/<dir>`), when the job uploads to storage. */
  buildPath: string | undefined;
  /** This dashboard's page of every job of the pull. */
  prPath: string | undefined;
  /** The pull on GitHub. */
  pullLink: string | undefined;
  /** `status.url` as plank set it. */
  url: string | undefined;
}

/** The jobs list's filters, as deck names them; each one set must match. */
export interface JobFilters {
  /** `org/repo`. */
  repo?: string | undefined;
  type?: string | undefined;
  state?: string | undefined;
  /** The first pull's author, case-insensitive. */
  author?: string | undefined;
  /** Part of the job's name, case-insensitive. */
  job?: string | undefined;
}

/** The URL path of a pull's page. */
export function prHistoryPath(org: string, repo: string, pull: number): string {
  return `/pr-history?${new URLSearchParams({ org, repo, pr: String(pull) }).toString()}`;
}

/**
 * The build page of a job, in deck's `/view/<provider>/<bucket>/<dir>` shape that `jobUrl` gives plank, so the
 * status links crier posts open it; undefined for a job that keeps nothing in storage.
 */
export function buildViewPath(job: ProwJob): string | undefined {
  if (job.spec.decoration_config?.gcs_configuration?.bucket === undefined || job.status.build_id === undefined) return undefined;
  try {
    const { provider, bucketPath, dir } = jobStoragePath(job);
    return ['', 'view', provider, ...`${bucketPath}/${dir}`.split('/').filter((s) => s !== '')].map(encodeURIComponent).join('/');
  } catch {
    return undefined;
  }
}

/** A ProwJob as a row. */
export function jobRow(job: ProwJob): JobRow {
  const refs = job.spec.refs ?? job.spec.extra_refs?.[0];
  const pull = job.spec.refs?.pulls?.[0];
  const repo = refs === undefined ? undefined : `${refs.org}/${refs.repo}`;
  return {
    name: job.metadata.name,
    job: job.spec.job,
    type: job.spec.type,
    state: job.status.state,
    repo,
    baseRef: refs?.base_ref,
    pull: pull?.number,
    author: pull?.author,
    sha: pull?.sha ?? refs?.base_sha,
    started: job.status.startTime,
    finished: job.status.completionTime,
    description: job.status.description,
    buildId: job.status.build_id,
    buildPath: buildViewPath(job),
    prPath: refs !== undefined && pull !== undefined ? prHistoryPath(refs.org, refs.repo, pull.number) : undefined,
    pullLink: pull?.link,
    url: job.status.url,
  };
}

const lower = (s: string | undefined): string => (s ?? '').toLowerCase();

/** Newest first by start time, then by name so equal times keep one order. */
function newestFirst(a: JobRow, b: JobRow): number {
  return b.started.localeCompare(a.started) || a.name.localeCompare(b.name);
}

/** The rows that pass every filter set, newest first. */
export function filterJobs(jobs: readonly ProwJob[], filters: JobFilters): JobRow[] {
  const wantJob = lower(filters.job);
  return jobs
    .map(jobRow)
    .filter(
      (r) =>
        (filters.repo === undefined || filters.repo === '' || r.repo === filters.repo) &&
        (filters.type === undefined || filters.type === '' || r.type === filters.type) &&
        (filters.state === undefined || filters.state === '' || r.state === filters.state) &&
        (filters.author === undefined || filters.author === '' || lower(r.author) === lower(filters.author)) &&
        (wantJob === '' || r.job.toLowerCase().includes(wantJob)),
    )
    .sort(newestFirst);
}

/** The values each filter can take among `jobs`, sorted, for the page's selects. */
export function filterChoices(jobs: readonly ProwJob[]): { repo: string[]; type: string[]; state: string[]; author: string[]; job: string[] } {
  const rows = jobs.map(jobRow);
  const distinct = (values: (string | undefined)[]): string[] => [...new Set(values.filter((v): v is string => v !== undefined && v !== ''))].sort();
  return {
    repo: distinct(rows.map((r) => r.repo)),
    type: distinct(rows.map((r) => r.type)),
    state: distinct(rows.map((r) => r.state)),
    author: distinct(rows.map((r) => r.author)),
    job: distinct(rows.map((r) => r.job)),
  };
}

/** Every job of one pull, by job name (sorted), each job's runs newest first. */
export interface PrHistory {
  org: string;
  repo: string;
  pr: number;
  jobs: { job: string; runs: JobRow[] }[];
}

/** The pull's jobs, read by Prow's refs labels, grouped by job. */
export async function prHistory(store: JobStore, org: string, repo: string, pr: number): Promise<PrHistory> {
  const found = await store.list({ labels: { 'prow.k8s.io/refs.org': org, 'prow.k8s.io/refs.repo': repo, 'prow.k8s.io/refs.pull': String(pr) } });
  const byJob = new Map<string, JobRow[]>();
  for (const row of found.map(jobRow).sort(newestFirst)) {
    const runs = byJob.get(row.job);
    if (runs === undefined) byJob.set(row.job, [row]);
    else runs.push(row);
  }
  return { org, repo, pr, jobs: [...byJob].sort(([a], [b]) => a.localeCompare(b)).map(([job, runs]) => ({ job, runs })) };
}

/** A query parameter as one string: the first when repeated, undefined when absent. */
export function param(query: unknown, name: string): string | undefined {
  const v = (query as Record<string, unknown> | undefined)?.[name];
  const first: unknown = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first : undefined;
}

/** The jobs list's filters from a request's query. */
export function jobFiltersOf(query: unknown): JobFilters {
  return { repo: param(query, 'repo'), type: param(query, 'type'), state: param(query, 'state'), author: param(query, 'author'), job: param(query, 'job') };
}

/** `GET /api/jobs` (the filtered rows) and `GET /api/pr-history?org=&repo=&pr=`. */
export function jobsApi(jobs: JobStore): FastifyPluginCallback {
  return (app, _opts, done) => {
    app.get('/api/jobs', async (req) => ({ jobs: filterJobs(await jobs.list(), jobFiltersOf(req.query)) }));
    app.get('/api/pr-history', async (req, reply) => {
      const target = prTarget(req.query);
      if (typeof target === 'string') return reply.code(400).send({ error: target });
      return prHistory(jobs, target.org, target.repo, target.pr);
    });
    done();
  };
}

/** The pull a pr-history request names, or what is wrong with it. */
export function prTarget(query: unknown): { org: string; repo: string; pr: number } | string {
  const org = param(query, 'org') ?? '';
  const repo = param(query, 'repo') ?? '';
  const pr = Number(param(query, 'pr'));
  if (org === '' || repo === '' || !Number.isInteger(pr) || pr <= 0) return 'name the pull as ?org=<org>&repo=<repo>&pr=<number>';
  return { org, repo, pr };
}
