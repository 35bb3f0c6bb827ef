import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { describe, expect, it } from 'vitest';
import { dropPrefix, testRedisUrl } from './helpers/redis.ts';
import { cleanEnv, runProw } from './helpers/run-prow.ts';
import { until } from './helpers/until.ts';

const owner = 'prow-demo';
const repo = 'hello';

async function files(root: string, dir = ''): Promise<string[]> {
  const entries = await readdir(join(root, dir), { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) {
    const rel = dir === '' ? e.name : `${dir}/${e.name}`;
    if (e.name.startsWith('.prow-store')) continue;
    if (e.isDirectory()) out.push(...(await files(root, rel)));
    else out.push(rel);
  }
  return out;
}

const slow = { timeoutMs: 60_000, everyMs: 250 };

describe('CI jobs end to end in local mode (npm start)', () => {
  it('runs a PR’s presubmits as local processes, reports statuses and the failure table, and stores Prow’s files', async () => {
    const prefix = `prowtest-cie2e-${String(Date.now())}`;
    const storage = await mkdtemp(join(tmpdir(), 'prow-e2e-storage-'));
    const prow = runProw(
      ['start', '--emulator-port', '0'],
      cleanEnv({ REDIS_URL: testRedisUrl, PROW_REDIS_PREFIX: prefix, PORT: '0', CONTROLLER_PORT: '0', TIDE_PORT: '0', BOSKOS_PORT: '0', GHPROXY_PORT: '0', TESTGRID_PORT: '0', TESTGRID_UPDATE_INTERVAL: '1s', TIDE_WORKDIR: join(storage, 'tide'), STORAGE_LOCATION: storage }),
    );
    try {
      await prow.waitFor('Press Ctrl-C to stop.', 60_000);
      const out = prow.stdout();
      const emulatorUrl = /GitHub emulator\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] ?? '';
      const controllerUrl = /\n\s+controller\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] ?? '';
      expect((await fetch(`${controllerUrl}/healthz`)).status).toBe(200);
      const token = /token \(demo-contributor\)\s+(\S+)/.exec(out)?.[1] ?? '';
      const gh = new Octokit({ baseUrl: emulatorUrl, auth: token });
      const number = Number(/pulls\/(\d+)/.exec(/demo pull request\s+(\S+)/.exec(out)?.[1] ?? '')?.[1]);
      const { data: pr } = await gh.rest.pulls.get({ owner, repo, pull_number: number });

      // `/test all` by an org member on the demo PR: the always_run presubmit runs and passes.
      await gh.rest.issues.createComment({ owner, repo, issue_number: number, body: '/test all' });
      const statuses = await until('a success status', async () => {
        const { data } = await gh.rest.repos.listCommitStatusesForRef({ owner, repo, ref: pr.head.sha });
        return data.some((s) => s.context === 'pull-hello-unit' && s.state !== 'pending') ? data : undefined;
      }, slow);
      const unit = statuses.filter((s) => s.context === 'pull-hello-unit');
      expect(unit.map((s) => s.state)).toContain('pending');
      expect(unit[0]?.state).toBe('success');
      expect(unit[0]?.target_url).toBe(`http://127.0.0.1:8891/view/gs/prow-artifacts/pr-logs/pull/prow-demo_hello/${String(number)}/pull-hello-unit/1`);
      expect(unit[0]?.description).toMatch(/^Job succeeded\./);

      const build = `pr-logs/pull/prow-demo_hello/${String(number)}/pull-hello-unit/1`;
      const stored = await until('finished.json and prowjob.json', async () => {
        const all = await files(storage);
        const state = all.includes(`${build}/prowjob.json`) ? (JSON.parse(await readFile(join(storage, build, 'prowjob.json'), 'utf8')) as { status: { state: string } }).status.state : '';
        return all.includes(`${build}/finished.json`) && state === 'success' ? all : undefined;
      }, slow);
      expect(stored).toEqual(expect.arrayContaining([`${build}/started.json`, `${build}/build-log.txt`, `${build}/artifacts/junit_hello.xml`, `${build}/clone-records.json`]));
      expect(JSON.parse(await readFile(join(storage, build, 'finished.json'), 'utf8'))).toMatchObject({ passed: true, result: 'SUCCESS' });
      expect(await readFile(join(storage, build, 'build-log.txt'), 'utf8')).toContain('ok');
      expect((await readFile(join(storage, 'pr-logs/directory/pull-hello-unit/latest-build.txt'), 'utf8')).trim()).toBe('1');

      // The dashboard reads the build from storage onto the demo dashboard's tab (the job's testgrid-* annotations).
      const dashboardUrl = /\n\s+testgrid-ui\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] ?? '';
      const tab = await until('build 1 on the dashboard', async () => {
        const res = await fetch(`${dashboardUrl}/api/testgrid/prow-demo/${encodeURIComponent('unit (PRs)')}`);
        if (res.status !== 200) return undefined;
        const view = (await res.json()) as { grid: { columns: { build: string }[]; rows: { name: string }[] }; links: string[] };
        // Read again on each cycle while it settles, so its JUnit shows once the sidecar has uploaded it.
        return view.grid.columns.some((c) => c.build === '1') && view.grid.rows.length > 1 ? view : undefined;
      }, slow);
      expect(tab.grid.rows.map((r) => r.name)).toEqual(['Overall', 'hello.greets']);
      expect(tab.links[0]).toBe(`/view/gs/prow-artifacts/${build}`);

      // A member's PR that breaks the test: opening it starts the job, which fails, and the bot posts the table.
      await fetch(`${emulatorUrl}/_emulator/commits`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ owner, repo, branch: 'broken', from: 'main', files: { 'hello.sh': '#!/bin/sh\necho "goodbye"\n' }, message: 'Break it', pusher: 'demo-contributor' }),
      });
      const { data: broken } = await gh.rest.pulls.create({ owner, repo, head: 'broken', base: 'main', title: 'Break the greeting' });
      const comment = await until('the failure comment', async () => {
        const { data } = await gh.rest.issues.listComments({ owner, repo, issue_number: broken.number });
        return data.find((c) => c.body?.includes('<!-- test report -->'));
      }, slow);
      expect(comment.body).toContain('@demo-contributor: The following test **failed**, say `/retest` to rerun all failed tests');
      expect(comment.body).toMatch(/pull-hello-unit \| [0-9a-f]{7,40} \| \[link\]\(http:\/\/127\.0\.0\.1:8891\/view\/gs\/prow-artifacts\/pr-logs\/pull\/prow-demo_hello\/\d+\/pull-hello-unit\/2\) \| true \| `\/test pull-hello-unit`/);
      const failed = `pr-logs/pull/prow-demo_hello/${String(broken.number)}/pull-hello-unit/2`;
      await until('the failed build in storage', async () => ((await files(storage)).includes(`${failed}/finished.json`) ? true : undefined), slow);
      expect(JSON.parse(await readFile(join(storage, failed, 'finished.json'), 'utf8'))).toMatchObject({ passed: false, result: 'FAILURE' });

      // /retest runs the failed job again; it fails again, and the PR still has one failure comment.
      await gh.rest.issues.createComment({ owner, repo, issue_number: broken.number, body: '/retest' });
      await until('build 3 finished', async () => ((await files(storage)).includes(`pr-logs/pull/prow-demo_hello/${String(broken.number)}/pull-hello-unit/3/finished.json`) ? true : undefined), slow);
      const reports = await until('one report comment naming build 3', async () => {
        const { data } = await gh.rest.issues.listComments({ owner, repo, issue_number: broken.number });
        const tagged = data.filter((c) => c.body?.includes('<!-- test report -->'));
        return tagged.length === 1 && tagged[0]?.body?.includes('/pull-hello-unit/3)') === true ? tagged : undefined;
      }, slow);
      expect(reports).toHaveLength(1);
      const metrics = await (await fetch(`${controllerUrl}/metrics`)).text();
      expect(metrics).toMatch(/prowjobs\{type="presubmit",state="failure"\} 2/);
    } finally {
      prow.child.kill('SIGTERM');
    }
    expect(await prow.exited).toBe(0);
    await dropPrefix({ url: testRedisUrl, prefix });
    await rm(storage, { recursive: true, force: true });
  }, 180_000);
});
