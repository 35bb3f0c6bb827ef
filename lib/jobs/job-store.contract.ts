import { describe, expect, it } from 'vitest';
import { JobConflictError, type JobChange, type JobStore } from './job-store.ts';
import { newProwJob } from './new-prowjob.ts';
import type { ProwJob } from './prowjob.ts';
import { until } from '../../test/helpers/until.ts';

/** Opens another store on the same backend and data: a second process, as far as the store can tell. */
export type OpenJobStore = () => JobStore;

export function periodicJob(job: string, labels: Record<string, string> = {}): ProwJob {
  return newProwJob({ type: 'periodic', agent: 'kubernetes', job, namespace: 'test-pods', pod_spec: { containers: [{ name: 'test', image: 'alpine', command: ['true'] }] } }, labels);
}

/**
 * What every JobStore backend must do, run against each (redis-job-store.test.ts, kube-job-store.test.ts).
 * `open` is called inside each test, after the backend's own setup.
 */
export function jobStoreContract(backend: string, open: () => OpenJobStore): void {
  describe(`the ${backend} JobStore contract`, () => {
    it('stores jobs with a resourceVersion, lists them in creation order and by label, and refuses a taken name', async () => {
      const store = open()();
      const a = await store.create(periodicJob('job-a', { team: 'red' }));
      const b = await store.create(periodicJob('job-b', { team: 'blue' }));
      expect(Number(b.metadata.resourceVersion)).toBeGreaterThan(Number(a.metadata.resourceVersion));
      expect((await store.get(a.metadata.name))?.spec.job).toBe('job-a');
      expect((await store.list()).map((j) => j.spec.job)).toEqual(['job-a', 'job-b']);
      expect((await store.list({ labels: { team: 'blue' } })).map((j) => j.spec.job)).toEqual(['job-b']);
      expect(await store.get('missing')).toBeUndefined();
      await expect(store.create(a)).rejects.toBeInstanceOf(JobConflictError);
    });

    it('loses no update when two processes change the same job at once', async () => {
      const openStore = open();
      const [one, two] = [openStore(), openStore()];
      const { metadata } = await one.create(periodicJob('counted'));
      const bump = (store: JobStore) =>
        store.update(metadata.name, (job) => {
          job.metadata.annotations.count = String(Number(job.metadata.annotations.count ?? 0) + 1);
          return job;
        });
      await Promise.all(Array.from({ length: 20 }, (_, i) => bump(i % 2 === 0 ? one : two)));
      expect((await one.get(metadata.name))?.metadata.annotations.count).toBe('20');
    });

    it('leaves a job alone when mutate returns undefined, and treats missing jobs as undefined', async () => {
      const store = open()();
      const job = await store.create(periodicJob('steady'));
      expect((await store.update(job.metadata.name, () => undefined))?.metadata.resourceVersion).toBe(job.metadata.resourceVersion);
      expect(await store.update('missing', (j) => j)).toBeUndefined();
      await store.delete(job.metadata.name);
      await store.delete(job.metadata.name);
      expect(await store.list()).toEqual([]);
    });

    it('watches: first every existing matching job, then each change in order, with deletes', async () => {
      const openStore = open();
      const store = openStore();
      const before = await store.create(periodicJob('before', { team: 'red' }));
      await store.create(periodicJob('other', { team: 'blue' }));
      const seen: JobChange[] = [];
      const watch = await openStore().watch((c) => seen.push(c), { labels: { team: 'red' } });
      const summary = () => seen.map((c) => `${c.type} ${c.job.spec.job} ${c.job.status.state}`);
      await until('the initial list', () => seen.length === 1, { seen: summary });
      const after = await store.create(periodicJob('after', { team: 'red' }));
      await store.create(periodicJob('ignored', { team: 'blue' }));
      await store.update(before.metadata.name, (j) => ({ ...j, status: { ...j.status, state: 'pending' } }));
      await store.delete(after.metadata.name);
      await until('four changes', () => seen.length >= 4, { seen: summary });
      expect(summary()).toEqual(['ADDED before triggered', 'ADDED after triggered', 'MODIFIED before pending', 'DELETED after triggered']);
      await watch.close();
    });

    it('hands out build ids that increase per job', async () => {
      const store = open()();
      const ids = [await store.nextBuildId('x'), await store.nextBuildId('x'), await store.nextBuildId('x')].map(Number);
      expect(ids[1]).toBeGreaterThan(ids[0] ?? Infinity);
      expect(ids[2]).toBeGreaterThan(ids[1] ?? Infinity);
    });
  });
}
