import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadConfigOrThrow, presubmitsFor } from '../../lib/config/index.ts';
import { newPresubmitJob, refsForPullRequest, type ProwJob, type PullRequestLike } from '../../lib/jobs/index.ts';

/** A presubmit of acme/widgets as a user writes it: decorated, its container's command the test script. */
export interface PresubmitSpec {
  name?: string;
  script: string;
  /** Extra decoration_config for the job itself (plank's defaults give timeout, grace and the bucket). */
  decoration?: Record<string, unknown>;
  spec?: Record<string, unknown>;
}

/**
 * The ProwJob trigger would make for `pr` on `baseSha`: the job read from a real config.yaml through the config
 * loader (so plank's decoration defaults apply), built with newPresubmitJob, and given a build ID as plank does.
 */
export async function presubmitJob(dir: string, pr: PullRequestLike, baseSha: string, job: PresubmitSpec, buildId = '1700000000000000001'): Promise<ProwJob> {
  const name = job.name ?? 'pull-widgets-test';
  const config = {
    prowjob_namespace: 'prow',
    pod_namespace: 'test-pods',
    plank: {
      default_decoration_config_entries: [
        {
          config: {
            timeout: '10m',
            grace_period: '5s',
            utility_images: { clonerefs: 'clonerefs:v1', initupload: 'initupload:v1', entrypoint: 'entrypoint:v1', sidecar: 'sidecar:v1' },
            gcs_configuration: { bucket: 'prow-artifacts', path_strategy: 'explicit' },
          },
        },
      ],
    },
    presubmits: {
      'acme/widgets': [
        {
          name,
          always_run: true,
          decorate: true,
          ...(job.decoration === undefined ? {} : { decoration_config: job.decoration }),
          spec: job.spec ?? { containers: [{ image: 'alpine', command: ['sh', '-c'], args: [job.script] }] },
        },
      ],
    },
  };
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${name}-config.yaml`);
  await writeFile(path, stringify(config));
  const { config: loaded } = await loadConfigOrThrow({ configPath: path });
  const presubmit = presubmitsFor(loaded, 'acme/widgets').find((p) => p.name === name);
  if (presubmit === undefined) throw new Error(`the config loader dropped ${name}`);
  const pj = newPresubmitJob(presubmit, refsForPullRequest(pr, baseSha), { namespace: loaded.prowjob_namespace });
  return { ...pj, status: { ...pj.status, state: 'pending', build_id: buildId } };
}
