import { posix } from 'node:path';
import type { ProwConfig } from '../config/index.ts';
import { ProwError } from '../errors.ts';
import { jobStoragePath } from '../storage/layout.ts';
import { parseGoTemplate, type GoTemplate } from '../template/index.ts';
import type { ProwJob } from './prowjob.ts';

/** The plank settings a job's URL comes from. */
export type JobUrlConfig = Pick<NonNullable<ProwConfig['plank']>, 'job_url_template' | 'job_url_prefix_config'> & {
  /** Prow's `jobURLPrefixDisableAppendStorageProvider`: the prefix already ends where the bucket goes. */
  jobURLPrefixDisableAppendStorageProvider?: boolean | undefined;
};

/**
 * The deck prefix for the job, as Prow's Plank.GetJobURLPrefix: the job's own gcs_configuration.job_url_prefix,
 * else job_url_prefix_config for `org/repo`, then `org`, then `*` (org and repo from refs, else the first
 * extra_refs). A trailing `gcs/` or `gcs` is dropped, as Prow does since the provider is appended.
 */
export function jobUrlPrefix(job: ProwJob, plank: JobUrlConfig | undefined): string {
  const own = job.spec.decoration_config?.gcs_configuration?.job_url_prefix;
  const prefixes = plank?.job_url_prefix_config ?? {};
  const refs = job.spec.refs ?? job.spec.extra_refs?.[0];
  const org = refs?.org ?? '';
  const pick = (key: string): string | undefined => (Object.hasOwn(prefixes, key) && prefixes[key] !== '' ? prefixes[key] : undefined);
  let prefix: string;
  if (own !== undefined && own !== '') prefix = own;
  else if (org === '') prefix = pick('*') ?? '';
  else prefix = pick(`${org}/${refs?.repo ?? ''}`) ?? pick(org) ?? pick('*') ?? '';
  return prefix.endsWith('gcs/') ? prefix.slice(0, -'gcs/'.length) : prefix.replace(/gcs$/, '');
}

// Config reloads change the template rarely; parsing it once per text keeps the hot path cheap.
const templates = new Map<string, GoTemplate>();
function urlTemplate(text: string): GoTemplate {
  let template = templates.get(text);
  if (template === undefined) {
    if (templates.size > 16) templates.clear();
    template = parseGoTemplate('plank.job_url_template', text);
    templates.set(text, template);
  }
  return template;
}

/**
 * The job's `status.url`, as Prow's pjutil.JobURL: for a decorated job with a URL prefix, deck's page for its
 * build directory (`<prefix>gs/<bucket>/<dir>`, e.g. https://prow.k8s.io/view/gs/kubernetes-ci-logs/pr-logs/pull/123/job/456);
 * otherwise plank.job_url_template rendered over the ProwJob; undefined when neither is configured. A template
 * that cannot be rendered is a PROW_ERR_TEMPLATE_INVALID (Prow logs it and leaves the URL empty).
 */
export function jobUrl(job: ProwJob, plank: JobUrlConfig | undefined): string | undefined {
  const prefix = job.spec.decoration_config === undefined ? '' : jobUrlPrefix(job, plank);
  if (prefix !== '') {
    const { provider, bucketPath, dir } = jobStoragePath(job);
    let url: URL;
    try {
      url = new URL(prefix);
    } catch {
      throw new ProwError('PROW_ERR_CONFIG_INVALID', `plank.job_url_prefix_config (or gcs_configuration.job_url_prefix): ${JSON.stringify(prefix)} is not a URL`);
    }
    const parts = plank?.jobURLPrefixDisableAppendStorageProvider === true ? [bucketPath, dir] : [provider, bucketPath, dir];
    url.pathname = joinUrlPath(url.pathname, ...parts);
    return url.toString();
  }
  const template = plank?.job_url_template;
  if (template === undefined || template === '') return undefined;
  return urlTemplate(template).render(job);
}

// Go's path.Join over URL path parts: cleaned, one slash between parts, no trailing slash.
function joinUrlPath(...parts: string[]): string {
  const joined = posix.join('/', ...parts);
  return joined.length > 1 ? joined.replace(/\/+$/, '') : joined;
}
