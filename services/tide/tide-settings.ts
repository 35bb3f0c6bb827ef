import { parseGoDuration, type ProwConfig } from '../../lib/config/index.ts';
import type { LandingMode } from './landing/index.ts';
import { defaultPolicySettings, type PolicySettings } from './policy/index.ts';

type TideConfig = NonNullable<ProwConfig['tide']>;

/** Tide's defaults: a sync every minute, statuses at most every minute. */
export const defaultSyncPeriodMs = 60_000;
export const defaultStatusUpdatePeriodMs = 60_000;

/** How often the full sync runs (`tide.sync_period`). */
export function syncPeriodMs(tide: TideConfig | undefined): number {
  return durationOr(tide?.sync_period, defaultSyncPeriodMs);
}

/** How often the PRs outside every query get their status (`tide.status_update_period`). */
export function statusUpdatePeriodMs(tide: TideConfig | undefined): number {
  return durationOr(tide?.status_update_period, defaultStatusUpdatePeriodMs);
}

/** How a pool's green trains land (`tide.merge_queue.landing`): fast-forward unless configured otherwise. */
export function landingMode(tide: TideConfig | undefined): LandingMode {
  return tide?.merge_queue?.landing ?? 'fast-forward';
}

/**
 * The batch limit of `org/repo` from Tide's `batch_size_limit` map: the repo's entry, else the org's, else
 * `*`, else 0 (no limit); -1 turns batching off.
 */
export function batchSizeLimit(tide: TideConfig | undefined, org: string, repo: string): number {
  const limits = tide?.batch_size_limit ?? {};
  return limits[`${org}/${repo}`] ?? limits[org] ?? limits['*'] ?? 0;
}

/** The policy settings of one pool: Tide's batch limit, and the `merge_queue` block over our defaults. */
export function policySettingsFor(tide: TideConfig | undefined, org: string, repo: string): PolicySettings {
  const queue = tide?.merge_queue;
  const settings: PolicySettings = { ...defaultPolicySettings, batchSizeLimit: batchSizeLimit(tide, org, repo) };
  if (queue?.min_window !== undefined) settings.minWindow = queue.min_window;
  if (queue?.max_window !== undefined) settings.maxWindow = queue.max_window;
  if (queue?.ci_budget !== undefined) settings.ciBudget = queue.ci_budget;
  if (queue?.speculation_threshold !== undefined) settings.speculationThreshold = queue.speculation_threshold;
  settings.maxWindow = Math.max(settings.maxWindow, settings.minWindow);
  return settings;
}

/**
 * The priority class of a PR: the index of the first `tide.priority` entry whose labels it carries (an entry's
 * label may be `a,b`, meaning either), or the number of entries when it matches none, so unmarked PRs go last.
 */
export function priorityOf(tide: TideConfig | undefined, labels: readonly string[]): number {
  const classes = tide?.priority ?? [];
  const has = new Set(labels);
  const index = classes.findIndex((c) => (c.labels ?? []).every((l) => l.split(',').some((alt) => has.has(alt.trim()))) && (c.labels ?? []).length > 0);
  return index < 0 ? classes.length : index;
}

/**
 * The `tide` status's link, as Prow's Tide makes it: `target_urls` by org/repo, then org, then `*`, else
 * `target_url`; without either, the PR status page (`pr_status_base_urls`, then `pr_status_base_url`) with a
 * query for this PR (`is:pr repo:org/repo author:<login> head:<branch>`).
 */
export function targetUrlFor(tide: TideConfig | undefined, org: string, repo: string, pull?: { author: string; headRefName: string }): string | undefined {
  const urls = tide?.target_urls ?? {};
  const target = urls[`${org}/${repo}`] ?? urls[org] ?? urls['*'] ?? tide?.target_url;
  if (target !== undefined && target !== '') return target;
  const bases = tide?.pr_status_base_urls ?? {};
  const base = bases[`${org}/${repo}`] ?? bases[org] ?? bases['*'] ?? tide?.pr_status_base_url;
  if (base === undefined || base === '' || pull === undefined) return undefined;
  try {
    const link = new URL(base);
    link.searchParams.set('query', `is:pr repo:${org}/${repo} author:${pull.author} head:${pull.headRefName}`);
    return link.toString();
  } catch {
    return undefined;
  }
}

function durationOr(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const ms = parseGoDuration(text);
  return ms === undefined || ms <= 0 ? fallback : ms;
}
