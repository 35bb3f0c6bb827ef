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
  await store.put('logs/periodic-nightly/7/finished.json', JSON.stringify({ timestamp: 1_700_000_000, passed: false, result: 'FAILURE' }));
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
});

describe('readTestgridSettings', () => {
  it('defaults to port 8891 with Tide and hook read in-process', () => {
    expect(readTestgridSettings({})).toEqual({ port: 8891, tideUrl: undefined, hookUrl: undefined });
  });

  it('reads the Tide and hook URLs without a trailing slash', () => {
    expect(readTestgridSettings({ TESTGRID_PORT: '9000', TESTGRID_TIDE_URL: 'http://tide/', TESTGRID_HOOK_URL: 'http://hook:8888' })).toEqual({ port: 9000, tideUrl: 'http://tide', hookUrl: 'http://hook:8888' });
  });

  it('names the variable that is wrong', () => {
    for (const env of [{ TESTGRID_PORT: 'eighty' }, { TESTGRID_TIDE_URL: 'tide:8888' }, { TESTGRID_HOOK_URL: 'ftp://hook' }]) {
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
