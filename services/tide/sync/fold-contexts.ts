import type { TideContext } from '../pull.ts';

/** A commit status as GraphQL (`SUCCESS`...) or REST (`success`...) spells it. */
export interface StatusLike {
  context: string;
  state: string;
  description: string | null;
}

/** A check run as GraphQL (`COMPLETED`, `SUCCESS`) or REST (`completed`, `success`) spells it. */
export interface CheckRunLike {
  name: string;
  status: string;
  conclusion: string | null;
}

const rank: Record<TideContext['state'], number> = { failure: 0, pending: 1, success: 2 };

/** A status in Tide's simple states: ERROR, FAILURE and EXPECTED (required, never reported) all fail. */
function statusState(state: string): TideContext['state'] {
  const s = state.toLowerCase();
  if (s === 'success') return 'success';
  return s === 'pending' ? 'pending' : 'failure';
}

/** A check run in Tide's simple states: unfinished is pending; success, neutral and skipped pass; the rest fail. */
function checkRunState(run: CheckRunLike): TideContext['state'] {
  if (run.status.toLowerCase() !== 'completed') return 'pending';
  const c = (run.conclusion ?? '').toLowerCase();
  return c === 'success' || c === 'neutral' || c === 'skipped' ? 'success' : 'failure';
}

/**
 * A commit's statuses and check runs as one list of contexts, best state per name (success, then pending, then
 * failure), in the order names first appear. A check run without a name mirrors a status and is ignored.
 */
export function foldContexts(statuses: readonly StatusLike[], checkRuns: readonly CheckRunLike[]): TideContext[] {
  const byName = new Map<string, TideContext>();
  const offer = (c: TideContext): void => {
    const seen = byName.get(c.context);
    if (seen === undefined || rank[c.state] > rank[seen.state]) byName.set(c.context, c);
  };
  for (const s of statuses) offer({ context: s.context, state: statusState(s.state), description: s.description ?? '' });
  for (const r of checkRuns) if (r.name !== '') offer({ context: r.name, state: checkRunState(r), description: '' });
  return [...byName.values()];
}
