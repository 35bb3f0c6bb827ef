import type { JobChange, ProwJob } from '../../../lib/jobs/index.ts';
import { supersedeKey, type JobPeers } from './gates.ts';

function addTo(index: Map<string, Set<string>>, key: string | undefined, name: string): void {
  if (key === undefined) return;
  let set = index.get(key);
  if (!set) index.set(key, (set = new Set()));
  set.add(name);
}

function removeFrom(index: Map<string, Set<string>>, key: string | undefined, name: string): void {
  if (key === undefined) return;
  const set = index.get(key);
  set?.delete(name);
  if (set?.size === 0) index.delete(key);
}

/**
 * plank's view of every ProwJob, kept from the store's watch and from its own writes, indexed the ways the
 * gates ask (job name, job queue, supersede key) so a check touches only the jobs it concerns. A write seen
 * back through the watch at an older resourceVersion than one already applied is ignored.
 */
export class JobCache implements Omit<JobPeers, 'isStarting'> {
  readonly #jobs = new Map<string, ProwJob>();
  readonly #byJob = new Map<string, Set<string>>();
  readonly #byQueue = new Map<string, Set<string>>();
  readonly #byKey = new Map<string, Set<string>>();
  #pending = 0;

  get(name: string): ProwJob | undefined {
    return this.#jobs.get(name);
  }

  get size(): number {
    return this.#jobs.size;
  }

  all(): IterableIterator<ProwJob> {
    return this.#jobs.values();
  }

  /** Applies a change from the watch; returns false when it was older than what the cache holds. */
  apply(change: JobChange): boolean {
    if (change.type === 'DELETED') {
      this.#remove(change.job.metadata.name);
      return true;
    }
    return this.put(change.job);
  }

  /** Stores `job` unless the cache already holds a newer version of it. */
  put(job: ProwJob): boolean {
    const name = job.metadata.name;
    const old = this.#jobs.get(name);
    if (old && Number(old.metadata.resourceVersion ?? 0) > Number(job.metadata.resourceVersion ?? 0)) return false;
    if (old) this.#unindex(old);
    this.#jobs.set(name, job);
    addTo(this.#byJob, job.spec.job, name);
    addTo(this.#byQueue, job.spec.job_queue_name, name);
    addTo(this.#byKey, supersedeKey(job), name);
    if (job.status.state === 'pending') this.#pending++;
    return true;
  }

  byJob(job: string): Iterable<ProwJob> {
    return this.#resolve(this.#byJob.get(job));
  }

  byQueue(queue: string): Iterable<ProwJob> {
    return this.#resolve(this.#byQueue.get(queue));
  }

  bySupersedeKey(key: string): Iterable<ProwJob> {
    return this.#resolve(this.#byKey.get(key));
  }

  pendingCount(): number {
    return this.#pending;
  }

  #remove(name: string): void {
    const old = this.#jobs.get(name);
    if (!old) return;
    this.#unindex(old);
    this.#jobs.delete(name);
  }

  #unindex(job: ProwJob): void {
    const name = job.metadata.name;
    removeFrom(this.#byJob, job.spec.job, name);
    removeFrom(this.#byQueue, job.spec.job_queue_name, name);
    removeFrom(this.#byKey, supersedeKey(job), name);
    if (job.status.state === 'pending') this.#pending--;
  }

  *#resolve(names: Set<string> | undefined): Iterable<ProwJob> {
    for (const name of names ?? []) {
      const job = this.#jobs.get(name);
      if (job) yield job;
    }
  }
}
