import type { ProwOctokit } from '../../lib/github/prow-octokit.ts';
import type { Logger } from '../../lib/log.ts';
import { issueLabelNames } from '../shared/issue-label-edits.ts';
import { lifecycleLabel, setLifecycleLabel } from './lifecycle-labels.ts';
import { staleComment, type StaleStep } from './stale-comments.ts';
import type { StalePeriods } from './stale-periods.ts';
import { agingQuery, searchAgingItems, type AgingItem } from './stale-search.ts';

/** What one sweep of one repo is told. */
export interface SweepOptions {
  github: ProwOctokit;
  org: string;
  repo: string;
  periods: StalePeriods;
  /** List what would be done, change nothing. */
  dryRun: boolean;
  /** At most this many items per step and sweep (0: no limit), like the commenter's `--ceiling`. */
  ceiling: number;
  /** Items carrying any of these labels never age (besides `lifecycle/frozen`, which always exempts). */
  exemptLabels: readonly string[];
  log: Logger;
  now?: Date | undefined;
}

/** One step taken (or, in a dry run, that would be taken) on one item. */
export interface SweepAction extends AgingItem {
  step: StaleStep;
  dryRun: boolean;
}

// Oldest step first, so one sweep moves an item by one step at most: each step's write bumps updated_at.
const steps: readonly StaleStep[] = ['close', 'rotten', 'stale'];

async function apply(opts: SweepOptions, step: StaleStep, item: AgingItem): Promise<void> {
  const target = { github: opts.github, org: opts.org, repo: opts.repo };
  const where = { owner: opts.org, repo: opts.repo };
  // The change goes first and the comment after: a comment bumps updated_at, so a comment without its
  // change would hold the item back a whole period.
  if (step === 'close') {
    if (item.isPR) await opts.github.rest.pulls.update({ ...where, pull_number: item.number, state: 'closed' });
    else await opts.github.rest.issues.update({ ...where, issue_number: item.number, state: 'closed', state_reason: 'not_planned' });
  } else {
    await setLifecycleLabel(target, item.number, lifecycleLabel[step], await issueLabelNames(target, item.number));
  }
  await opts.github.rest.issues.createComment({ ...where, issue_number: item.number, body: staleComment(step, item.isPR, opts.periods) });
}

/**
 * One sweep of stale aging over one repo, as Kubernetes' triage-robot commenter jobs: open items with no
 * activity for the stale period get `lifecycle/stale`, stale ones quiet for the rotten period get
 * `lifecycle/rotten`, rotten ones quiet for the close period are closed (issues as not planned), each with
 * a comment saying how to stop it. Frozen items are never touched; any activity moves updated_at and so
 * resets the clock. A failure on one item does not stop the others; the sweep then fails naming them all.
 */
export async function sweepRepo(opts: SweepOptions): Promise<SweepAction[]> {
  const now = opts.now ?? new Date();
  const done: SweepAction[] = [];
  const failures: string[] = [];
  for (const step of steps) {
    const cutoff = new Date(now.getTime() - opts.periods[step]);
    const query = agingQuery(step, opts.org, opts.repo, cutoff, opts.exemptLabels);
    const items = await searchAgingItems(opts.github, query, opts.ceiling);
    opts.log.debug({ step, query, found: items.length }, 'stale aging search');
    for (const item of items) {
      const fields = { step, number: item.number, url: item.url, updatedAt: item.updatedAt, dryRun: opts.dryRun };
      if (opts.dryRun) {
        opts.log.info(fields, `stale aging (dry run): would ${step === 'close' ? 'close' : `mark ${step}`} ${opts.org}/${opts.repo}#${item.number}`);
        done.push({ ...item, step, dryRun: true });
        continue;
      }
      try {
        await apply(opts, step, item);
        opts.log.info(fields, `stale aging: ${step === 'close' ? 'closed' : `marked ${step}`} ${opts.org}/${opts.repo}#${item.number}`);
        done.push({ ...item, step, dryRun: false });
      } catch (err) {
        opts.log.warn({ ...fields, err }, `stale aging: ${step} failed on ${opts.org}/${opts.repo}#${item.number}`);
        failures.push(`#${item.number} (${step}): ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
  if (failures.length > 0) throw new Error(`stale aging of ${opts.org}/${opts.repo} failed on ${failures.length} item(s): ${failures.join('; ')}`);
  return done;
}
