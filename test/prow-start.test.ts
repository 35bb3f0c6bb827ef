import { describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { cleanEnv, runProw } from './helpers/run-prow.ts';
import { dropPrefix, testRedisUrl } from './helpers/redis.ts';
import { startEmulator } from '../emulator/github/index.ts';
import { deliveryHeaders } from '../services/hook/testing/signed-delivery.ts';

describe('prow start (npm start) in local mode', () => {
  it('starts the emulator and hook, prints URLs that answer, acts on /assign, and stops cleanly on SIGTERM', async () => {
    const prefix = `prowtest-start-${Date.now()}`;
    const prow = runProw(['start', '--emulator-port', '0'], cleanEnv({ REDIS_URL: testRedisUrl, PROW_REDIS_PREFIX: prefix, PORT: '0', TIDE_PORT: '0', BOSKOS_PORT: '0', GHPROXY_PORT: '0', TESTGRID_PORT: '0', TIDE_WORKDIR: join(tmpdir(), `prow-start-tide-${String(Date.now())}`) }));
    try {
      await prow.waitFor('Press Ctrl-C to stop.');
      const out = prow.stdout();
      expect(out).toContain('local mode');
      const emulatorUrl = /GitHub emulator\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      if (emulatorUrl === undefined) throw new Error(`no emulator URL in:\n${out}`);
      const health = await fetch(`${emulatorUrl}/healthz`);
      expect(health.status).toBe(200);

      const prUrl = /demo pull request\s+(\S+)/.exec(out)?.[1] ?? '';
      const pr = (await (await fetch(prUrl)).json()) as { state: string; user: { login: string }; base: { ref: string } };
      expect(pr.state).toBe('open');
      expect(pr.user.login).toBe('demo-contributor');

      const token = /token \(demo-contributor\)\s+(\S+)/.exec(out)?.[1] ?? '';
      const octokit = new Octokit({ baseUrl: emulatorUrl, auth: token });
      const { data: me } = await octokit.rest.users.getAuthenticated();
      expect(me.login).toBe('demo-contributor');

      const hookUrl = /\n\s+hook\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      if (hookUrl === undefined) throw new Error(`no hook URL in:\n${out}`);
      expect((await fetch(`${hookUrl}/healthz`)).status).toBe(200);

      // The command the banner suggests, done over REST: the comment reaches hook as a signed webhook,
      // goes through the queue and a worker, and the assign plugin acts as the bot.
      const owner = 'prow-demo';
      const repo = 'hello';
      const pull_number = Number(/\/pulls\/(\d+)/.exec(prUrl)?.[1]);
      await octokit.rest.issues.createComment({ owner, repo, issue_number: pull_number, body: '/assign' });
      const deadline = Date.now() + 20_000;
      let assignees: string[] = [];
      while (Date.now() < deadline) {
        const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number });
        assignees = (data.assignees ?? []).map((a) => a.login);
        if (assignees.length > 0) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(assignees).toEqual(['demo-contributor']);
    } finally {
      prow.child.kill('SIGTERM');
    }
    expect(await prow.exited).toBe(0);
    await dropPrefix({ url: testRedisUrl, prefix });
  }, 60_000);

  it('refuses to start against GitHub without the webhook secret, in one line', async () => {
    const prow = runProw(['start'], cleanEnv({ REDIS_URL: testRedisUrl, GITHUB_TOKEN: 'ghp_' + 'x'.repeat(36) }));
    expect(await prow.exited).toBe(1);
    expect(prow.stderr()).toMatch(/^prow start: WEBHOOK_SECRET is not set\..*\[PROW_ERR_SECRET_MISSING\]\n$/);
    expect(prow.stderr()).not.toContain('x'.repeat(36));
  });

  it('says where Redis is not answering when it cannot start one', async () => {
    const prow = runProw(['start'], cleanEnv({ REDIS_URL: 'redis://127.0.0.2:1' }));
    expect(await prow.exited).toBe(1);
    expect(prow.stderr()).toContain('cannot reach Redis at redis://127.0.0.2:1');
    expect(prow.stderr()).toContain('[PROW_ERR_REDIS_UNREACHABLE]');
  });

  it('refuses a bad config with the file, line and key, before starting anything', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'prow-start-'));
    try {
      await writeFile(join(dir, 'config.yaml'), 'tide:\n  sync_period: 1m\n  bogus_key: 1\n');
      const prow = runProw(['start', '--config-path', join(dir, 'config.yaml')], cleanEnv({ REDIS_URL: testRedisUrl }));
      expect(await prow.exited).toBe(1);
      expect(prow.stderr()).toContain(`${join(dir, 'config.yaml')}:3:3 tide: unknown key "bogus_key"`);
      expect(prow.stderr()).toContain('[PROW_ERR_CONFIG_INVALID]');
      expect(prow.stdout()).not.toContain('GitHub emulator');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('runs against GitHub when given credentials: here the emulator stands in for api.github.com', async () => {
    const emu = await startEmulator();
    const prefix = `prowtest-start-gh-${Date.now()}`;
    try {
      const { token } = await emu.control.createUser({ login: 'real-bot' });
      const prow = runProw(
        ['start', 'hook'],
        cleanEnv({ REDIS_URL: testRedisUrl, PROW_REDIS_PREFIX: prefix, PORT: '0', GITHUB_TOKEN: token, GITHUB_API_URL: emu.url, WEBHOOK_SECRET: 'a-real-secret' }),
      );
      try {
        await prow.waitFor('Press Ctrl-C to stop.');
        const out = prow.stdout();
        expect(out).toContain('prow-ts is running against GitHub.');
        expect(out).not.toContain('GitHub emulator');
        const hookUrl = /\n\s+hook\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
        if (hookUrl === undefined) throw new Error(`no hook URL in:\n${out}`);
        // The secret given is the one hook checks: a delivery signed with another is refused.
        const body = '{"zen":"Design for failure."}';
        const post = (key: string) => fetch(`${hookUrl}/hook`, { method: 'POST', headers: deliveryHeaders(key, body, { 'x-github-event': 'ping' }), body });
        expect((await post('a-real-secret')).status).toBe(200);
        expect((await post('another-secret')).status).toBe(403);
        expect(prow.stderr()).not.toContain(token);
      } finally {
        prow.child.kill('SIGTERM');
      }
      expect(await prow.exited).toBe(0);
    } finally {
      await emu.close();
      await dropPrefix({ url: testRedisUrl, prefix });
    }
  }, 60_000);

  it('says in one line when GitHub cannot be reached, and stops', async () => {
    const prow = runProw(['start'], cleanEnv({ REDIS_URL: testRedisUrl, GITHUB_TOKEN: 'ghp_' + 'y'.repeat(36), GITHUB_API_URL: 'http://127.0.0.2:1', WEBHOOK_SECRET: 's' }));
    expect(await prow.exited).toBe(1);
    expect(prow.stderr().trim().split('\n')).toHaveLength(1);
    expect(prow.stderr()).toContain('[PROW_ERR_GITHUB_UNREACHABLE]');
    expect(prow.stderr()).not.toContain('y'.repeat(36));
  });

  it('names unknown services', async () => {
    const prow = runProw(['start', 'no-such-service'], cleanEnv({ REDIS_URL: testRedisUrl }));
    expect(await prow.exited).toBe(1);
    expect(prow.stderr()).toContain('unknown service no-such-service');
  });
});
