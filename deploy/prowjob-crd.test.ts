import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfigOrThrow, type ProwConfig } from '../lib/config/index.ts';
import { createKubeJobStore, newBatchJob, newPeriodicJob, newPostsubmitJob, newPresubmitJob, refsForPullRequest, type JobStore, type ProwJob } from '../lib/jobs/index.ts';
import { jobStoreContract, periodicJob } from '../lib/jobs/job-store.contract.ts';
import { plugins } from '../plugins/index.ts';
import { compileCrdSchema, prowJobCrd as prowsCrd } from '../test/helpers/prowjob-crd.ts';
import { prowJobCrd } from './prowjob-crd.ts';
import { defaultConfigDir } from './starter.ts';
import { startKubeApiWithCrd, type CrdKubeApi } from './testing/kube-api.ts';

type Schema = Record<string, unknown> & { properties?: Record<string, Schema>; items?: Schema; additionalProperties?: Schema; required?: string[] };

const ours = prowJobCrd();
const v1 = ours.spec.versions[0];
const schema = v1?.schema?.openAPIV3Schema as Schema;
const validate = compileCrdSchema(schema);
const errors = (job: unknown): string[] => (validate(JSON.parse(JSON.stringify(job))) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''} ${JSON.stringify(e.params)}`));

async function exampleConfig(): Promise<ProwConfig> {
  const loaded = await loadConfigOrThrow({ configPath: `${defaultConfigDir}config.yaml`, jobConfigPath: `${defaultConfigDir}jobs`, pluginConfigPath: `${defaultConfigDir}plugins.yaml`, implementedPlugins: plugins.map((p) => p.name) });
  return loaded.config;
}

const pr = {
  number: 7,
  title: 'Say hello louder',
  html_url: 'https://github.com/prow-demo/hello/pull/7',
  user: { login: 'alice', html_url: 'https://github.com/alice' },
  head: { sha: 'a'.repeat(40), ref: 'louder' },
  base: { ref: 'main', repo: { name: 'hello', html_url: 'https://github.com/prow-demo/hello', owner: { login: 'prow-demo' } } },
};

/** Every job of config/ as the ProwJob prow-ts makes of it: presubmits and batches, postsubmits, periodics. */
async function exampleJobs(): Promise<ProwJob[]> {
  const config = await exampleConfig();
  const refs = refsForPullRequest(pr, 'b'.repeat(40));
  const opts = { namespace: config.prowjob_namespace, eventGuid: 'e0f6c2a0-0000-4000-8000-000000000001' };
  const jobs = [
    ...Object.values(config.presubmits).flat().flatMap((j) => [newPresubmitJob(j, refs, opts), newBatchJob(j, { ...refs, pulls: [...(refs.pulls ?? []), { ...refs.pulls?.[0], number: 8, author: 'bob', sha: 'c'.repeat(40) }] }, opts)]),
    ...Object.values(config.postsubmits).flat().map((j) => newPostsubmitJob(j, { org: 'prow-demo', repo: 'hello', base_ref: 'main', base_sha: 'b'.repeat(40) }, opts)),
    ...config.periodics.map((j) => newPeriodicJob(j, opts)),
  ];
  // One finished and reported, so the status fields plank and crier write are checked too.
  const [first] = jobs;
  if (first !== undefined) {
    first.status = { ...first.status, state: 'success', pendingTime: first.status.startTime, completionTime: first.status.startTime, pod_name: first.metadata.name, build_id: '1000', url: 'https://prow.example/view/1', description: 'Job succeeded.', prev_report_states: { 'github-reporter': 'success' } };
  }
  return jobs;
}

describe('the ProwJob CRD', () => {
  it('accepts every ProwJob prow-ts builds from config/’s jobs, refusing nothing and pruning nothing', async () => {
    const jobs = await exampleJobs();
    expect(new Set(jobs.map((j) => j.spec.type))).toEqual(new Set(['presubmit', 'batch', 'postsubmit', 'periodic']));
    expect(jobs.some((j) => j.spec.decoration_config !== undefined)).toBe(true);
    for (const job of jobs) expect(errors(job), job.spec.job).toEqual([]);
  });

  it('refuses an unknown field, a wrong type and a state Prow does not have', async () => {
    const [job] = await exampleJobs();
    if (job === undefined) throw new Error('no example job');
    expect(errors({ ...job, spec: { ...job.spec, bogus: true } }).join()).toMatch(/additionalProperty.*bogus/);
    expect(errors({ ...job, spec: { ...job.spec, report: 'yes' } }).join()).toMatch(/must be boolean/);
    expect(errors({ ...job, status: { ...job.status, state: 'exploded' } }).join()).toMatch(/allowed values/);
    expect(errors({ ...job, spec: { ...job.spec, decoration_config: { timeout: 7 } } }).join()).toMatch(/decoration_config\/timeout must be string/);
  });

  it('prints job, type, state and age', () => {
    expect(v1?.additionalPrinterColumns?.map((c) => [c.name, c.jsonPath])).toEqual([['Job', '.spec.job'], ['Type', '.spec.type'], ['State', '.status.state'], ['Age', '.metadata.creationTimestamp']]);
  });

  it('names only Prow’s fields, with Prow’s types, and requires no field Prow’s own CRD leaves optional', () => {
    const prows = prowsCrd().spec.versions.find((v) => v.name === 'v1')?.schema?.openAPIV3Schema as Schema;
    const problems: string[] = [];
    const compare = (a: Schema, b: Schema | undefined, path: string): void => {
      if (b === undefined) {
        problems.push(`${path}: not in Prow's CRD`);
        return;
      }
      if (a['x-kubernetes-int-or-string'] === true) {
        if (b['x-kubernetes-int-or-string'] !== true) problems.push(`${path}: int-or-string here, ${String(b.type)} in Prow's`);
        return;
      }
      if (a.type !== b.type) problems.push(`${path}: ${String(a.type)} here, ${String(b.type)} in Prow's`);
      for (const r of a.required ?? []) if (!(b.required ?? []).includes(r)) problems.push(`${path}: requires ${r}, which Prow's does not`);
      for (const [name, sub] of Object.entries(a.properties ?? {})) compare(sub, b.properties?.[name], `${path}.${name}`);
      if (a.items !== undefined) compare(a.items, b.items, `${path}[]`);
      if (a.additionalProperties !== undefined) compare(a.additionalProperties, b.additionalProperties, `${path}.*`);
    };
    compare(schema, prows, '');
    expect(problems).toEqual([]);
  });
});

for (const statusSubresource of [true, false]) {
  const crd = statusSubresource ? 'starter.yaml’s CRD' : 'starter.yaml’s CRD without its status subresource, as Prow’s';
  describe(`the JobStore on ${crd}`, () => {
    let kube: CrdKubeApi;
    let stores: JobStore[];
    const open = (): JobStore => {
      const store = createKubeJobStore({ kubeConfig: kube.kubeConfig('prow'), namespace: 'prow' });
      stores.push(store);
      return store;
    };
    beforeEach(async () => {
      kube = await startKubeApiWithCrd(ours, ['prow'], { statusSubresource });
      stores = [];
    });
    afterEach(async () => {
      await Promise.all(stores.map((s) => s.close()));
      await kube.close();
    });

    jobStoreContract(`Kubernetes (${crd})`, () => open);

    it('keeps the status the JobStore writes on create and on update', async () => {
      const store = open();
      const created = await store.create(periodicJob('status-probe'));
      expect(created.status.state).toBe('triggered');
      await store.update(created.metadata.name, (j) => ({ ...j, status: { ...j.status, state: 'pending', pod_name: j.metadata.name } }));
      const [again] = await open().list();
      expect(again?.status).toMatchObject({ state: 'pending', pod_name: created.metadata.name, startTime: created.status.startTime });
    });
  });
}

it('starter.yaml’s CRD has the status subresource', () => {
  expect(v1?.subresources).toEqual({ status: {} });
});
