import { seededRandom } from '../../lib/seeded-random.ts';
import { exponential, lognormal } from './random.ts';
import { fixMinutes, retestMinutes, type Scenario } from './scenarios.ts';

/** A PR as the simulated world knows it; policies see only `id` and `readyAt`. */
export interface SimPr {
  id: number;
  /** When it (first) became ready to merge. */
  readyAt: number;
  bad: boolean;
  /** The job a bad PR fails. */
  badJob: number;
}

/** What the world tells a policy. */
export interface SimPolicy {
  name: string;
  /** Called once before time starts. */
  start(world: World): void;
  /** A PR became ready (new, fixed, or retested after a flake). */
  onReady(pr: SimPr): void;
}

interface Job {
  run: Run;
  job: number;
  onDone: (job: number, passed: boolean) => void;
  cancelled: boolean;
  /** Set while it holds a CI slot: when it started and how long it takes. */
  running: { from: number; duration: number } | undefined;
}

interface Run {
  id: number;
  content: number;
  prs: readonly SimPr[];
  jobs: Job[];
}

interface Event {
  at: number;
  seq: number;
  fn: () => void;
}

/** The figures of one policy on one scenario. */
export interface SimResult {
  policy: string;
  merged: number;
  mergesPerHour: number;
  p50Minutes: number;
  p95Minutes: number;
  runsPerMerge: number;
  escapes: number;
  falseEvictions: number;
}

/** The heap slot `i`, which the caller knows is filled. */
function slot(heap: Event[], i: number): Event {
  const e = heap[i];
  if (e === undefined) throw new Error(`empty heap slot ${String(i)}`);
  return e;
}

/** A random 32-bit weight per PR id: a state's content is the sum of its PRs' weights. */
function weightOf(id: number): number {
  let x = (id * 0x9e3779b1) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * A discrete-event world: Poisson arrivals of ready PRs (some truly bad), a CI of bounded capacity whose jobs
 * take lognormal time and flake independently, and a base branch. It records which states passed every job,
 * so a landing of any state that never did is counted as an escape.
 */
export class World {
  now = 0;
  readonly scenario: Scenario;
  readonly jobFlake: number;
  /** Merges an oracle with unlimited CI would make by the end. */
  readonly boundMerges: number;
  #events: Event[] = [];
  #seq = 0;
  #rand: () => number;
  #flakes: () => number;
  #nextRun = 1;
  #nextPr: number;
  #freeSlots: number;
  #waiting: Job[] = [];
  #runs = new Map<number, Run>();
  #passed = new Map<number, Set<number>>();
  #green = new Set<number>();
  #baseContent = 0;
  #landed = new Set<number>();
  #firstReady = new Map<number, number>();
  #open = new Map<number, SimPr>();
  #waits: number[] = [];
  #jobRuns = 0;
  #escapes = 0;
  #falseEvictions = 0;
  #policy: SimPolicy | undefined;

  constructor(scenario: Scenario, seed: number) {
    this.scenario = scenario;
    this.#rand = seededRandom(seed);
    this.#flakes = seededRandom(seed ^ 0x5bd1e995);
    this.jobFlake = 1 - (1 - scenario.flake) ** (1 / scenario.jobs);
    this.#freeSlots = scenario.capacity * scenario.jobs;
    const arrivals: SimPr[] = [];
    const end = scenario.hours * 60;
    for (let t = 0, id = 1; ; id++) {
      const rate = scenario.arrivalsPerHour * (scenario.burst && t >= scenario.burst.from * 60 && t < scenario.burst.to * 60 ? scenario.burst.factor : 1);
      t += exponential(this.#rand, 60 / rate);
      if (t >= end) break;
      arrivals.push({ id, readyAt: t, bad: this.#rand() < scenario.bad, badJob: Math.floor(this.#rand() * scenario.jobs) });
    }
    this.#nextPr = arrivals.length + 1;
    // An oracle lands every good PR, and every bad one once fixed, one test after it is ready.
    const last = end - scenario.testMinutes;
    this.boundMerges = arrivals.filter((pr) => pr.readyAt + (pr.bad ? fixMinutes : 0) <= last).length;
    for (const pr of arrivals) this.at(pr.readyAt, () => { this.#ready(pr); });
  }

  at(time: number, fn: () => void): void {
    const event = { at: time, seq: this.#seq++, fn };
    // A binary heap on (at, seq).
    const heap = this.#events;
    heap.push(event);
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      const a = slot(heap, parent);
      if (a.at < event.at || (a.at === event.at && a.seq < event.seq)) break;
      heap[i] = a;
      heap[parent] = event;
      i = parent;
    }
  }

  after(delay: number, fn: () => void): void {
    this.at(this.now + delay, fn);
  }

  #pop(): Event | undefined {
    const heap = this.#events;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || last === undefined) return top;
    heap[0] = last;
    for (let i = 0; ; ) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      const less = (x: number, y: number): boolean => {
        const a = slot(heap, x);
        const b = slot(heap, y);
        return a.at < b.at || (a.at === b.at && a.seq < b.seq);
      };
      if (l < heap.length && less(l, m)) m = l;
      if (r < heap.length && less(r, m)) m = r;
      if (m === i) break;
      [heap[i], heap[m]] = [slot(heap, m), slot(heap, i)];
      i = m;
    }
    return top;
  }

  #ready(pr: SimPr): void {
    if (!this.#firstReady.has(pr.id)) this.#firstReady.set(pr.id, pr.readyAt);
    this.#open.set(pr.id, pr);
    this.#policy?.onReady(pr);
  }

  /** Runs `policy` to the scenario's end. */
  run(policy: SimPolicy): SimResult {
    this.#policy = policy;
    policy.start(this);
    const end = this.scenario.hours * 60;
    for (let e = this.#pop(); e !== undefined && e.at < end; e = this.#pop()) {
      this.now = e.at;
      e.fn();
    }
    // PRs still open at the end count as waiting until the end, so a policy cannot hide a backlog.
    const waits = [...this.#waits, ...[...this.#open.values()].map((pr) => end - (this.#firstReady.get(pr.id) ?? pr.readyAt))].sort((a, b) => a - b);
    const pct = (q: number): number => waits[Math.min(waits.length - 1, Math.floor(q * waits.length))] ?? 0;
    const merged = this.#waits.length;
    return {
      policy: policy.name,
      merged,
      mergesPerHour: merged / this.scenario.hours,
      p50Minutes: pct(0.5),
      p95Minutes: pct(0.95),
      runsPerMerge: merged === 0 ? 0 : this.#jobRuns / this.scenario.jobs / merged,
      escapes: this.#escapes,
      falseEvictions: this.#falseEvictions,
    };
  }

  /** Content of the base plus these PRs (those not yet landed). */
  contentOf(prs: readonly SimPr[]): number {
    return prs.reduce((sum, pr) => (this.#landed.has(pr.id) ? sum : sum + weightOf(pr.id)), this.#baseContent);
  }

  /** Runs `jobs` on the base plus `prs`; `onDone` hears each job's result unless the run is cancelled. */
  startRun(prs: readonly SimPr[], jobs: readonly number[], onDone: (job: number, passed: boolean) => void): number {
    const run: Run = { id: this.#nextRun++, content: this.contentOf(prs), prs, jobs: [] };
    this.#runs.set(run.id, run);
    for (const job of jobs) {
      const j: Job = { run, job, onDone, cancelled: false, running: undefined };
      run.jobs.push(j);
      this.#waiting.push(j);
    }
    this.#dispatch();
    return run.id;
  }

  /** Every job of the scenario. */
  allJobs(): number[] {
    return Array.from({ length: this.scenario.jobs }, (_, i) => i);
  }

  cancelRun(id: number): void {
    const run = this.#runs.get(id);
    if (run === undefined) return;
    for (const j of run.jobs) {
      j.cancelled = true;
      // A cancelled job frees its slot at once and costs the share of its run it used.
      if (j.running !== undefined) {
        this.#jobRuns += (this.now - j.running.from) / j.running.duration;
        this.#freeSlots++;
        j.running = undefined;
      }
    }
    this.#runs.delete(id);
    this.#waiting = this.#waiting.filter((j) => !j.cancelled);
    this.#dispatch();
  }

  #dispatch(): void {
    while (this.#freeSlots > 0) {
      const job = this.#waiting.shift();
      if (job === undefined) return;
      this.#freeSlots--;
      const duration = lognormal(this.#flakes, this.scenario.testMinutes, 0.3);
      job.running = { from: this.now, duration };
      const badHere = job.run.prs.some((pr) => pr.bad && pr.badJob === job.job && !this.#landed.has(pr.id));
      const passed = !badHere && this.#flakes() >= this.jobFlake;
      this.after(duration, () => {
        if (job.cancelled) return;
        this.#freeSlots++;
        this.#jobRuns++;
        job.running = undefined;
        if (passed) {
          const seen = this.#passed.get(job.run.content) ?? new Set<number>();
          seen.add(job.job);
          this.#passed.set(job.run.content, seen);
          if (seen.size === this.scenario.jobs) this.#green.add(job.run.content);
        }
        job.onDone(job.job, passed);
        this.#dispatch();
      });
    }
  }

  /**
   * Lands `prs` on the base: `atomic` moves the base to the whole state at once (one API call, a second);
   * `sequential` merges PR by PR with Tide's 5 s between them. Each state the base passes through that
   * never passed every job is an escape. Calls `onDone` once the base has moved.
   */
  land(prs: readonly SimPr[], mode: 'atomic' | 'sequential', onDone: () => void): void {
    const step = (i: number): void => {
      if (mode === 'atomic') {
        this.#apply(prs);
        onDone();
        return;
      }
      const pr = prs[i];
      if (pr === undefined) {
        onDone();
        return;
      }
      this.#apply([pr]);
      if (i + 1 < prs.length) this.after(5 / 60, () => { step(i + 1); });
      else onDone();
    };
    this.after(1 / 60, () => { step(0); });
  }

  #apply(prs: readonly SimPr[]): void {
    const fresh = prs.filter((pr) => !this.#landed.has(pr.id));
    const content = this.contentOf(fresh);
    if (!this.#green.has(content) || fresh.some((pr) => pr.bad)) this.#escapes++;
    for (const pr of fresh) {
      this.#landed.add(pr.id);
      this.#baseContent += weightOf(pr.id);
      this.#open.delete(pr.id);
      this.#waits.push(this.now - (this.#firstReady.get(pr.id) ?? pr.readyAt));
    }
  }

  /** A content id for the base now (changes with every landing). */
  baseContent(): number {
    return this.#baseContent;
  }

  /**
   * The policy gave up on a PR: a bad one comes back fixed (as a new PR) after the author's fix time, a good
   * one (a false eviction) comes back after someone retests it.
   */
  evict(pr: SimPr): void {
    if (pr.bad) {
      // The bad PR is done with; its fix arrives as a new PR. A good one stays open: it still waits.
      this.#open.delete(pr.id);
      const fixed: SimPr = { id: this.#nextPr++, readyAt: this.now + fixMinutes, bad: false, badJob: 0 };
      this.at(fixed.readyAt, () => { this.#ready(fixed); });
    } else {
      this.#falseEvictions++;
      this.after(retestMinutes, () => { this.#ready(pr); });
    }
  }
}
