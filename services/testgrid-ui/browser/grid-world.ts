import { seededRandom } from '../../../lib/seeded-random.ts';
import type { ObjectStore } from '../../../lib/storage/index.ts';
import { dropPrefix, uniqueRedis } from '../../../test/helpers/redis.ts';
import { gridApi, type GridSource } from '../api/grid.ts';
import type { Configuration } from '../dashboards/config-types.ts';
import { parseDashboardsConfig } from '../dashboards/dashboards-config.ts';
import { RedisGridStore } from '../grid/redis-grid-store.ts';
import { createStoreResolver } from '../grid/store-resolver.ts';
import { updateAllTestGroups } from '../grid/updater.ts';
import { gridNav, gridPages } from '../pages/grid-pages.ts';
import { defaultNav, pageLayout } from '../pages/layout.ts';
import { goJUnit, writeBuild } from '../testing/write-builds.ts';
import { startUiWorld, xssName, type UiWorld } from './ui-world.ts';

/** The JUnit suite every world test is in: row names are `<suite>.<test>`. */
export const suite = 'github.com/acme/widgets/pkg';
/** The unit job's builds: ids 1000 up to 1000 + unitBuilds - 1, the newest still running. */
export const unitBuilds = 150;
/** The unit test that fails in the newest builds (an alert). */
export const brokenTest = 'TestGears3';
/** How many of the newest unit builds it fails in (the newest, still running, among them). */
export const brokenRuns = 6;
export const brokenMessage = 'gears_test.go:42: torque 17 exceeds the limit of 12';
/** The unit test that is FLAKY (a retry passes) now and then, more often in the last 7 days. */
export const flakyTest = 'TestFlakyNetwork';

const areas = ['Spin', 'Gears', 'Queue', 'Config', 'Render', 'Storage', 'Auth', 'Api'];
const unitTests = [...areas.flatMap((a) => [1, 2, 3, 4, 5].map((n) => `Test${a}${String(n)}`)), flakyTest, xssName];
const e2eTests = ['TestInstall', 'TestUpgrade', 'TestRollback', 'TestScale', 'TestDelete', 'TestMetrics'];

const dashboardsYaml = `test_groups:
- name: ci-widgets-unit
  gcs_prefix: prow-artifacts/logs/ci-widgets-unit
- name: ci-widgets-e2e
  gcs_prefix: prow-artifacts/logs/ci-widgets-e2e
- name: ci-gadgets-lint
  gcs_prefix: prow-artifacts/logs/ci-gadgets-lint
dashboards:
- name: widgets
  description: Widgets on main
  dashboard_tab:
  - name: unit
    test_group_name: ci-widgets-unit
    description: Unit tests on main, every 100 minutes
  - name: spin
    test_group_name: ci-widgets-unit
    base_options: include-filter-by-regex=Spin|Flaky
  - name: gears
    test_group_name: ci-widgets-unit
    base_options: include-filter-by-regex=Gears
  - name: e2e
    test_group_name: ci-widgets-e2e
- name: gadgets
  dashboard_tab:
  - name: lint
    test_group_name: ci-gadgets-lint
- name: '${xssName}'
  description: '${xssName}'
  dashboard_tab:
  - name: '${xssName}'
    test_group_name: ci-widgets-e2e
    description: '${xssName}'
dashboard_groups:
- name: acme
  description: The acme org's jobs
  dashboard_names: [widgets, gadgets]
`;

/** The newest unit build's start, epoch seconds (2026-01-15 12:00 UTC). */
const newest = 1_768_478_400;
const unitStep = 100 * 60;

/** The UI world with TestGrid's dashboards over real builds: written in Prow's layout, read by the updater into Redis. */
export interface GridWorld {
  ui: UiWorld;
  source: GridSource;
  config: Configuration;
  /** The world's now, epoch ms: an hour after the newest build started. */
  now: number;
  /** The unit build id of column `i` (0 = newest). */
  unitBuild(i: number): string;
  close(): Promise<void>;
}

async function writeUnitBuilds(store: ObjectStore): Promise<void> {
  const random = seededRandom(42);
  for (let i = 0; i < unitBuilds; i++) {
    const age = unitBuilds - 1 - i; // columns from the newest: 0 is the newest
    const started = newest - age * unitStep;
    const failures: Record<string, string> = {};
    for (const t of unitTests) if (random() < 0.004) failures[t] = `${t.toLowerCase()}_test.go:${String(10 + (i % 80))}: expected ${String(i)} widgets, got ${String(i - 1)}`;
    if (age < brokenRuns) failures[brokenTest] = brokenMessage;
    if (age === 60) failures[xssName] = `rendered ${xssName} as markup`;
    const recent = age < (7 * 86_400) / unitStep;
    const flaky = age === 3 || random() < (recent ? 0.25 : 0.08);
    if (flaky) failures[flakyTest] = 'network_test.go:7: dial tcp 10.0.0.7:443: i/o timeout';
    const build = { id: String(1000 + i), started, tests: unitTests, failures, suite, ...(age === 0 ? {} : { ranFor: 1500 }) };
    const dir = await writeBuild(store, 'ci-widgets-unit', build);
    // The retry of the flaky test passes: two results in one build make the cell FLAKY.
    if (flaky) await store.put(`${dir}/artifacts/junit_retry.xml`, goJUnit({ ...build, tests: [flakyTest], failures: {} }));
  }
}

async function writeE2eBuilds(store: ObjectStore): Promise<void> {
  for (let i = 0; i < 12; i++) {
    await writeBuild(store, 'ci-widgets-e2e', { id: String(500 + i), started: newest - (11 - i) * 7200, ranFor: 3000, tests: e2eTests, suite: 'e2e' });
  }
}

/** Starts the UI world, writes the builds, runs the updater once and registers the grid API and pages on the app (not listening). */
export async function startGridWorld(): Promise<GridWorld> {
  const ui = await startUiWorld();
  const parsed = parseDashboardsConfig('dashboards.yaml', dashboardsYaml);
  const config = parsed.config;
  if (config === undefined) throw new Error(`the world's dashboards do not parse: ${JSON.stringify(parsed.issues)}`);
  await writeUnitBuilds(ui.store);
  await writeE2eBuilds(ui.store);
  const redis = uniqueRedis('testgrid-grid');
  const grids = new RedisGridStore(redis);
  const now = (newest + 3600) * 1000;
  const stores = createStoreResolver({ buckets: { 'prow-artifacts': ui.store } });
  const { errors } = await updateAllTestGroups(config.test_groups, { stores, grids, now: () => now });
  if (errors.size > 0) throw new Error(`the updater failed: ${[...errors].map(([g, e]) => `${g}: ${e.message}`).join('; ')}`);
  const source: GridSource = { config: () => config, grids, now: () => now };
  void ui.app.register(gridApi(source));
  void ui.app.register(gridPages(source, pageLayout([...defaultNav, gridNav])));
  return {
    ui,
    source,
    config,
    now,
    unitBuild: (i) => String(1000 + unitBuilds - 1 - i),
    async close() {
      await ui.close();
      await grids.close();
      await stores.close();
      await dropPrefix(redis);
    },
  };
}
