import type { TideContext, TidePull } from '../../pull.ts';

/**
 * A PR of acme/widgets as Tide's search would map it: mergeable, clean, labelled lgtm and approved, with no
 * contexts; `fields` change what a test is about.
 */
export function tidePull(fields: Partial<TidePull> = {}): TidePull {
  return {
    org: 'acme',
    repo: 'widgets',
    number: 7,
    author: 'alice',
    title: 'Make it faster',
    body: '',
    baseRef: 'main',
    headRefName: 'faster',
    headSha: 'b'.repeat(40),
    mergeable: 'MERGEABLE',
    mergeStateStatus: 'CLEAN',
    canBeRebased: true,
    reviewDecision: null,
    labels: ['lgtm', 'approved'],
    milestone: undefined,
    updatedAt: '2026-01-01T00:00:00Z',
    contexts: [],
    ...fields,
  };
}

/** Head contexts by name and state, with empty descriptions. */
export function contexts(states: Record<string, TideContext['state']>): TideContext[] {
  return Object.entries(states).map(([context, state]) => ({ context, state, description: '' }));
}
