import type { JobStore } from '../../lib/jobs/index.ts';
import { omit, type PoolDoc } from './pool-doc.ts';
import type { PoolPullInput } from './pool-input.ts';
import { presubmitRunsOf } from './train-jobs.ts';

/**
 * Lets held PRs back into the queue when what held them is gone: any hold ends when the PR leaves the pool or
 * its head changes; a conflict hold when the base moves (what conflicted may have landed and been resolved); an
 * ejection when the job that failed passes again on the PR after it (a `/retest` or `/test` shows it was
 * not the PR's fault).
 */
export async function releaseHolds(jobs: JobStore, doc: PoolDoc, pulls: ReadonlyMap<number, PoolPullInput>, baseSha: string): Promise<void> {
  for (const [key, hold] of Object.entries(doc.holds)) {
    const pull = pulls.get(Number(key))?.pull;
    if (pull?.headSha !== hold.headSha) {
      doc.holds = omit(doc.holds, key);
      continue;
    }
    if (hold.kind === 'conflict') {
      if (hold.baseSha !== baseSha) doc.holds = omit(doc.holds, key);
      continue;
    }
    const runs = await presubmitRunsOf(jobs, pull);
    const passedSince = runs.some(
      (r) =>
        r.spec.job === hold.job &&
        r.status.state === 'success' &&
        r.spec.refs?.pulls?.[0]?.sha === pull.headSha &&
        Date.parse(r.status.completionTime ?? r.status.startTime) > hold.at,
    );
    if (passedSince) doc.holds = omit(doc.holds, key);
  }
}
