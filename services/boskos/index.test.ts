import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readEnv } from '../../lib/env.ts';
import { isProwError } from '../../lib/errors.ts';
import { createGitHubClient } from '../../lib/github/github-client.ts';
import { memoryLogger } from '../../test/helpers/memory-logger.ts';
import { dropPrefix, uniqueRedis } from '../../test/helpers/redis.ts';
import type { ServiceContext } from '../service.ts';
import { readBoskosEnv } from './boskos-env.ts';
import { BoskosClient } from './client.ts';
import { boskos, startBoskos, type RunningBoskos } from './index.ts';
import { until } from '../../test/helpers/until.ts';

const redis = uniqueRedis('boskos-service');
let dir: string;
let running: RunningBoskos | undefined;
const clients: BoskosClient[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'boskos-service-'));
});
afterEach(async () => {
  vi.unstubAllEnvs();
  for (const c of clients.splice(0)) c.close();
  await running?.close();
  running = undefined;
  await rm(dir, { recursive: true, force: true });
  await dropPrefix(redis);
});

function client(owner: string): BoskosClient {
  const c = new BoskosClient({ url: running?.url ?? '', owner });
  clients.push(c);
  return c;
}

describe('the boskos service', () => {
  it('starts from the environment: resources file, janitor, reaper; serves /healthz and /metrics; follows file edits', async () => {
    const file = join(dir, 'resources.yaml');
    await writeFile(file, 'resources:\n- type: gce-project\n  state: dirty\n  names: [proj-a]\n');
    await writeFile(join(dir, 'clean.sh'), `echo "$1" >> ${join(dir, 'cleaned')}\n`);
    const logs = memoryLogger('info');
    const env = readBoskosEnv({ BOSKOS_PORT: '0', BOSKOS_CONFIG: file, BOSKOS_JANITOR_COMMAND: `sh ${join(dir, 'clean.sh')}`, BOSKOS_JANITOR_IDLE: '50ms' });
    running = await startBoskos({ env, redis, logger: logs.logger, host: '127.0.0.1' });
    expect(await (await fetch(`${running.url}/healthz`)).json()).toEqual({ status: 'ok' });

    // The janitor cleans the dirty project, and a job leases it.
    const job = client('ci-job');
    await until('the janitor freed proj-a', async () => (await job.metric('gce-project')).current.free === 1);
    expect(await readFile(join(dir, 'cleaned'), 'utf8')).toBe('--project=proj-a\n');
    expect((await job.acquire('gce-project', 'free', 'busy')).name).toBe('proj-a');

    // An edit adds a resource; a broken edit is refused and the last good file stays.
    await writeFile(file, 'resources:\n- type: gce-project\n  names: [proj-a, proj-b]\n');
    await until('proj-b exists', async () => (await job.metric('gce-project')).current.free === 1);
    await writeFile(file, 'resources:\n- type: gce-project\n  names: [Not_A_Name]\n');
    await until('the refusal is logged', () => Promise.resolve(logs.lines.some((l) => l.msg === 'boskos: resources file change refused; keeping the last good one')));
    expect(running.syncer.config?.static[0]?.names).toEqual(['proj-a', 'proj-b']);

    const metrics = await (await fetch(`${running.url}/metrics`)).text();
    expect(metrics).toContain('boskos_resources{type="gce-project",state="busy"} 1');
    expect(metrics).toContain('prow_boskos_janitor_cleanups_total{type="gce-project",result="free"} 1');
  });

  it('refuses to start on a bad resources file, naming the line', async () => {
    const file = join(dir, 'resources.yaml');
    await writeFile(file, 'resources:\n- type: gce-project\n  names: [ok-1]\n  max-count: 3\n');
    const err: unknown = await startBoskos({ env: readBoskosEnv({ BOSKOS_PORT: '0', BOSKOS_CONFIG: file }), redis, logger: memoryLogger().logger }).catch((e: unknown) => e);
    expect(isProwError(err, 'PROW_ERR_CONFIG_INVALID')).toBe(true);
    expect((err as Error).message).toContain(`${file}:3:10 resources[0].names: names and min-count/max-count/lifespan are exclusive`);
  });

  it('runs as `prow start boskos` does, through the Service interface, and answers Boskos clients', async () => {
    const file = join(dir, 'resources.yaml');
    await writeFile(file, 'resources:\n- type: aws-account\n  names: [acct-1]\n');
    vi.stubEnv('BOSKOS_PORT', '0');
    vi.stubEnv('BOSKOS_CONFIG', file);
    const logger = memoryLogger('warn').logger;
    const ctx: ServiceContext = {
      env: readEnv({}),
      logger,
      redis,
      github: { client: createGitHubClient({ credentials: { kind: 'none' }, baseUrl: 'http://127.0.0.1:9', logger }), botLogin: 'bot', emulated: true, webhookSecret: 's' },
      configPaths: { configPath: join(dir, 'config.yaml') },
    };
    const service = await boskos.start(ctx);
    running = service as RunningBoskos;
    expect(boskos.name).toBe('boskos');
    expect((await client('job').acquire('aws-account', 'free', 'busy')).name).toBe('acct-1');
  });

  it('checks its environment and says what a bad value should be', () => {
    const code = (env: NodeJS.ProcessEnv): unknown => {
      try {
        readBoskosEnv(env);
      } catch (err) {
        return isProwError(err, 'PROW_ERR_ENV_INVALID') ? (err as Error).message : err;
      }
      return 'accepted';
    };
    expect(code({ BOSKOS_REAPER_EXPIRE: 'half an hour' })).toContain('BOSKOS_REAPER_EXPIRE is invalid: "half an hour" is not a positive Go duration');
    expect(code({ BOSKOS_JANITOR_POOL_SIZE: '0', BOSKOS_JANITOR_COMMAND: 'x' })).toContain('at least 1');
    expect(code({ BOSKOS_JANITOR_COMMAND: '["a", 1]' })).toContain('non-empty array of strings');
    expect(code({ BOSKOS_REAPER: 'maybe' })).toContain('is not true or false');
    const env = readBoskosEnv({ BOSKOS_REAPER: 'false', BOSKOS_JANITOR_COMMAND: '["/bin/gcp_janitor.py", "--hours=0"]' });
    expect(env.reaper).toBeUndefined();
    expect(env.janitor).toEqual({ command: ['/bin/gcp_janitor.py', '--hours=0'], poolSize: 4, heartbeatMs: 300_000, idleMs: 60_000 });
    expect(readBoskosEnv({}).reaper).toEqual({ expireMs: 1_800_000, periodMs: 60_000, states: ['busy', 'cleaning', 'leased'], target: 'dirty' });
  });
});
