import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { readEnv } from '../../lib/env.ts';
import { isProwError } from '../../lib/errors.ts';
import { createGitHubClient } from '../../lib/github/github-client.ts';
import { DirStore } from '../../lib/storage/index.ts';
import { plugins } from '../../plugins/index.ts';
import { memoryLogger } from '../../test/helpers/memory-logger.ts';
import { dropPrefix, uniqueRedis } from '../../test/helpers/redis.ts';
import type { ServiceContext } from '../service.ts';
import { RedisGridStore } from './grid/redis-grid-store.ts';
import { testgridUi } from './index.ts';
import { readTestgridSettings } from './testgrid-settings.ts';

const redis = uniqueRedis('testgrid-ui-service');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'testgrid-ui-service-'));
  await writeFile(join(dir, 'config.yaml'), 'prowjob_namespace: prow\npod_namespace: test-pods\n');
  await writeFile(join(dir, 'plugins.yaml'), 'plugins:\n  acme:\n    plugins: [lgtm, hold]\n');
  const store = new DirStore(join(dir, 'storage'));
  await store.put('logs/periodic-nightly/7/build-log.txt', 'ERROR: the nightly broke\n');
  // Two hours ago: inside days_of_results, and settled (the updater reads builds of the last 20 minutes again).
  const started = Math.floor(Date.now() / 1000) - 7200;
  await store.put('logs/periodic-nightly/7/started.json', JSON.stringify({ timestamp: started }));
  await store.put('logs/periodic-nightly/7/finished.json', JSON.stringify({ timestamp: started + 600, passed: false, result: 'FAILURE' }));
  await store.put(
    'logs/periodic-nightly/7/artifacts/junit_01.xml',
    '<testsuite name="e2e"><testcase name="boots" time="2.5"/><testcase name="serves"><failure message="timed out">context deadline exceeded</failure></testcase></testsuite>',
  );
  await writeFile(join(dir, 'testgrid.yaml'), 'test_groups:\n- name: periodic-nightly\n  gcs_prefix: prow-artifacts/logs/periodic-nightly\ndashboards:\n- name: nightly\n  dashboard_tab:\n  - name: main\n    test_group_name: periodic-nightly\n');
  await store.close();
});
afterAll(async () => {
  await dropPrefix(redis);
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.unstubAllEnvs();
});

function context(env: Record<string, string>): ServiceContext {
  const logs = memoryLogger('warn');
  return {
    env: readEnv(env),
    logger: logs.logger,
    redis,
    github: { client: createGitHubClient({ credentials: { kind: 'token', token: 'unused' }, baseUrl: 'http://127.0.0.1:1', logger: logs.logger }), botLogin: 'prow-bot', emulated: true, webhookSecret: 'x' },
    configPaths: { configPath: join(dir, 'config.yaml'), pluginConfigPath: join(dir, 'plugins.yaml'), implementedPlugins: plugins.map((p) => p.name) },
  };
}

describe('the testgrid-ui service', () => {
  it("starts in local mode over local storage, Tide's pool store and the plugin table, serves its pages and stops", async () => {
    vi.stubEnv('TESTGRID_PORT', '0');
    const running = await testgridUi.start(context({ STORAGE_LOCATION: join(dir, 'storage') }));
    try {
      const url = running.url ?? '';
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      // Local mode keeps every bucket in STORAGE_LOCATION, so the bucket a job's config names reads it.
      const build = await fetch(`${url}/view/gs/prow-artifacts/logs/periodic-nightly/7`);
      expect(build.status).toBe(200);
      expect(await build.text()).toContain('<span class="line failure" id="l1">');
      expect(await (await fetch(`${url}/api/tide`)).json()).toEqual([]);
      const help = (await (await fetch(`${url}/api/command-help?repo=acme/widgets`)).json()) as { commands: { plugin: string }[] };
      expect(new Set(help.commands.map((c) => c.plugin))).toEqual(new Set(['lgtm', 'hold']));
      expect((await fetch(`${url}/api/jobs`)).status).toBe(200);
    } finally {
      await running.close();
    }
  });

  it('reads the dashboards file, updates the grid from storage on its interval, feeds triage, and shows JUnit on the build page', async () => {
    vi.stubEnv('TESTGRID_PORT', '0');
    vi.stubEnv('TESTGRID_CONFIG', join(dir, 'testgrid.yaml'));
    vi.stubEnv('TESTGRID_UPDATE_INTERVAL', '200ms');
    const running = await testgridUi.start(context({ STORAGE_LOCATION: join(dir, 'storage') }));
    const grids = new RedisGridStore(redis);
    try {
      const url = running.url ?? '';
      let stored = await grids.read('periodic-nightly');
      for (let i = 0; stored === undefined && i < 100; i++) {
        await new Promise((r) => setTimeout(r, 50));
        stored = await grids.read('periodic-nightly');
      }
      expect(stored?.grid.columns.map((c) => c.build)).toEqual(['7']);
      expect(stored?.grid.rows.map((r) => r.name)).toEqual(['Overall', 'e2e.boots', 'e2e.serves']);
      const view = (await (await fetch(`${url}/api/view/gs/prow-artifacts/logs/periodic-nightly/7`)).json()) as { junit: { tests: { name: string; status: string; message?: string }[] } };
      expect(view.junit.tests).toEqual([
        { name: 'e2e.boots', status: 'passed', duration: 2.5 },
        { name: 'e2e.serves', status: 'failed', message: 'timed out\ncontext deadline exceeded' },
      ]);
      expect(await (await fetch(`${url}/metrics`)).text()).toMatch(/^testgrid_builds_read_total\{group="periodic-nightly"\} 1$/m);
      // The grid is served on the dashboard's tab, with its failing test.
      const tab = await fetch(`${url}/testgrid/nightly/main`);
      expect(tab.status).toBe(200);
      expect(await tab.text()).toContain('e2e.serves');
      const v1 = (await (await fetch(`${url}/api/v1/dashboards/nightly/tabs`)).json()) as { dashboard_tabs: { name: string }[] };
      expect(v1.dashboard_tabs.map((t) => t.name)).toEqual(['main']);
      // The build's failure reached triage through the updater.
      const triage = (await (await fetch(`${url}/api/triage?job=nightly`)).json()) as { clusters: { text: string; tests: { name: string }[]; total: number }[] };
      expect(triage.clusters.map((c) => [c.tests.map((t) => t.name), c.total, c.text])).toEqual([[['e2e.serves'], 1, 'timed out\ncontext deadline exceeded']]);
      expect(await (await fetch(`${url}/triage`)).text()).toContain('href="/triage" class="active"');
    } finally {
      await grids.close();
      await running.close();
    }
  });
});

describe('readTestgridSettings', () => {
  it('defaults to port 8891 with Tide and hook read in-process', () => {
    expect(readTestgridSettings({})).toEqual({ port: 8891, tideUrl: undefined, hookUrl: undefined, configFile: undefined, updateIntervalMs: 30_000, parserThreads: 1 });
  });

  it('reads the Tide and hook URLs without a trailing slash', () => {
    expect(readTestgridSettings({ TESTGRID_PORT: '9000', TESTGRID_TIDE_URL: 'http://tide/', TESTGRID_HOOK_URL: 'http://hook:8888', TESTGRID_CONFIG: '/etc/testgrid/config.yaml', TESTGRID_UPDATE_INTERVAL: '1m', TESTGRID_PARSER_THREADS: '0' })).toEqual({
      port: 9000,
      tideUrl: 'http://tide',
      hookUrl: 'http://hook:8888',
      configFile: '/etc/testgrid/config.yaml',
      updateIntervalMs: 60_000,
      parserThreads: 0,
    });
  });

  it('names the variable that is wrong', () => {
    for (const env of [{ TESTGRID_PORT: 'eighty' }, { TESTGRID_PORT: '70000' }, { TESTGRID_TIDE_URL: 'tide:8888' }, { TESTGRID_HOOK_URL: 'ftp://hook' }, { TESTGRID_UPDATE_INTERVAL: '30' }, { TESTGRID_PARSER_THREADS: '-1' }]) {
      let caught: unknown;
      try {
        readTestgridSettings(env);
      } catch (err) {
        caught = err;
      }
      expect(isProwError(caught, 'PROW_ERR_ENV_INVALID')).toBe(true);
      expect((caught as Error).message).toContain(Object.keys(env)[0]);
    }
  });
});
