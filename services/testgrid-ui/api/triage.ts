import type { FastifyPluginCallback } from 'fastify';
import type { TriageSummary } from '../triage/summary.ts';
import type { TriageFilter } from '../triage/triage-feed.ts';
import { param } from './jobs.ts';

export type { TriageFilter } from '../triage/triage-feed.ts';

/** Where the triage page's clusters come from: the service's TriageFeed. */
export interface TriageSource {
  summary(filter: TriageFilter): Promise<TriageSummary> | TriageSummary;
}

/** The triage filters from a request's query: `job`, `test` and `text` (parts, any case) and `sig`. */
export function triageFilterOf(query: unknown): TriageFilter {
  const filter: TriageFilter = {};
  for (const name of ['job', 'test', 'text', 'sig'] as const) {
    const value = param(query, name)?.trim();
    if (value !== undefined && value !== '') filter[name] = value;
  }
  return filter;
}

/** `GET /api/triage?job=&test=&text=&sig=`: the failure clusters of the last 14 days, ranked, as JSON. */
export function triageApi(source: TriageSource): FastifyPluginCallback {
  return (app, _opts, done) => {
    app.get('/api/triage', async (req) => source.summary(triageFilterOf(req.query)));
    done();
  };
}
