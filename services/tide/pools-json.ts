import type { PoolDoc } from './pool-doc.ts';
import type { PoolInput } from './pool-input.ts';
import type { TidePull } from './pull.ts';

/** A PR as Tide's `GET /` shows it (Prow's CodeReviewCommon, as deck reads it). */
export interface CodeReviewCommon {
  NameWithOwner: string;
  Number: number;
  Org: string;
  Repo: string;
  BaseRefName: string;
  HeadRefName: string;
  HeadRefOID: string;
  Title: string;
  Body: string;
  AuthorLogin: string;
  UpdatedAt: string;
  Mergeable: string;
  CanBeRebased: boolean;
}

/**
 * One pool in Tide's JSON shape (`GET /`), with the merge queue's own view after Tide's fields: the queue in
 * order, the trains, the window, the estimates and the PRs held out. Deck ignores the fields it does not know.
 */
export interface PoolJson {
  Org: string;
  Repo: string;
  Branch: string;
  SuccessPRs: CodeReviewCommon[];
  PendingPRs: CodeReviewCommon[];
  MissingPRs: CodeReviewCommon[];
  BatchPending: CodeReviewCommon[];
  Action: string;
  Target: CodeReviewCommon[];
  Blockers: { Number: number; Title: string; URL: string }[];
  Error: string;
  TenantIDs: string[];
  BaseSHA: string;
  Queue: { Number: number; Position: number; Priority: number; Since: string; Train: string | undefined }[];
  /** The chain's trains, then the checks beside it (`Check`: `screen` or `probe`). */
  Trains: {
    ID: string;
    Parent: string | undefined;
    Batch: number[];
    Members: number[];
    State: string;
    Check: string | undefined;
    SHA: string | undefined;
    StartedAt: string;
    Jobs: Record<string, { State: string; Attempts: number }>;
  }[];
  Held: { Number: number; Kind: string; Job?: string; Train?: string; Files?: string[] }[];
  Window: number;
  Estimates: { Failure: number; Flake: number };
}

export function codeReviewCommon(pull: TidePull): CodeReviewCommon {
  return {
    NameWithOwner: `${pull.org}/${pull.repo}`,
    Number: pull.number,
    Org: pull.org,
    Repo: pull.repo,
    BaseRefName: pull.baseRef,
    HeadRefName: pull.headRefName,
    HeadRefOID: pull.headSha,
    Title: pull.title,
    Body: pull.body,
    AuthorLogin: pull.author,
    UpdatedAt: pull.updatedAt,
    Mergeable: pull.mergeable,
    CanBeRebased: pull.canBeRebased,
  };
}

/** A pool after its step, as `GET /` shows it: green trains' PRs succeed, testing trains' are pending, the rest wait. */
export function poolJson(doc: PoolDoc, input: PoolInput): PoolJson {
  const pulls = new Map(input.pulls.map((p) => [p.pull.number, p.pull]));
  const prs = (numbers: Iterable<number>): CodeReviewCommon[] =>
    [...new Set(numbers)].sort((a, b) => a - b).flatMap((n) => {
      const p = pulls.get(n);
      return p === undefined ? [] : [codeReviewCommon(p)];
    });
  const testing = doc.state.trains.filter((t) => t.state === 'testing' && Object.values(t.jobs).some((j) => j.state !== 'success'));
  const green = doc.state.trains.filter((t) => !testing.includes(t));
  const riding = new Set(doc.state.trains.flatMap((t) => t.batch));
  const waiting = doc.state.queue.filter((e) => !riding.has(e.number)).map((e) => e.number);
  return {
    Org: input.org,
    Repo: input.repo,
    Branch: input.branch,
    SuccessPRs: prs(green.flatMap((t) => t.batch)),
    PendingPRs: prs(testing.flatMap((t) => t.batch)),
    MissingPRs: prs(waiting),
    BatchPending: prs(testing.flatMap((t) => t.batch)),
    Action: doc.action,
    Target: prs(doc.target),
    Blockers: input.blockers.map((b) => ({ Number: b.number, Title: b.title, URL: b.url })),
    Error: doc.error ?? '',
    TenantIDs: [],
    BaseSHA: doc.state.baseSha,
    Queue: doc.state.queue.map((e, i) => ({
      Number: e.number,
      Position: i + 1,
      Priority: e.priority,
      Since: new Date(e.since).toISOString(),
      Train: doc.state.trains.find((t) => t.batch.includes(e.number))?.id,
    })),
    Trains: [...doc.state.trains, ...(doc.state.checks ?? [])].map((t) => ({
      ID: t.id,
      Parent: t.parent,
      Batch: t.batch,
      Members: t.members,
      State: t.state,
      Check: t.check?.kind,
      SHA: doc.trains[t.id]?.sha,
      StartedAt: new Date(t.startedAt).toISOString(),
      Jobs: Object.fromEntries(Object.entries(t.jobs).map(([name, j]) => [name, { State: j.state, Attempts: j.attempts }])),
    })),
    Held: Object.entries(doc.holds).map(([n, h]) =>
      h.kind === 'ejected' ? { Number: Number(n), Kind: h.kind, Job: h.job, Train: h.train } : { Number: Number(n), Kind: h.kind, Files: h.files },
    ),
    Window: doc.state.window,
    Estimates: { Failure: doc.state.estimates.failure, Flake: doc.state.estimates.flake },
  };
}
