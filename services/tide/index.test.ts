import { createHmac } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readEnv } from '../../lib/env.ts';
import type { RunningService, ServiceContext } from '../service.ts';
import { tide } from './index.ts';
import type { PoolJson } from './pools-json.ts';
import type { HistoryRecord } from './pool-store.ts';
import { startTideWorld, type TideWorld } from './testing/tide-world.ts';
import { until } from '../../test/helpers/until.ts';

const secret = 'tide-hook-secret';

const configYaml = (repo: string): string => `
presubmits:
  acme/${repo}:
  - name: unit
    always_run: true
    spec: {containers: [{image: alpine}]}
tide:
  sync_period: 1s
  status_update_period: 1s
  blocker_label: merge-blocker
  queries:
  - repos: [acme/${repo}]
    labels: [lgtm, approved]
    missingLabels: [do-not-merge/hold]
`;

const slow = { timeoutMs: 20_000, everyMs: 100 };

describe('the tide service, with the emulator, real git and a Redis job store', () => {
  let world: TideWorld;
  let dir: string;
  let running: RunningService;
  let ctx: ServiceContext;
  const repo = 'service';

  const url = (path: string): string => `${running.url ?? ''}${path}`;
  const approve = async (number: number): Promise<void> => {
    await world.alice.rest.issues.addLabels({ owner: 'acme', repo, issue_number: number, labels: ['lgtm', 'approved'] });
  };
  const merged = async (number: number): Promise<boolean> => (await world.alice.rest.pulls.get({ owner: 'acme', repo, pull_number: number })).data.merged;
  const status = async (sha: string): Promise<string | undefined> => {
    const s = await world.tideStatus(repo, sha);
    return s === undefined ? undefined : `${s.state}: ${s.description}`;
  };
  const statusMatching = (sha: string, pattern: RegExp): Promise<string> =>
    until(`a tide status matching ${String(pattern)}`, async () => {
      const s = await status(sha);
      return s !== undefined && pattern.test(s) ? s : undefined;
    }, slow);

  beforeAll(async () => {
    world = await startTideWorld();
    await world.createRepo(repo, { 'README.md': 'service\n' });
    dir = await mkdtemp(join(tmpdir(), 'prow-tide-svc-'));
    await writeFile(join(dir, 'config.yaml'), configYaml(repo));
    const logger = world.logs.logger;
    ctx = {
      env: readEnv({ TIDE_PORT: '0', TIDE_WORKDIR: join(dir, 'work') }),
      logger,
      redis: world.redisSettings,
      github: { client: world.github, botLogin: 'tide-bot', emulated: true, webhookSecret: secret },
      configPaths: { configPath: join(dir, 'config.yaml') },
    };
    running = await tide.start(ctx);
  });

  afterAll(async () => {
    await running.close();
    await world.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('queues approved PRs with their place, lands them, tells the others what they lack, and shows it all in / and /history', async () => {
    const a = await world.openPull(repo, 'a', { 'a.txt': 'a\n' });
    const b = await world.openPull(repo, 'b', { 'b.txt': 'b\n' });
    const c = await world.openPull(repo, 'c', { 'c.txt': 'c\n' });
    await approve(a.number);
    await approve(b.number);

    expect(await statusMatching(a.headSha, /^success: In merge pool\. Position 1 of 2, train #\d+/)).toBeDefined();
    expect(await statusMatching(c.headSha, /^pending: Not mergeable\. Needs approved, lgtm labels\.$/)).toBeDefined();
    const pools = await until('the pool in GET /', async () => {
      const list = (await (await fetch(url('/'))).json()) as PoolJson[];
      const pool = list.find((p) => p.Repo === repo);
      return pool !== undefined && pool.Trains.length > 0 ? pool : undefined;
    }, slow);
    expect(pools).toMatchObject({ Org: 'acme', Repo: repo, Branch: 'main', Action: 'TRIGGER_BATCH' });
    expect(pools.Queue.map((q) => q.Number)).toEqual([a.number, b.number]);

    await until('train jobs to finish', async () => ((await world.runCi()).length > 0 ? true : undefined), slow);
    await until('both PRs merged', async () => ((await merged(a.number)) && (await merged(b.number)) ? true : undefined), slow);
    expect(await merged(c.number)).toBe(false);

    const history = (await (await fetch(url('/history'))).json()) as Record<string, HistoryRecord[]>;
    const records = history[`acme/${repo}:main`] ?? [];
    expect(records.some((r) => r.action === 'MERGE_BATCH' || r.action === 'MERGE')).toBe(true);
    const metrics = await (await fetch(url('/metrics'))).text();
    expect(metrics).toMatch(new RegExp(`tide_merged_prs_total\\{org="acme",repo="${repo}",branch="main"\\} 2`));
    expect((await fetch(url('/healthz'))).status).toBe(200);
  });

  it('ejects a PR that fails on its own, with a status naming the job', async () => {
    const bad = await world.openPull(repo, 'bad', { 'bad.txt': 'breaks\n' });
    await approve(bad.number);
    await until('the bad PR ejected', async () => {
      await world.runCi();
      const s = await status(bad.headSha);
      return s?.startsWith('error:') === true ? s : undefined;
    }, slow);
    expect(await status(bad.headSha)).toMatch(/^error: Not mergeable\. Job unit failed in merge train #\d+ \(twice\)/);
    expect(await merged(bad.number)).toBe(false);
  });

  it('stops the pool while a blocker issue is open, and goes on when it closes', async () => {
    const { data: issue } = await world.alice.rest.issues.create({ owner: 'acme', repo, title: 'freeze', labels: ['merge-blocker'] });
    const d = await world.openPull(repo, 'd', { 'd.txt': 'd\n' });
    await approve(d.number);
    expect(await statusMatching(d.headSha, /Merging is blocked by issue \d+\./)).toContain(String(issue.number));
    await world.runCi();
    expect(await merged(d.number)).toBe(false);
    await world.alice.rest.issues.update({ owner: 'acme', repo, issue_number: issue.number, state: 'closed' });
    await until('d merged after the blocker closed', async () => {
      await world.runCi();
      return (await merged(d.number)) ? true : undefined;
    }, slow);
  });

  it('does not merge a PR that lost its lgtm label while its train was tested', async () => {
    const e = await world.openPull(repo, 'e', { 'e.txt': 'e\n' });
    await approve(e.number);
    await until('a train testing e', async () => ((await world.trainJobs()).some((j) => j.spec.refs?.pulls?.some((p) => p.number === e.number) === true) ? true : undefined), slow);
    await world.alice.rest.issues.removeLabel({ owner: 'acme', repo, issue_number: e.number, name: 'lgtm' });
    await statusMatching(e.headSha, /^pending: Not mergeable\. Needs lgtm label\.$/);
    await world.runCi();
    const aborted = (await world.trainJobs()).filter((j) => j.spec.refs?.pulls?.some((p) => p.number === e.number) === true);
    expect(aborted.every((j) => j.status.state === 'aborted' || j.status.state === 'success')).toBe(true);
    await new Promise((r) => setTimeout(r, 2_500)); // two more syncs
    expect(await merged(e.number)).toBe(false);
  });

  it('picks up where it left off after a restart: a train started before it is landed after', async () => {
    const f = await world.openPull(repo, 'f', { 'f.txt': 'f\n' });
    await approve(f.number);
    await until('a train testing f', async () => ((await world.trainJobs()).some((j) => j.spec.refs?.pulls?.some((p) => p.number === f.number) === true) ? true : undefined), slow);
    await running.close();
    const started = (await world.trainJobs()).length;
    await world.runCi(); // the train's jobs finish while Tide is down
    running = await tide.start(ctx);
    await until('f merged after the restart', async () => ((await merged(f.number)) ? true : undefined), slow);
    expect((await world.trainJobs()).length).toBe(started); // nothing was run again
  });

  it('takes webhooks hook forwards only with a valid signature', async () => {
    const body = JSON.stringify({ action: 'labeled', repository: { full_name: `acme/${repo}` } });
    const sign = (key: string): string => `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
    const post = (signature: string): Promise<Response> =>
      fetch(url('/hook'), { method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-hub-signature-256': signature }, body });
    const good = await post(sign(secret));
    expect(good.status).toBe(200);
    const bad = await post(sign('not-the-secret'));
    expect(bad.status).toBe(403);
    expect(((await bad.json()) as { error: string }).error).toMatch(/not signed with the webhook secret/);
  });
});
