import { createHash } from 'node:crypto';
import type { ObjectStore } from '../../../lib/storage/index.ts';
import { dropPrefix, uniqueRedis } from '../../../test/helpers/redis.ts';
import type { RedisSettings } from '../../../lib/queue/redis.ts';
import { testGroupDefaults, type TestGroup } from '../dashboards/config-types.ts';
import { RedisGridStore } from '../grid/redis-grid-store.ts';
import { createStoreResolver } from '../grid/store-resolver.ts';
import { updateAllTestGroups } from '../grid/updater.ts';
import { defaultNav, pageLayout } from '../pages/layout.ts';
import { triageApi } from '../api/triage.ts';
import { triageNav, triagePage } from '../pages/triage-page.ts';
import { writeBuild } from '../testing/write-builds.ts';
import { RedisFailureStore } from '../triage/failure-store.ts';
import { TriageFeed } from '../triage/triage-feed.ts';
import { startUiWorld, xssName, type UiWorld } from './ui-world.ts';

const DAY = 86_400_000;

/**
 * The moment the triage world is seen at (noon UTC today: Redis expires the day keys by its own clock),
 * every build started in the 14 days before it.
 */
export const triageNow = Math.floor(Date.now() / DAY) * DAY + DAY / 2;

const suite = 'Kubernetes e2e suite';

/** The e2e tests the API server's timeouts hit, by SIG. */
export const e2eTests = [
  '[sig-network] DNS should provide DNS for services',
  '[sig-network] Services should serve a basic endpoint from pods',
  '[sig-apps] Deployment should run the lifecycle of a Deployment',
  '[sig-node] Pods should be submitted and removed',
  '[sig-storage] CSI mock volume should attach and detach',
  '[sig-cli] Kubectl client should create and stop a replication controller',
];

/** The kind and GCE e2e jobs; a unit job of another repo; and one named as markup. */
export const triageJobs = ['ci-kubernetes-e2e-gce', 'pull-kubernetes-e2e-kind', 'ci-kubernetes-e2e-kind-ipv6', 'pull-kubernetes-unit'];

/** The API server stopped answering: each build's own pod, namespace and address. */
export function apiTimeout(n: number): string {
  const ip = `10.${String(64 + (n % 7))}.${String(n % 250)}.${String(2 + (n % 200))}`;
  // The first character a letter: a UUID after `-` that starts with eight digits is split by triage/normalize.ts' number rule.
  const h = `a${createHash('md5').update(String(n)).digest('hex').slice(1)}`;
  const uid = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
  return (
    `[FAILED] Get "https://${ip}:6443/api/v1/namespaces/dns-${String(1000 + ((n * 37) % 9000))}/pods/dns-test-${uid}": ` +
    `dial tcp ${ip}:6443: i/o timeout\n` +
    `In [It] at: test/e2e/framework/pod/wait.go:${String(412 + (n % 9))} @ 01/${String(1 + (n % 14)).padStart(2, '0')}/26 0${String(n % 10)}:14:0${String(n % 10)}.${String(100 + (n % 800))}`
  );
}

/** A volume that never binds, in GCE's storage tests. */
export function volumePending(n: number): string {
  return (
    `[FAILED] timed out waiting for the condition on persistentvolumeclaims/pvc-${(0xab12 + n).toString(16)}x: ` +
    `expected phase Bound, got Pending after 5m0s\n` +
    `In [It] at: test/e2e/storage/testsuites/provisioning.go:${String(1203 + (n % 4))}`
  );
}

/** A scheduler unit test that lost a pod now and then. */
export function queueFlake(n: number): string {
  return `queue_test.go:${String(120 + (n % 3))}: expected 3 pods in activeQ, got ${String(n % 3)}\n    --- FAIL: TestPriorityQueue_Update (0.0${String(n % 9)}s)`;
}

/** Writes 14 days of builds for the triage world's jobs and answers their test groups. */
export async function writeTriageBuilds(store: ObjectStore): Promise<TestGroup[]> {
  const start = Math.floor(triageNow / DAY) * DAY - 13 * DAY;
  let n = 0;
  for (let day = 0; day < 14; day++) {
    for (const [j, job] of triageJobs.entries()) {
      const e2e = job !== 'pull-kubernetes-unit';
      // Two builds a day in the last two days, when the API server broke; one a day before.
      for (let run = 0; run < (day >= 12 ? 2 : 1); run++) {
        n++;
        const id = String(1000 + day * 10 + run);
        const started = Math.floor((start + day * DAY + (run * 10 + j) * 3_600_000) / 1000);
        // The API server broke two days ago and hits every e2e job since; before, now and then.
        const apiDown = e2e && (day >= 12 || (day + j) % 4 === 0);
        const failures: Record<string, string> = {};
        const tests = e2e ? e2eTests : ['TestPriorityQueue_Update', 'TestSchedulerCache', xssName];
        if (apiDown) for (const [t, test] of e2eTests.entries()) if ((t + n) % 3 !== 0) failures[test] = apiTimeout(n * 10 + t);
        if (job === 'ci-kubernetes-e2e-gce' && day % 3 === 0 && run === 0) failures['[sig-storage] CSI mock volume should attach and detach'] = volumePending(n);
        if (!e2e && (day + run) % 3 === 0) failures.TestPriorityQueue_Update = queueFlake(n);
        if (!e2e && day % 5 === 1 && run === 0) failures[xssName] = `${xssName} expected <b>bold</b>, got "<script>alert(1)</script>"`;
        await writeBuild(store, job, { id, started, ranFor: 1800, tests, failures, suite: e2e ? suite : 'k8s.io/kubernetes/pkg/scheduler' });
      }
    }
  }
  return triageJobs.map((job) => ({ ...testGroupDefaults, name: job, gcs_prefix: `prow-artifacts/logs/${job}` }));
}

/** The dashboard world with triage: the builds read by the real updater into a feed over Redis, and its pages. */
export interface TriageWorld {
  ui: UiWorld;
  feed: TriageFeed;
  groups: TestGroup[];
  redis: RedisSettings;
  close(): Promise<void>;
}

/** Starts the UI world, writes the builds, runs one update with the feed as onColumns, and registers the triage routes. */
export async function startTriageWorld(): Promise<TriageWorld> {
  const ui = await startUiWorld();
  const redis = uniqueRedis('testgrid-triage');
  const groups = await writeTriageBuilds(ui.store);
  const failures = new RedisFailureStore(redis, { now: () => triageNow });
  const feed = await TriageFeed.open({ store: failures, now: () => triageNow });
  const grids = new RedisGridStore(redis);
  const stores = createStoreResolver({ buckets: { 'prow-artifacts': ui.store } });
  const { errors } = await updateAllTestGroups(groups, { stores, grids, now: () => triageNow, onColumns: (g, c) => feed.ingest(g, c) });
  if (errors.size > 0) throw new Error(`the triage world's update failed: ${[...errors.values()].map((e) => e.message).join('; ')}`);
  const layout = pageLayout([...defaultNav, triageNav]);
  await ui.app.register(triageApi(feed));
  await ui.app.register(triagePage(feed, layout));
  return {
    ui,
    feed,
    groups,
    redis,
    async close() {
      await grids.close();
      await failures.close();
      await dropPrefix(redis);
      await ui.close();
    },
  };
}
