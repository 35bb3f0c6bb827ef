import type { ProwConfig } from '../../lib/config/index.ts';
import type { GitHubClient } from '../../lib/github/github-client.ts';
import type { JobStore } from '../../lib/jobs/index.ts';
import type { Logger } from '../../lib/log.ts';
import { landTrain, mergeTemplateFor, type ApiLandOptions, type TrainBuilder, type TrainMember } from './landing/index.ts';
import { newPoolDoc, omit, type PoolDoc, type TrainRecord } from './pool-doc.ts';
import type { PoolInput, PoolPullInput } from './pool-input.ts';
import type { HistoryRecord, PoolStore } from './pool-store.ts';
import { decide, jobFinished, landed, landFailed, syncPulls, verdictOf, type PolicyAction, type PolicySettings, type PoolState, type QueueEntry, type Train } from './policy/index.ts';
import { resultsOnBase } from './sync/requirements.ts';
import { poolLabelsOf, type TideMetrics } from './tide-metrics.ts';
import { landingMode, policySettingsFor, priorityOf } from './tide-settings.ts';
import { abortRuns, jobsForContexts, presubmitRunsOf, presubmitsByName, runResult, startTrainJob, type TrainTarget } from './train-jobs.ts';
import { releaseHolds } from './holds.ts';

/** The chain's trains and the checks beside them. */
export function allTrains(state: PoolState): Train[] {
  return [...state.trains, ...(state.checks ?? [])];
}

/** What one pool step works with. */
export interface PoolStepDeps {
  github: GitHubClient;
  jobs: JobStore;
  builder: TrainBuilder;
  store: PoolStore;
  config: ProwConfig;
  log: Logger;
  metrics: TideMetrics;
  now: number;
  /** Pacing of API-mode merges (tests pass a sleep that does not wait). */
  apiLanding?: ApiLandOptions | undefined;
}

/**
 * One step of one pool's merge queue: bring the queue in line with the sync, take in the results of the train
 * jobs, let the policy decide, and carry out what it asks (cancel, land, eject, retry, start trains). The
 * policy's state and everything needed to carry it on are saved at the end, so a restart resumes here.
 */
export async function stepPool(deps: PoolStepDeps, input: PoolInput): Promise<PoolDoc> {
  const settings = policySettingsFor(deps.config.tide, input.org, input.repo);
  const doc = (await deps.store.load(input.key)) ?? newPoolDoc(input.key, input.baseSha, settings.minWindow);
  const step = new PoolStep(deps, input, settings, doc);
  await step.run();
  await deps.store.save(doc);
  deps.metrics.observePool(doc, input.pulls.filter((p) => p.verdict !== 'excluded').length);
  return doc;
}

class PoolStep {
  readonly #deps: PoolStepDeps;
  readonly #input: PoolInput;
  readonly #settings: PolicySettings;
  readonly #doc: PoolDoc;
  readonly #pulls: Map<number, PoolPullInput>;
  readonly #log: Logger;
  #landings = 0;

  constructor(deps: PoolStepDeps, input: PoolInput, settings: PolicySettings, doc: PoolDoc) {
    this.#deps = deps;
    this.#input = input;
    this.#settings = settings;
    this.#doc = doc;
    this.#pulls = new Map(input.pulls.map((p) => [p.pull.number, p]));
    this.#log = deps.log.child({ pool: input.key });
  }

  async run(): Promise<void> {
    const doc = this.#doc;
    doc.error = undefined;
    await releaseHolds(this.#deps.jobs, doc, this.#pulls, this.#input.baseSha);
    this.#recoverInterrupted();
    await this.#sync();
    await this.#collectResults();
    if (this.#input.blockers.length > 0) {
      doc.action = 'BLOCKED';
      doc.target = [];
      return;
    }
    await this.#verifyGreen();
    const decision = decide(doc.state, this.#settings, this.#deps.now, (members) => this.#jobsFor(members));
    doc.state = decision.state;
    doc.action = 'WAIT';
    doc.target = [];
    for (const action of decision.actions) await this.#carryOut(action);
    // A landing frees the window only after the policy planned: plan once more so the next train starts now.
    if (this.#landings > 0) await this.#decideAgain();
  }

  /** The queue entries of the PRs with `verdict` that no hold keeps out. */
  #entries(verdict: PoolPullInput['verdict']): QueueEntry[] {
    return [...this.#pulls.values()]
      .filter((p) => p.verdict === verdict && this.#doc.holds[String(p.pull.number)] === undefined)
      .map((p) => ({ number: p.pull.number, headSha: p.pull.headSha, priority: priorityOf(this.#deps.config.tide, p.pull.labels), since: this.#deps.now }));
  }

  async #sync(): Promise<void> {
    const decision = syncPulls(this.#doc.state, this.#entries('eligible'), this.#input.baseSha, this.#entries('own-ci-failed'));
    this.#doc.state = decision.state;
    for (const action of decision.actions) await this.#carryOut(action);
  }

  /**
   * A step that stopped half way (a crash, a lost Redis write) leaves trains the policy started with no
   * commit built, or a train marked landing: the first are dropped so the policy builds them again; the second
   * landed if the base is its commit, else is offered for landing again.
   */
  #recoverInterrupted(): void {
    const state = this.#doc.state;
    const unbuilt = state.trains.findIndex((t) => this.#doc.trains[t.id] === undefined);
    if (unbuilt >= 0) state.trains.splice(unbuilt);
    if (state.checks !== undefined) state.checks = state.checks.filter((c) => this.#doc.trains[c.id] !== undefined);
    for (const train of state.trains.filter((t) => t.state === 'landing')) {
      const record = this.#doc.trains[train.id];
      if (record?.sha === this.#input.baseSha) this.#doc.state = landed(this.#doc.state, this.#settings, train.id, record.sha);
      else train.state = 'testing';
    }
  }

  async #collectResults(): Promise<void> {
    for (const train of allTrains(this.#doc.state)) {
      const record = this.#doc.trains[train.id];
      if (record === undefined) continue;
      for (const [job, run] of Object.entries(train.jobs)) {
        if (run.state !== 'pending') continue;
        const name = record.jobs[job]?.[run.attempts - 1];
        const result = name === undefined ? 'failed' : await runResult(this.#deps.jobs, name);
        if (result !== 'running') this.#doc.state = jobFinished(this.#doc.state, this.#settings, train.id, job, result === 'passed');
      }
    }
  }

  #jobsFor(members: readonly number[]): string[] {
    const contexts = members.flatMap((n) => this.#pulls.get(n)?.requiredContexts ?? []);
    return jobsForContexts(this.#deps.config, this.#input.org, this.#input.repo, contexts);
  }

  async #carryOut(action: PolicyAction): Promise<void> {
    switch (action.kind) {
      case 'cancel-train':
        await this.#cancel(action.train);
        return;
      case 'start-train':
        await this.#start(action.train);
        return;
      case 'retry-job':
        await this.#retry(action.train, action.job);
        return;
      case 'land':
        await this.#land(action.train);
        return;
      case 'eject':
        await this.#eject(action.number, action.job, action.train);
        return;
    }
  }

  async #cancel(trainId: string): Promise<void> {
    const record = this.#doc.trains[trainId];
    // Landed trains leave the state through `landed`, and their record with them.
    this.#doc.trains = omit(this.#doc.trains, trainId);
    if (record === undefined) return;
    await abortRuns(this.#deps.jobs, Object.values(record.jobs).flat(), 'Aborted: Tide no longer needs this train.');
  }

  /** A live train of the chain, or a live check (a screen or probe train outside it). */
  #live(trainId: string): Train | undefined {
    return allTrains(this.#doc.state).find((t) => t.id === trainId);
  }

  #member(number: number): TrainMember | undefined {
    const p = this.#pulls.get(number);
    if (p === undefined) return undefined;
    return { pull: p.pull, method: p.mergeMethod ?? 'merge' };
  }

  #target(train: Train, sha: string): TrainTarget {
    return {
      poolKey: this.#input.key,
      org: this.#input.org,
      repo: this.#input.repo,
      branch: this.#input.branch,
      trainId: train.id,
      sha,
      members: train.members.flatMap((n) => {
        const p = this.#pulls.get(n)?.pull;
        return p === undefined ? [] : [p];
      }),
    };
  }

  async #start(planned: Train): Promise<void> {
    const train = this.#live(planned.id);
    if (train === undefined) return;
    const doc = this.#doc;
    const parentSha = train.parent === undefined ? doc.state.baseSha : doc.trains[train.parent]?.sha;
    const members = train.batch.map((n) => this.#member(n));
    if (parentSha === undefined || members.some((m) => m === undefined)) {
      this.#abandonFrom(train.id);
      return;
    }
    let built;
    try {
      built = await this.#deps.builder.build({
        org: this.#input.org,
        repo: this.#input.repo,
        branch: this.#input.branch,
        trainId: train.id,
        parentSha,
        members: members.filter((m): m is TrainMember => m !== undefined),
        template: mergeTemplateFor(this.#deps.config.tide?.merge_commit_template, this.#input.org, this.#input.repo),
      });
    } catch (err) {
      this.#log.error({ err, train: train.id }, 'could not build the train; it will be built again');
      doc.error = `building train ${train.id}: ${err instanceof Error ? err.message : String(err)}`;
      this.#abandonFrom(train.id);
      return;
    }
    if (built.kind === 'rejected') {
      const pull = this.#pulls.get(built.pull)?.pull;
      this.#log.info({ train: train.id, pull: built.pull, reason: built.reason, files: built.files }, 'a PR does not apply on what is ahead of it');
      if (pull !== undefined) doc.holds[String(built.pull)] = { kind: 'conflict', headSha: pull.headSha, baseSha: doc.state.baseSha, files: built.files, at: this.#deps.now };
      // The trains holding it go; the policy plans again without it (each rejection holds one more PR out).
      await this.#sync();
      await this.#decideAgain();
      return;
    }
    const record: TrainRecord = { sha: built.sha, ref: built.ref, parentSha, jobs: {} };
    doc.trains[train.id] = record;
    const reused = train.parent === undefined && train.batch.length === 1 ? await this.#passedOnBase(train) : new Set<string>();
    const presubmits = presubmitsByName(this.#deps.config, this.#input.org, this.#input.repo);
    const labels = poolLabelsOf(this.#input.key);
    const target = this.#target(train, built.sha);
    for (const job of Object.keys(train.jobs)) {
      if (reused.has(job)) {
        doc.state = jobFinished(doc.state, this.#settings, train.id, job, true);
        this.#deps.metrics.jobRuns.inc({ ...labels, reused: 'true' });
        continue;
      }
      const presubmit = presubmits.get(job);
      if (presubmit === undefined) continue;
      const run = await startTrainJob(this.#deps.jobs, presubmit, target, 1, this.#deps.config.prowjob_namespace);
      record.jobs[job] = [run.metadata.name];
      this.#deps.metrics.jobRuns.inc({ ...labels, reused: 'false' });
    }
    this.#deps.metrics.trainsStarted.inc(labels);
    doc.action = 'TRIGGER_BATCH';
    doc.target = [...train.members];
    await this.#record('TRIGGER_BATCH', train.members, train.parent === undefined ? doc.state.baseSha : parentSha);
  }

  /**
   * The jobs of a one-PR train on the base that the PR already passed against this very base (Tide's fast
   * path): their results stand for the train's, so they are not run again.
   */
  async #passedOnBase(train: Train): Promise<Set<string>> {
    const [number] = train.batch;
    const input = number === undefined ? undefined : this.#pulls.get(number);
    if (input === undefined) return new Set();
    const presubmits = presubmitsByName(this.#deps.config, this.#input.org, this.#input.repo);
    const required = Object.keys(train.jobs).flatMap((j) => {
      const p = presubmits.get(j);
      return p === undefined ? [] : [p];
    });
    const runs = await presubmitRunsOf(this.#deps.jobs, input.pull);
    const results = resultsOnBase(required, input.pull, this.#doc.state.baseSha, runs);
    const notYet = new Set([...results.missing, ...results.pending]);
    return new Set(required.filter((p) => !notYet.has(p.context)).map((p) => p.name));
  }

  /** Drops `trainId` and the trains behind it from the state (they were planned but cannot start this step). */
  #abandonFrom(trainId: string): void {
    const state = this.#doc.state;
    const index = state.trains.findIndex((t) => t.id === trainId);
    if (index >= 0) state.trains.splice(index);
    if (state.checks !== undefined) state.checks = state.checks.filter((c) => c.id !== trainId);
  }

  async #retry(trainId: string, job: string): Promise<void> {
    const train = this.#live(trainId);
    const record = this.#doc.trains[trainId];
    const presubmit = presubmitsByName(this.#deps.config, this.#input.org, this.#input.repo).get(job);
    if (train === undefined || record === undefined || presubmit === undefined) return;
    const attempt = train.jobs[job]?.attempts ?? 2;
    const run = await startTrainJob(this.#deps.jobs, presubmit, this.#target(train, record.sha), attempt, this.#deps.config.prowjob_namespace);
    record.jobs[job] = [...(record.jobs[job] ?? []), run.metadata.name];
    this.#deps.metrics.jobRuns.inc({ ...poolLabelsOf(this.#input.key), reused: 'false' });
    this.#log.info({ train: trainId, job, attempt }, 'a train job failed once: running it again');
  }

  async #land(trainId: string): Promise<void> {
    const doc = this.#doc;
    const train = this.#live(trainId);
    const record = doc.trains[trainId];
    if (train === undefined || record === undefined) return;
    const members = train.members.map((n) => this.#member(n));
    if (members.some((m) => m === undefined)) {
      train.state = 'testing';
      return;
    }
    // Saved first: a restart that finds the base at the train's commit knows the landing happened.
    await this.#deps.store.save(doc);
    const mode = landingMode(this.#deps.config.tide);
    const landingMembers = members.filter((m): m is TrainMember => m !== undefined);
    const { org, repo, branch } = this.#input;
    const result =
      mode === 'fast-forward'
        ? await landTrain(this.#deps.github, { mode, org, repo, branch, sha: record.sha, members: landingMembers }, { log: this.#log })
        : await landTrain(
            this.#deps.github,
            { mode, org, repo, members: landingMembers, template: mergeTemplateFor(this.#deps.config.tide?.merge_commit_template, org, repo) },
            { ...this.#deps.apiLanding, log: this.#log },
          );
    const labels = poolLabelsOf(this.#input.key);
    const merged = result.mode === 'fast-forward' ? (result.kind === 'landed' ? train.members : []) : result.merged;
    const failure =
      result.mode === 'fast-forward'
        ? result.kind === 'landed'
          ? undefined
          : result.kind === 'base-moved'
            ? `the base moved outside the queue (${result.message}); rebuilding the trains`
            : `GitHub refused to move ${branch} to the train's commit (${String(result.status)} ${result.message}); let Tide's bot push to the branch, or set tide.merge_queue.landing: api`
        : result.merged.length === train.members.length
          ? undefined
          : result.outcomes.filter((o) => o.kind !== 'merged').map((o) => `#${String(o.pull)}: ${'message' in o ? o.message : o.kind}`).join('; ');
    if (merged.length > 0) {
      const since = new Map(doc.state.queue.map((e) => [e.number, e.since]));
      for (const n of merged) this.#deps.metrics.timeInQueue.observe(labels, Math.max(0, (this.#deps.now - (since.get(n) ?? this.#deps.now)) / 1000));
      this.#deps.metrics.merges.observe(labels, merged.length);
      this.#deps.metrics.mergedPrs.inc(labels, merged.length);
      this.#deps.metrics.trainsLanded.inc(labels);
    }
    await this.#record(merged.length > 1 ? 'MERGE_BATCH' : 'MERGE', merged.length > 0 ? merged : train.members, doc.state.baseSha, failure);
    doc.action = merged.length > 1 ? 'MERGE_BATCH' : 'MERGE';
    doc.target = [...merged];
    if (failure !== undefined) doc.error = failure;
    if (merged.length === train.members.length) {
      const took = this.#deps.now - train.startedAt;
      doc.trainMs = doc.trainMs === undefined ? took : Math.round(0.8 * doc.trainMs + 0.2 * took);
    }
    if (merged.length > 0) this.#landings++;
    if (result.mode === 'fast-forward' && result.kind === 'landed') {
      doc.state = landed(doc.state, this.#settings, trainId, record.sha);
      doc.trains = Object.fromEntries(Object.entries(doc.trains).filter(([id]) => allTrains(doc.state).some((t) => t.id === id)));
      return;
    }
    if (result.mode === 'api' && merged.length === train.members.length) {
      // Tide's merges made new commits: nothing built on the old chain is what the base now is.
      const tip = (await (await this.#deps.github.forRepo(org, repo)).rest.git.getRef({ owner: org, repo, ref: `heads/${branch}` })).data.object.sha;
      doc.state = landed(doc.state, this.#settings, trainId, tip);
      doc.trains = omit(doc.trains, trainId);
    } else if (merged.length > 0) {
      // A partial API landing: the merged PRs leave with the next sync; everything is rebuilt on the new base.
      this.#log.warn({ train: trainId, merged, failure }, 'the train landed in part');
    }
    if (result.mode === 'fast-forward' && result.kind === 'refused') {
      // Nothing is wrong with the train: keep it green and try again next step, without testing it again.
      train.state = 'testing';
      return;
    }
    const decision = landFailed(doc.state);
    doc.state = decision.state;
    for (const action of decision.actions) await this.#carryOut(action);
  }

  /**
   * Before the policy lands the deepest green train, reads its PRs fresh from GitHub: one that changed after the
   * sync (a push, a close) leaves the queue now, taking down the trains that hold it, so only what was tested
   * lands and a green train ahead of it can land instead.
   */
  async #verifyGreen(): Promise<void> {
    const doc = this.#doc;
    for (;;) {
      const green = doc.state.trains.filter((t) => verdictOf(t) === 'green').at(-1);
      if (green === undefined) return;
      const changed = await this.#membersChanged(green);
      if (changed.length === 0) return;
      this.#log.info({ train: green.id, changed }, 'a PR of a green train changed since the sync: it is not landed');
      for (const n of changed) this.#pulls.delete(n);
      const decision = syncPulls(doc.state, this.#entries('eligible'), doc.state.baseSha, this.#entries('own-ci-failed'));
      doc.state = decision.state;
      for (const action of decision.actions) await this.#carryOut(action);
    }
  }

  /** Lets the policy plan again after the plan met the world (a PR that does not apply). */
  async #decideAgain(): Promise<void> {
    const decision = decide(this.#doc.state, this.#settings, this.#deps.now, (members) => this.#jobsFor(members));
    this.#doc.state = decision.state;
    for (const action of decision.actions) await this.#carryOut(action);
  }

  /** Members whose PR is no longer open at the head the train tested (read fresh from GitHub). */
  async #membersChanged(train: Train): Promise<number[]> {
    const gh = await this.#deps.github.forRepo(this.#input.org, this.#input.repo);
    const changed: number[] = [];
    for (const n of train.members) {
      const expected = this.#pulls.get(n)?.pull.headSha;
      const { data } = await gh.rest.pulls.get({ owner: this.#input.org, repo: this.#input.repo, pull_number: n });
      if (data.state !== 'open' || data.head.sha !== expected) changed.push(n);
    }
    return changed;
  }

  async #eject(number: number, job: string, trainId: string): Promise<void> {
    const pull = this.#pulls.get(number)?.pull;
    if (pull === undefined) return;
    this.#doc.holds[String(number)] = { kind: 'ejected', headSha: pull.headSha, job, train: trainId, at: this.#deps.now };
    const labels = poolLabelsOf(this.#input.key);
    this.#deps.metrics.ejected.inc(labels);
    this.#deps.metrics.trainsFailed.inc(labels);
    this.#log.info({ pull: number, job, train: trainId }, 'PR failed a job on its own: taken out of the queue');
    await this.#record('EJECT', [number], this.#doc.state.baseSha, `job ${job} failed twice in train ${trainId}`);
  }

  async #record(action: string, numbers: readonly number[], baseSha: string, err?: string): Promise<void> {
    const target: HistoryRecord['target'] = numbers.flatMap((n) => {
      const p = this.#pulls.get(n)?.pull;
      return p === undefined ? [] : [{ number: n, author: p.author, sha: p.headSha, title: p.title }];
    });
    await this.#deps.store.record(this.#input.key, { time: new Date(this.#deps.now).toISOString(), action, baseSHA: baseSha, target, ...(err === undefined ? {} : { err }) });
  }
}
