/**
 * Triage's clustering at Kubernetes' scale: 50,000 failure messages from a few hundred root causes (Go tests,
 * Kubernetes e2e, client-go, pytest, Jest, builds), each run with its own times, ids, names, addresses and
 * line numbers, and some with a changed number or an extra log line that normalisation cannot remove, so the
 * fuzzy pass has work. Generated from a seed; every message knows its root cause, so purity is measured.
 */
import { seededRandom } from '../../lib/seeded-random.ts';
import { FailureClustering } from '../../services/testgrid-ui/triage/cluster.ts';
import { boundedEditDistance } from '../../services/testgrid-ui/triage/edit-distance.ts';
import type { FailureRecord } from '../../services/testgrid-ui/triage/failure.ts';
import { normalizeFailureText } from '../../services/testgrid-ui/triage/normalize.ts';
import { summarizeClusters } from '../../services/testgrid-ui/triage/summary.ts';

export interface ClusterBenchOptions {
  messages?: number;
  rootCauses?: number;
  seed?: number;
  /** Pairs timed for the naive all-pairs baseline. */
  naiveSample?: number;
}

export interface ClusterBenchResult {
  messages: number;
  rootCauses: number;
  clusters: number;
  /** Wall time to normalise and cluster every message (one full run). */
  seconds: number;
  /** Of which normalising the texts alone (timed separately). */
  normalizeSeconds: number;
  /** Wall time to summarise the clusters for the dashboard. */
  summarySeconds: number;
  /** Wall time to add the newest day's failures to a clustering of the other 13 days. */
  addDaySeconds: number;
  addDayMessages: number;
  /**
   * NAIVE BASELINE, EXTRAPOLATED: full Levenshtein between every pair of normalised messages (n(n-1)/2
   * pairs), timed over `naiveSample` random pairs. What clustering costs without exact grouping, a length
   * window, the n-gram estimate and a bounded distance.
   */
  naiveSeconds: number;
  /** Fraction of messages whose cluster's majority root cause is their own. */
  purity: number;
  /** Fraction of messages in their root cause's biggest cluster (1 = no root cause split). */
  completeness: number;
}

const DAY = 86_400_000;
/** A fixed end of the window, so a run is the same every time. */
const NOW = Date.UTC(2026, 5, 15);

const WORDS = (
  'volume snapshot quota lease leader election webhook admission mutating validating scheduler preemption ' +
  'priority taint toleration affinity daemonset statefulset deployment replicaset rollout revision cronjob ' +
  'ingress gateway endpoint slice service loadbalancer firewall route dns resolver coredns kubelet runtime ' +
  'containerd image pull registry manifest digest secret configmap projected token audience serviceaccount ' +
  'rbac binding aggregated apiservice crd conversion storage version migration etcd compaction defrag watch ' +
  'bookmark informer reflector cache resync finalizer garbage collector owner orphan cascade eviction drain ' +
  'cordon upgrade downgrade skew node lifecycle heartbeat lease pressure memory disk pid cgroup swap hugepages ' +
  'cpu manager topology device plugin csi attach detach mount resize expansion topology zone region autoscaler ' +
  'metrics prometheus scrape alert rule exporter tracing span sampler logger flush rotate archive upload bucket ' +
  'object multipart checksum manifest release candidate changelog tag branch merge rebase conflict queue batch ' +
  'retry backoff jitter deadline cancel context stream grpc channel keepalive handshake certificate rotation ' +
  'signer approver csr bootstrap kubeadm join init phase addon proxy iptables ipvs nftables conntrack sctp'
).split(' ');

const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)] as T;
const hex = (n: number, random: () => number): string => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(random() * 16)]).join('');
const k8sSuffix = (n: number, random: () => number): string =>
  Array.from({ length: n }, () => 'bcdfghjklmnpqrstvwxz2456789'[Math.floor(random() * 27)]).join('');
const camel = (words: string[]): string => words.map((w) => (w[0] ?? '').toUpperCase() + w.slice(1)).join('');

/** One run's noise: what differs every time the same root cause fails. */
interface Noise {
  time: string;
  ns: string;
  pod: string;
  ip: string;
  port: number;
  uuid: string;
  pointer: string;
  duration: string;
  tmp: string;
  line: (base: number) => number;
}

function noise(random: () => number, at: number): Noise {
  const shift = pick([0, 0, 0, 4, 11], random);
  return {
    time: new Date(at).toISOString(),
    ns: `e2e-tests-${k8sSuffix(5, random)}`,
    pod: `${k8sSuffix(10, random)}-${k8sSuffix(5, random)}`,
    ip: `10.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${1 + Math.floor(random() * 254)}`,
    port: 30000 + Math.floor(random() * 2767),
    uuid: `${hex(8, random)}-${hex(4, random)}-4${hex(3, random)}-a${hex(3, random)}-${hex(12, random)}`,
    pointer: `0xc000${hex(6, random)}`,
    duration: `${Math.floor(random() * 300)}.${hex(3, random).replace(/[a-f]/g, '7')}s`,
    tmp: `/tmp/${pick(['TestRun', 'pytest-of-prow/pytest-', 'go-build'], random)}${Math.floor(random() * 1e9)}/work`,
    line: (base) => base + shift,
  };
}

/** A root cause: a fixed message and stack, rendered with one run's noise. */
type Cause = (n: Noise, random: () => number) => string;

function makeCause(index: number, random: () => number): Cause {
  const words = (k: number): string[] => Array.from({ length: k }, () => pick(WORDS, random));
  const msg = words(5 + Math.floor(random() * 4)).join(' ');
  const frames = Array.from({ length: 3 + Math.floor(random() * 3) }, () => ({
    fn: camel(words(2)),
    file: words(2).join('_'),
    line: 20 + Math.floor(random() * 900),
    call: words(3).join('_'),
  }));
  const [pkg = 'x', resource = 'x', expected = 'x', received = 'x'] = words(4);
  const test = camel(words(3));
  const first = frames[0]?.file ?? 'x';
  // Noise normalisation cannot remove: a count that varies, a log line some runs add.
  const count = (r: () => number): number => 1 + Math.floor(r() * 3);
  const extra = (r: () => number): string =>
    r() < 0.25 ? `\n${pick(['retrying after transient error', 'context deadline exceeded', 'the object has been modified; please apply your changes'], r)}` : '';
  switch (index % 7) {
    case 0:
      return (n, r) =>
        `--- FAIL: Test${test} (${n.duration})\n` +
        frames.map((f) => `    ${f.file}_test.go:${n.line(f.line)}: ${f.fn}: ${msg}`).join('\n') +
        `\n    expected ${count(r)} ${pkg} objects, got 0${extra(r)}`;
    case 1:
      return (n, r) =>
        `${n.time}: INFO: Waiting up to ${n.duration} for pod "${pkg}-${n.pod}" in namespace "${n.ns}" to be "Running"\n` +
        `[FAILED] ${msg}: timed out waiting for the condition on ${pkg} ${n.uuid}\n` +
        frames.map((f) => `k8s.io/kubernetes/test/e2e/${pkg}.${f.fn}()\n\ttest/e2e/${pkg}/${f.file}.go:${n.line(f.line)} +0x${hex(3, r)}`).join('\n') +
        extra(r);
    case 2:
      return (n, r) =>
        `I${n.time.slice(5, 7)}${n.time.slice(8, 10)} ${n.time.slice(11, 23)}000   ${1000 + Math.floor(r() * 9000)} ${first}.go:${n.line(88)}] ${msg}\n` +
        `Get "https://${n.ip}:6443/apis/${pkg}.k8s.io/v1/${resource}s?watch=true": dial tcp ${n.ip}:6443: connect: connection refused\n` +
        frames.map((f) => `  ${pkg}.(*${f.fn}).Run(${n.pointer})`).join('\n') +
        extra(r);
    case 3:
      return (n, r) =>
        `panic: ${msg} [recovered]\n\tpanic: runtime error: invalid memory address or nil pointer dereference\n` +
        `[signal SIGSEGV: segmentation violation code=0x1 addr=0x${hex(2, r)} pc=0x${hex(7, r)}]\n\ngoroutine ${Math.floor(r() * 900)} [running]:\n` +
        frames.map((f) => `${pkg}.(*${f.fn}).handle(${n.pointer}, {${n.pointer}, 0x${hex(2, r)}})\n\t/go/src/${pkg}/${f.file}.go:${n.line(f.line)} +0x${hex(3, r)}`).join('\n');
    case 4:
      return (n, r) =>
        `Traceback (most recent call last):\n` +
        frames.map((f) => `  File "/workspace/${pkg}/${f.file}.py", line ${n.line(f.line)}, in ${f.fn.toLowerCase()}\n    ${f.call}()`).join('\n') +
        `\n${camel([pkg])}Error: ${msg} (request ${n.uuid}, cache ${n.tmp}) after ${n.duration}${extra(r)}`;
    case 5:
      return (n, r) =>
        `● ${camel([pkg])} › ${msg}\n\n    expect(received).toEqual(expected) // deep equality\n\n` +
        `    Expected: "${expected}-${resource}"\n    Received: "${received}-${k8sSuffix(5, r)}"\n\n` +
        frames.map((f) => `      at ${f.fn} (src/${pkg}/${f.file}.test.ts:${n.line(f.line)}:${3 + Math.floor(r() * 30)})`).join('\n') +
        `\n\n  ✕ ${msg} (${Math.floor(r() * 900)} ms)`;
    default:
      return (n, r) =>
        `+ make ${pkg}\n${n.time} building ${pkg} in ${n.tmp}\n` +
        frames.map((f) => `${pkg}/${f.file}.go:${n.line(f.line)}:${2 + Math.floor(r() * 40)}: undefined: ${f.fn}`).join('\n') +
        `\nmake: *** [Makefile:${n.line(120)}: ${msg.replaceAll(' ', '-')}] Error ${count(r)}`;
  }
}

interface Corpus {
  failures: FailureRecord[];
  cause: Map<FailureRecord, number>;
}

/** `count` failures from `causes` root causes, Zipf-weighted, over the 14 days before NOW. */
export function generateFailures(count: number, causes: number, seed: number): Corpus {
  const random = seededRandom(seed);
  const renders = Array.from({ length: causes }, (_, i) => makeCause(i, random));
  const jobs = Array.from({ length: 60 }, (_, i) => `ci-kubernetes-${pick(WORDS, random)}-${pick(['gce', 'kind', 'eks', 'gke'], random)}-${i}`);
  const testsOf = Array.from({ length: causes }, () =>
    Array.from({ length: 1 + Math.floor(random() * 5) }, () => `[sig-${pick(['apps', 'node', 'network', 'storage', 'api-machinery'], random)}] ${pick(WORDS, random)} should ${pick(WORDS, random)} ${pick(WORDS, random)}`),
  );
  const jobsOf = Array.from({ length: causes }, () => Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(jobs, random)));
  const weights = Array.from({ length: causes }, (_, i) => 1 / (i + 1) ** 0.8);
  const total = weights.reduce((s, w) => s + w, 0);
  const cumulative: number[] = [];
  let acc = 0;
  for (const w of weights) cumulative.push((acc += w / total));
  const failures: FailureRecord[] = [];
  const cause = new Map<FailureRecord, number>();
  for (let i = 0; i < count; i++) {
    const u = random();
    let c = cumulative.findIndex((x) => x >= u);
    if (c < 0) c = causes - 1;
    const started = NOW - Math.floor(random() * 14 * DAY);
    const job = pick(jobsOf[c] ?? [], random);
    const build = String(1_700_000_000 + i);
    const render = renders[c];
    if (render === undefined) continue;
    const f: FailureRecord = {
      job,
      build,
      test: pick(testsOf[c] ?? [], random),
      text: render(noise(random, started), random),
      started,
      url: `https://prow.example.com/view/gs/bench/logs/${job}/${build}`,
    };
    failures.push(f);
    cause.set(f, c);
  }
  return { failures, cause };
}

function purityOf(clusters: readonly { failures: readonly FailureRecord[] }[], cause: Map<FailureRecord, number>): { purity: number; completeness: number } {
  let majoritySum = 0;
  let n = 0;
  const biggestOfCause = new Map<number, number>();
  for (const c of clusters) {
    const counts = new Map<number, number>();
    for (const f of c.failures) {
      const rc = cause.get(f) ?? -1;
      counts.set(rc, (counts.get(rc) ?? 0) + 1);
    }
    majoritySum += Math.max(...counts.values());
    n += c.failures.length;
    for (const [rc, k] of counts) biggestOfCause.set(rc, Math.max(biggestOfCause.get(rc) ?? 0, k));
  }
  let complete = 0;
  for (const k of biggestOfCause.values()) complete += k;
  return { purity: majoritySum / n, completeness: complete / n };
}

/** Seconds for full Levenshtein over every pair of `texts`, from `sample` random pairs. */
function naivePairsSeconds(texts: readonly string[], sample: number, random: () => number): number {
  const t0 = performance.now();
  for (let i = 0; i < sample; i++) {
    const a = pick(texts, random);
    const b = pick(texts, random);
    boundedEditDistance(a, b, Math.max(a.length, b.length) + 1);
  }
  const perPair = (performance.now() - t0) / 1000 / sample;
  return (perPair * texts.length * (texts.length - 1)) / 2;
}

/** Generates the corpus, clusters it once in full, once by adding the newest day, and prices the naive way. */
export function benchCluster(opts: ClusterBenchOptions = {}): ClusterBenchResult {
  const messages = opts.messages ?? 50_000;
  const rootCauses = opts.rootCauses ?? 300;
  const { failures, cause } = generateFailures(messages, rootCauses, opts.seed ?? 1);

  const t0 = performance.now();
  const clustering = FailureClustering.build(failures);
  const seconds = (performance.now() - t0) / 1000;
  const clusters = clustering.clusters();
  const { purity, completeness } = purityOf(clusters, cause);

  const t2 = performance.now();
  summarizeClusters(clusters, { now: NOW });
  const summarySeconds = (performance.now() - t2) / 1000;
  const t3 = performance.now();
  for (const f of failures) normalizeFailureText(f.text);
  const normalizeSeconds = (performance.now() - t3) / 1000;

  const older = failures.filter((f) => f.started < NOW - DAY);
  const newest = failures.filter((f) => f.started >= NOW - DAY);
  const base = FailureClustering.build(older, { previousKeys: clustering.keys() });
  const t1 = performance.now();
  base.add(newest);
  const addDaySeconds = (performance.now() - t1) / 1000;

  const random = seededRandom(99);
  const sampleTexts = Array.from({ length: 2000 }, () => normalizeFailureText(pick(failures, random).text));
  const naivePerPair = naivePairsSeconds(sampleTexts, opts.naiveSample ?? 300, random) / ((sampleTexts.length * (sampleTexts.length - 1)) / 2);
  const naiveSeconds = (naivePerPair * messages * (messages - 1)) / 2;

  return { messages, rootCauses, clusters: clusters.length, seconds, normalizeSeconds, summarySeconds, addDaySeconds, addDayMessages: newest.length, naiveSeconds, purity, completeness };
}
