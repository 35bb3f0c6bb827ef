import { describe, expect, it } from 'vitest';
import { FailureClustering } from './cluster.ts';
import type { FailureRecord } from './failure.ts';
import { summarizeClusters } from './summary.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Noon UTC, 15 June 2026: the window's last day started 12 hours ago. */
const NOW = Date.UTC(2026, 5, 15, 12);

const dnsText = (i: number): string =>
  `lookup kubernetes.default.svc.cluster.local on 10.96.0.${10 + i}:53: read udp 10.244.1.${i}:${40000 + i}->10.96.0.10:53: i/o timeout`;
const oomText = (i: number): string => `container "etcd" in pod etcd-kind-control-plane-${i}x was OOMKilled (exit code 137) after 2h1${i}m`;

let build = 1;
function failure(job: string, test: string, text: string, started: number): FailureRecord {
  const id = String(build++);
  return { job, build: id, test, text, started, url: `https://prow.example/view/${job}/${id}` };
}

function world(): FailureRecord[] {
  return [
    // DNS: an old problem, 10 days ago and 3 days ago, none today.
    failure('ci-e2e', '[sig-network] DNS should resolve', dnsText(1), NOW - 10 * DAY),
    failure('ci-e2e', '[sig-network] DNS should resolve', dnsText(2), NOW - 3 * DAY),
    failure('pull-e2e', '[sig-network] DNS should resolve', dnsText(3), NOW - 3 * DAY + HOUR),
    failure('ci-e2e', '[sig-apps] StatefulSet scales', dnsText(4), NOW - 3 * DAY + 2 * HOUR),
    // OOM: today only, fewer in all but more in the last day.
    failure('ci-e2e', '[sig-node] etcd stays up', oomText(1), NOW - 2 * HOUR),
    failure('ci-kind', '[sig-node] etcd stays up', oomText(2), NOW - HOUR),
    // Outside the window: 20 days ago.
    failure('ci-e2e', '[sig-network] DNS should resolve', dnsText(5), NOW - 20 * DAY),
  ];
}

describe('summarizeClusters', () => {
  const summary = summarizeClusters(FailureClustering.build(world()).clusters(), { now: NOW });
  const [oom, dns] = summary.clusters;

  it('ranks by the last day before the last week and the total', () => {
    expect(summary.clusters).toHaveLength(2);
    expect(oom?.key).toContain('OOMKilled');
    expect(oom?.recent).toEqual({ day: 2, week: 2 });
    expect(dns?.recent).toEqual({ day: 0, week: 3 });
    expect(dns?.total).toBe(4);
  });

  it('counts per UTC day over 14 days, oldest first, and leaves out what is older', () => {
    expect(summary.window).toEqual({ start: Date.UTC(2026, 5, 2), days: 14 });
    expect(summary.failures).toBe(6);
    expect(dns?.daily).toHaveLength(14);
    expect(dns?.daily).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0]);
    expect(oom?.daily.at(-1)).toBe(2);
    expect(dns?.firstSeen).toBe(NOW - 10 * DAY);
    expect(dns?.lastSeen).toBe(NOW - 3 * DAY + 2 * HOUR);
  });

  it('lists the jobs and tests a cluster hits, most first, and the SIG most of them name', () => {
    expect(dns?.jobs).toEqual([
      { name: 'ci-e2e', count: 3 },
      { name: 'pull-e2e', count: 1 },
    ]);
    expect(dns?.tests.map((t) => t.name)).toEqual(['[sig-network] DNS should resolve', '[sig-apps] StatefulSet scales']);
    expect(dns?.owner).toBe('network');
    expect(dns?.builds).toBe(4);
  });

  it('links the newest builds, newest first, and shows the newest text as it was', () => {
    const short = summarizeClusters(FailureClustering.build(world()).clusters(), { now: NOW, examples: 2 });
    const examples = short.clusters[1]?.examples ?? [];
    expect(examples.map((e) => e.started)).toEqual([NOW - 3 * DAY + 2 * HOUR, NOW - 3 * DAY + HOUR]);
    expect(examples[0]?.url).toMatch(/^https:\/\/prow\.example\/view\/ci-e2e\/\d+$/);
    expect(dns?.text).toBe(dnsText(4));
  });

  it('survives JSON as it is', () => {
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
  });
});
