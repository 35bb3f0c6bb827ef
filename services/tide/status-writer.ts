import type { GitHubClient } from '../../lib/github/github-client.ts';
import type { Logger } from '../../lib/log.ts';
import type { Hold, PoolDoc } from './pool-doc.ts';
import type { PoolInput, PoolPullInput } from './pool-input.ts';
import type { TidePull } from './pull.ts';
import { tideContext } from './sync/context-policy.ts';
import { fitDescription, withQueuePlace, type TideStatus } from './sync/status-text.ts';

/** Why a held PR is out of the queue, and what its author can do. */
export function holdStatus(hold: Hold): TideStatus {
  if (hold.kind === 'ejected') {
    return { state: 'error', description: fitDescription(`Not mergeable. Job ${hold.job} failed in merge train #${hold.train} (twice). Push a fix, or /retest if it flaked.`) };
  }
  const files = hold.files.length > 0 ? ` (${hold.files.slice(0, 3).join(', ')}${hold.files.length > 3 ? ', ...' : ''})` : '';
  return { state: 'error', description: fitDescription(`Not mergeable. Does not apply on top of the PRs ahead in the merge queue${files}; waits for them to land.`) };
}

/** The estimated time until a queued PR lands: its train's remaining time, or one train after the first free slot. */
function etaMs(doc: PoolDoc, number: number, now: number): number | undefined {
  const trainMs = doc.trainMs;
  if (trainMs === undefined) return undefined;
  const remaining = (startedAt: number): number => Math.max(0, trainMs - (now - startedAt));
  const train = doc.state.trains.find((t) => t.members.includes(number));
  if (train !== undefined) return remaining(train.startedAt);
  const soonest = Math.min(...doc.state.trains.map((t) => remaining(t.startedAt)), trainMs);
  return soonest + trainMs;
}

/** The `tide` status a pool's PR should carry after a step. */
export function pullStatus(doc: PoolDoc, input: PoolPullInput, now: number, blocked: boolean): TideStatus {
  const number = input.pull.number;
  const hold = doc.holds[String(number)];
  if (hold !== undefined) return holdStatus(hold);
  const index = doc.state.queue.findIndex((e) => e.number === number);
  if (index < 0 || blocked) return input.status;
  const base: TideStatus = input.status.state === 'success' ? input.status : { state: 'success', description: 'In merge pool.' };
  const train = doc.state.trains.find((t) => t.batch.includes(number))?.id;
  return withQueuePlace(base, { position: index + 1, size: doc.state.queue.length, train, etaMs: etaMs(doc, number, now) });
}

/** Whether the PR's head already carries this `tide` status (GitHub's error shows as failure in a sync). */
function alreadyShows(pull: TidePull, status: TideStatus): boolean {
  const current = pull.contexts.find((c) => c.context === tideContext);
  if (current === undefined) return false;
  const state = status.state === 'error' ? 'failure' : status.state;
  return current.state === state && current.description === status.description;
}

/** Writes `tide` statuses, skipping those the PR already shows; one failure is logged and the rest go on. */
export class StatusWriter {
  readonly #github: GitHubClient;
  readonly #log: Logger;
  readonly #targetUrl: (org: string, repo: string, pull: TidePull) => string | undefined;

  constructor(github: GitHubClient, log: Logger, targetUrl: (org: string, repo: string, pull: TidePull) => string | undefined) {
    this.#github = github;
    this.#log = log;
    this.#targetUrl = targetUrl;
  }

  /** Writes the status of every PR of a pool after its step. */
  async writePool(doc: PoolDoc, input: PoolInput, now: number): Promise<number> {
    let written = 0;
    for (const p of input.pulls) if (await this.write(p.pull, pullStatus(doc, p, now, input.blockers.length > 0))) written++;
    return written;
  }

  /** Writes one PR's status unless it already shows it; answers whether it wrote. */
  async write(pull: TidePull, status: TideStatus): Promise<boolean> {
    if (alreadyShows(pull, status)) return false;
    const url = this.#targetUrl(pull.org, pull.repo, pull);
    try {
      const gh = await this.#github.forRepo(pull.org, pull.repo);
      await gh.rest.repos.createCommitStatus({
        owner: pull.org,
        repo: pull.repo,
        sha: pull.headSha,
        state: status.state,
        context: tideContext,
        description: status.description,
        ...(url === undefined ? {} : { target_url: url }),
      });
      return true;
    } catch (err) {
      this.#log.warn({ err, org: pull.org, repo: pull.repo, pull: pull.number }, 'could not write the tide status');
      return false;
    }
  }
}
