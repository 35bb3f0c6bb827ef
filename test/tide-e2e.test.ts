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

const slow = { timeoutMs: 90_000, everyMs: 250 };

describe('Tide end to end in local mode (npm start)', () => {
  it('merges the approved demo PR through a train whose batch job the controller ran, landing exactly the tested commit', async () => {
    const prefix = `prowtest-tidee2e-${String(Date.now())}`;
    const dir = await mkdtemp(join(tmpdir(), 'prow-tide-e2e-'));
    const prow = runProw(
      ['start', '--emulator-port', '0'],
      cleanEnv({ REDIS_URL: testRedisUrl, PROW_REDIS_PREFIX: prefix, PORT: '0', CONTROLLER_PORT: '0', TIDE_PORT: '0', BOSKOS_PORT: '0', GHPROXY_PORT: '0', TESTGRID_PORT: '0', TIDE_WORKDIR: join(dir, 'tide'), STORAGE_LOCATION: join(dir, 'storage') }),
    );
    try {
      await prow.waitFor('Press Ctrl-C to stop.', 60_000);
      const out = prow.stdout();
      const emulatorUrl = /GitHub emulator\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] ?? '';
      const tideUrl = /\n\s+tide\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1] ?? '';
      expect((await fetch(`${tideUrl}/healthz`)).status).toBe(200);
      const number = Number(/pulls\/(\d+)/.exec(/demo pull request\s+(\S+)/.exec(out)?.[1] ?? '')?.[1]);
      // A maintainer's approval, as lgtm and approve would leave it.
      const minted = (await (await fetch(`${emulatorUrl}/_emulator/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: 'prow-bot' }) })).json()) as { token: string };
      const gh = new Octokit({ baseUrl: emulatorUrl, auth: minted.token });
      const { data: pr } = await gh.rest.pulls.get({ owner, repo, pull_number: number });
      await gh.rest.issues.addLabels({ owner, repo, issue_number: number, labels: ['lgtm', 'approved'] });

      const closed = await until('the demo PR landed', async () => {
        const { data } = await gh.rest.pulls.get({ owner, repo, pull_number: number });
        return data.state === 'closed' ? data : undefined;
      }, slow);
      // prow-demo/hello squashes: the base moves to the train's squash commit, and Tide closes the PR saying so.
      const { data: main } = await gh.rest.repos.getBranch({ owner, repo, branch: 'main' });
      const { data: comments } = await gh.rest.issues.listComments({ owner, repo, issue_number: number });
      expect(comments.some((c) => c.body?.includes(main.commit.sha) === true)).toBe(true);
      expect(closed.merged).toBe(false);
      // The batch job the controller ran, as crier stored it: it tested the very commit main now is.
      const stored = (await readdir(join(dir, 'storage'), { recursive: true })).filter((f) => f.endsWith('prowjob.json'));
      const jobs = await Promise.all(stored.map(async (f) => JSON.parse(await readFile(join(dir, 'storage', f), 'utf8')) as { spec: { type: string; refs?: { base_sha?: string } }; status: { state: string } }));
      const batch = jobs.find((j) => j.spec.type === 'batch');
      expect(batch?.status.state).toBe('success');
      expect(batch?.spec.refs?.base_sha).toBe(main.commit.sha);
      expect((await fetch(`${tideUrl}/`)).status).toBe(200);
      const history = (await (await fetch(`${tideUrl}/history`)).json()) as Record<string, { action: string; target: { number: number; sha: string }[] }[]>;
      const records = history[`${owner}/${repo}:main`] ?? [];
      expect(records.map((r) => r.action)).toEqual(expect.arrayContaining(['TRIGGER_BATCH']));
      expect(records.find((r) => r.action.startsWith('MERGE'))?.target).toEqual([expect.objectContaining({ number, sha: pr.head.sha })]);
    } finally {
      prow.child.kill('SIGTERM');
      await prow.exited;
      await dropPrefix({ url: testRedisUrl, prefix });
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
