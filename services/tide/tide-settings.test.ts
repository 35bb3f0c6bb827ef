import { describe, expect, it } from 'vitest';
import { configFromYaml } from './sync/testing/config-from-yaml.ts';
import { batchSizeLimit, landingMode, policySettingsFor, priorityOf, syncPeriodMs, targetUrlFor } from './tide-settings.ts';

describe("Tide's settings as the merge queue reads them", () => {
  it('loads the merge_queue block beside Tide\'s own keys and applies it over the defaults', async () => {
    const config = await configFromYaml(`
tide:
  sync_period: 2m
  batch_size_limit: {'acme/widgets': 4, acme: 8, '*': -1}
  merge_queue: {landing: api, min_window: 2, max_window: 6, ci_budget: 5, speculation_threshold: 0.5}
`);
    expect(syncPeriodMs(config.tide)).toBe(120_000);
    expect(landingMode(config.tide)).toBe('api');
    expect(policySettingsFor(config.tide, 'acme', 'widgets')).toMatchObject({ batchSizeLimit: 4, minWindow: 2, maxWindow: 6, ciBudget: 5, speculationThreshold: 0.5 });
    expect([batchSizeLimit(config.tide, 'acme', 'gears'), batchSizeLimit(config.tide, 'other', 'x')]).toEqual([8, -1]);
  });

  it('refuses a landing mode it does not know, naming the key', async () => {
    await expect(configFromYaml('tide:\n  merge_queue: {landing: rebase-everything}\n')).rejects.toThrow(/merge_queue/);
  });

  it("defaults to Tide's one-minute sync and to fast-forward landing", () => {
    expect(syncPeriodMs(undefined)).toBe(60_000);
    expect(landingMode(undefined)).toBe('fast-forward');
  });

  it("orders PRs by the first tide.priority entry they match; 'a,b' means either label", async () => {
    const config = await configFromYaml(`
tide:
  priority:
  - labels: ['kind/failing-test,kind/flake']
  - labels: [priority/critical-urgent, lgtm]
`);
    expect(priorityOf(config.tide, ['kind/flake'])).toBe(0);
    expect(priorityOf(config.tide, ['priority/critical-urgent', 'lgtm'])).toBe(1);
    expect(priorityOf(config.tide, ['priority/critical-urgent'])).toBe(2);
    expect(priorityOf(config.tide, [])).toBe(2);
  });

  it('links the tide status by target_urls (repo, then org, then *) before target_url', async () => {
    const config = await configFromYaml(`
tide:
  target_url: https://prow.example.com/tide
  target_urls: {'acme/widgets': 'https://prow.example.com/tide?repo=widgets', acme: 'https://prow.example.com/tide?org=acme'}
`);
    expect(targetUrlFor(config.tide, 'acme', 'widgets')).toBe('https://prow.example.com/tide?repo=widgets');
    expect(targetUrlFor(config.tide, 'acme', 'gears')).toBe('https://prow.example.com/tide?org=acme');
    expect(targetUrlFor(config.tide, 'other', 'x')).toBe('https://prow.example.com/tide');
  });

  it('without a target_url, links the PR status page with a query for the PR, as Tide does', async () => {
    const config = await configFromYaml(`
tide:
  pr_status_base_urls: {acme: 'https://prow.example.com/pr'}
`);
    const link = targetUrlFor(config.tide, 'acme', 'widgets', { author: 'alice', headRefName: 'fix-1' });
    expect(new URL(link ?? '').searchParams.get('query')).toBe('is:pr repo:acme/widgets author:alice head:fix-1');
    expect(link?.startsWith('https://prow.example.com/pr?')).toBe(true);
    expect(targetUrlFor(config.tide, 'other', 'x', { author: 'a', headRefName: 'b' })).toBeUndefined();
  });
});
