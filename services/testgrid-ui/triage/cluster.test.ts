import { describe, expect, it } from 'vitest';
import { shuffled, seededRandom } from '../../../lib/seeded-random.ts';
import { FailureClustering } from './cluster.ts';
import type { FailureRecord } from './failure.ts';
import { ngramCounts, ngramDigest } from './ngram.ts';
import { normalizeFailureText } from './normalize.ts';

const DAY = 86_400_000;
const START = Date.UTC(2026, 5, 1);

/** The API server went away: every e2e test in every kind job fails with this, each run its own address. */
const apiDown = (i: number): string =>
  `I0612 10:${String(i % 60).padStart(2, '0')}:44.512345   ${4000 + i} reflector.go:${424 + (i % 3)}] ` +
  `failed to list *v1.Pod: Get "https://172.18.0.${2 + (i % 200)}:6443/api/v1/pods?limit=500": ` +
  `dial tcp 172.18.0.${2 + (i % 200)}:6443: connect: connection refused\n` +
  `k8s.io/client-go/tools/cache.(*Reflector).ListAndWatch(0xc000${(0x123456 + i).toString(16)})`;

/** A deployment that never rolls out, in its own namespace each run. */
const rollout = (i: number): string =>
  `[FAILED] deployment "web" in namespace "deployment-${1000 + i}" did not complete its rollout: ` +
  `expected 3 updated replicas, got ${i % 3} after 5m${i % 60}.${i % 10}s\n` +
  `In [It] at: test/e2e/apps/deployment.go:${1203 + (i % 4)} @ 06/12/26 10:31:44.${100 + i}`;

/** A pytest failure in an unrelated repo. */
const upload = (i: number): string =>
  `Traceback (most recent call last):\n  File "/workspace/store/upload.py", line ${112 + (i % 2)}, in put\n` +
  `    client.put_object(Bucket=bucket, Key=key)\nbotocore.exceptions.ClientError: An error occurred (SlowDown) ` +
  `when calling the PutObject operation (reached max retries: 4): Please reduce your request rate. ` +
  `RequestId ${(0xabcdef123456 + i).toString(16)}, cache /tmp/pytest-of-prow/pytest-${i}/test_put0`;

function failure(job: string, test: string, build: number, text: string): FailureRecord {
  return { job, build: String(build), test, text, started: START + (build % 14) * DAY, url: `https://prow.example/view/${job}/${build}` };
}

function corpus(): FailureRecord[] {
  const out: FailureRecord[] = [];
  let build = 100;
  for (let i = 0; i < 60; i++) {
    const job = ['ci-kind-e2e', 'pull-kind-e2e', 'ci-kind-ipv6'][i % 3] ?? '';
    const test = ['[sig-apps] Deployment rolls out', '[sig-network] Services resolve', '[sig-node] Pods run'][i % 3] ?? '';
    out.push(failure(job, test, build++, apiDown(i)));
  }
  for (let i = 0; i < 25; i++) out.push(failure('ci-kind-e2e', '[sig-apps] Deployment rolls out', build++, rollout(i)));
  for (let i = 0; i < 15; i++) out.push(failure('pull-store-unit', 'tests/test_upload.py::test_put', build++, upload(i)));
  return out;
}

const causeOf = (f: FailureRecord): string =>
  f.text.includes('connection refused') ? 'api' : f.text.includes('rollout') ? 'rollout' : 'upload';

describe('FailureClustering', () => {
  it('shows each root cause as one cluster across jobs and tests, biggest first', () => {
    const clusters = FailureClustering.build(corpus()).clusters();
    expect(clusters.map((c) => c.failures.length)).toEqual([60, 25, 15]);
    for (const c of clusters) expect(new Set(c.failures.map(causeOf)).size).toBe(1);
    const api = clusters[0];
    expect(new Set(api?.failures.map((f) => f.job))).toEqual(new Set(['ci-kind-e2e', 'pull-kind-e2e', 'ci-kind-ipv6']));
    expect(new Set(api?.failures.map((f) => f.test)).size).toBe(3);
  });

  it('keys a cluster on its commonest normalised text and names it by the digest of that key', () => {
    const [api] = FailureClustering.build(corpus()).clusters();
    expect(api?.key).toContain('dial tcp UNIQ');
    expect(api?.id).toBe(ngramDigest(ngramCounts(api?.key ?? '')));
    expect(api?.id).toMatch(/^[0-9a-f]{20}$/);
  });

  it('merges texts that normalisation leaves a little apart (an extra log line), and not different causes', () => {
    const base = upload(1);
    const withRetry = `${base}\nretrying after transient error`;
    const other = 'Error: ENOSPC: no space left on device, write at WriteStream.write (node:internal/fs/streams:400:12)';
    const clusters = FailureClustering.build([
      failure('j', 't', 1, base),
      failure('j', 't', 2, base),
      failure('j', 't', 3, withRetry),
      failure('j', 't', 4, other),
    ]).clusters();
    expect(clusters.map((c) => c.failures.map((f) => f.build).sort())).toEqual([['1', '2', '3'], ['4']]);
  });

  it('merges near texts across tests in the global pass', () => {
    const a = failure('j1', 'test-a', 1, rollout(1));
    const b = failure('j2', 'test-b', 2, `${rollout(1)}\nSTEP: dump ns`);
    const clusters = FailureClustering.build([a, b]).clusters();
    expect(clusters).toHaveLength(1);
    expect(clusters[0]?.failures.map((f) => f.test).sort()).toEqual(['test-a', 'test-b']);
  });

  it('matches short texts only when identical, as triage does below a 2-edit allowance', () => {
    const clusters = FailureClustering.build([failure('j', 't', 1, 'exit status 1'), failure('j', 't', 2, 'exit status 2')]).clusters();
    expect(clusters).toHaveLength(2);
  });

  it('gives the same clusters and ids whatever order the failures come in', () => {
    const failures = corpus();
    const a = FailureClustering.build(failures).clusters();
    const b = FailureClustering.build(shuffled(failures, seededRandom(3))).clusters();
    expect(b.map((c) => [c.id, c.failures.length])).toEqual(a.map((c) => [c.id, c.failures.length]));
  });

  it('keeps a cluster id across runs when seeded with the last run keys, even when the commonest text changes', () => {
    const first = FailureClustering.build(corpus());
    const rolloutId = first.clusters()[1]?.id;
    // The next window: mostly a variant with an extra STEP line, which alone would become the key.
    const next = Array.from({ length: 30 }, (_, i) => failure('ci-kind-e2e', 'rollout', 500 + i, `${rollout(i)}\nSTEP: dump ns`));
    const unseeded = FailureClustering.build(next).clusters();
    expect(unseeded[0]?.id).not.toBe(rolloutId);
    const seeded = FailureClustering.build(next, { previousKeys: first.keys() }).clusters();
    expect(seeded).toHaveLength(1);
    expect(seeded[0]?.id).toBe(rolloutId);
  });

  it('adds a later batch into the clusters it matches, starts new ones for new causes, and skips builds it has', () => {
    const clustering = FailureClustering.build(corpus());
    const before = new Map(clustering.clusters().map((c) => [c.id, c.failures.length]));
    const oom = 'fatal error: runtime: out of memory\n\nruntime stack:\nruntime.throw({0x1c2d3e4, 0x16})\n\t/usr/local/go/src/runtime/panic.go:1047 +0x5d';
    const batch = [
      failure('ci-kind-e2e', '[sig-node] Pods run', 900, apiDown(900)),
      failure('ci-kind-e2e', '[sig-storage] new test', 901, apiDown(901)),
      failure('ci-kind-e2e', '[sig-node] Pods run', 902, oom),
      failure('ci-kind-e2e', '[sig-node] Pods run', 100, apiDown(0)),
    ];
    const result = clustering.add(batch);
    expect(result.added).toBe(3);
    expect(result.duplicates).toBe(1);
    expect(result.newClusters).toHaveLength(1);
    const after = clustering.clusters();
    const api = after.find((c) => c.key.includes('connection refused'));
    expect(api?.failures.length).toBe((before.get(api?.id ?? '') ?? 0) + 2);
    expect(after.find((c) => c.id === result.newClusters[0])?.key).toBe(normalizeFailureText(oom));
    expect(clustering.size).toBe(103);
    expect(clustering.add(batch).added).toBe(0);
  });
});
