import { createSign } from 'node:crypto';
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, octokitFor, startTestEmulator } from '../testing/test-emulator.ts';
import { startWebhookReceiver } from '../testing/webhook-receiver.ts';

/** An App JWT signed RS256 with node:crypto, as @octokit/auth-app makes them. */
function appJwt(appId: number, privateKey: string, claims: { iat?: number; exp?: number } = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const enc = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${enc({ alg: 'RS256', typ: 'JWT' })}.${enc({ iat: claims.iat ?? now - 30, exp: claims.exp ?? now + 540, iss: appId })}`;
  return `${body}.${createSign('RSA-SHA256').update(body).sign(privateKey).toString('base64url')}`;
}

describe('GitHub Apps', () => {
  let emu: Awaited<ReturnType<typeof startTestEmulator>>;
  let app: { appId: number; privateKey: string; botLogin: string };
  let installationId: number;

  beforeAll(async () => {
    emu = await startTestEmulator();
    await emu.control.createUser({ login: 'boss' });
    await emu.control.createOrg({ login: 'team', admins: ['boss'] });
    await emu.control.createRepo({ owner: 'team', name: 'bot-land', private: true });
    await emu.control.createRepo({ owner: 'boss', name: 'personal', private: true });
    app = await emu.control.createApp({ slug: 'prow-bot', permissions: { issues: 'write', contents: 'read' } });
    installationId = (await emu.control.installApp({ appId: app.appId, account: 'team' })).installationId;
  });

  afterAll(async () => {
    await emu.close();
  });

  it('authenticates the App by JWT and finds its installations', async () => {
    const gh = octokitFor(emu.url, appJwt(app.appId, app.privateKey));
    const me = await gh.apps.getAuthenticated();
    expect(me.data?.slug).toBe('prow-bot');
    const inst = await gh.apps.getRepoInstallation({ owner: 'team', repo: 'bot-land' });
    expect(inst.data.id).toBe(installationId);
    expect((await gh.apps.getOrgInstallation({ org: 'team' })).data.id).toBe(installationId);
    expect((await failure(gh.apps.getRepoInstallation({ owner: 'boss', repo: 'personal' }))).status).toBe(404);
    expect((await gh.apps.listInstallations()).data.map((i) => i.id)).toEqual([installationId]);
  });

  it('refuses JWTs that are not signed by the App key or live too long', async () => {
    const other = await emu.control.createApp({ slug: 'other-bot', permissions: {} });
    const forged = appJwt(app.appId, other.privateKey);
    expect((await failure(octokitFor(emu.url, forged).apps.getAuthenticated())).status).toBe(401);
    const now = Math.floor(Date.now() / 1000);
    const long = appJwt(app.appId, app.privateKey, { iat: now, exp: now + 3600 });
    const err = await failure(octokitFor(emu.url, long).apps.getAuthenticated());
    expect(err.status).toBe(401);
    expect((err.response?.data as { message: string }).message).toContain("'Expiration time' claim ('exp') is too far in the future");
  });

  it('exchanges the JWT for an hour-long installation token that acts as the bot within its permissions', async () => {
    const gh = octokitFor(emu.url, appJwt(app.appId, app.privateKey));
    const { data } = await gh.apps.createInstallationAccessToken({ installation_id: installationId });
    const expires = Date.parse(data.expires_at) - Date.now();
    expect(expires).toBeGreaterThan(3500_000);
    expect(expires).toBeLessThanOrEqual(3600_000);
    expect(data.permissions).toEqual({ metadata: 'read', issues: 'write', contents: 'read' });

    const bot = octokitFor(emu.url, data.token);
    const issue = await bot.issues.create({ owner: 'team', repo: 'bot-land', title: 'from the bot' });
    expect(issue.data.user?.login).toBe('prow-bot[bot]');
    expect(issue.data.user?.type).toBe('Bot');
    const label = await failure(bot.repos.createWebhook({ owner: 'team', repo: 'bot-land', config: { url: 'http://127.0.0.1:1/x' } }));
    expect([label.status, (label.response?.data as { message: string }).message]).toEqual([403, 'Resource not accessible by integration']);
    expect((await failure(bot.repos.get({ owner: 'boss', repo: 'personal' }))).status).toBe(404);
    const repos = await bot.apps.listReposAccessibleToInstallation();
    expect(repos.data.repositories.map((r) => r.full_name)).toEqual(['team/bot-land']);
  });

  it('answers 401 once an installation token has expired', async () => {
    const gh = octokitFor(emu.url, appJwt(app.appId, app.privateKey));
    const { data } = await gh.apps.createInstallationAccessToken({ installation_id: installationId, permissions: { issues: 'read' } });
    expect(data.permissions).toEqual({ issues: 'read' });
    const token = emu.state.tokens.get(data.token);
    if (!token) throw new Error('token not stored');
    token.expiresAt = new Date(Date.now() - 1000).toISOString();
    const err = await failure(octokitFor(emu.url, data.token).repos.get({ owner: 'team', repo: 'bot-land' }));
    expect([err.status, (err.response?.data as { message: string }).message]).toEqual([401, 'Bad credentials']);
  });

  it('works with @octokit/auth-app as production code uses it', async () => {
    const gh = new Octokit({
      baseUrl: emu.url,
      authStrategy: createAppAuth,
      auth: { appId: app.appId, privateKey: app.privateKey, installationId },
      log: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    const comment = await gh.issues.createComment({ owner: 'team', repo: 'bot-land', issue_number: 1, body: 'hello from auth-app' });
    expect(comment.data.user?.login).toBe('prow-bot[bot]');
  });

  it('sends the App its events with the installation in the payload', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const hooked = await emu.control.createApp({ slug: 'hooked-bot', permissions: { issues: 'read' }, events: ['issues'], webhookUrl: receiver.url, webhookSecret: 'app-secret' });
      const { installationId: id } = await emu.control.installApp({ appId: hooked.appId, account: 'team' });
      const bossToken = (await emu.control.createToken('boss')).token;
      await octokitFor(emu.url, bossToken).issues.create({ owner: 'team', repo: 'bot-land', title: 'app hook' });
      await emu.control.waitForDeliveries();
      const payloads = receiver.received.map((r) => JSON.parse(r.body) as { action: string; installation?: { id: number } });
      expect(payloads.map((p) => [p.action, p.installation?.id])).toEqual([['opened', id]]);
      expect(receiver.received[0]?.headers['x-github-hook-installation-target-type']).toBe('integration');
    } finally {
      await receiver.close();
    }
  });

  it('refuses permissions the installation was not granted', async () => {
    const gh = octokitFor(emu.url, appJwt(app.appId, app.privateKey));
    const err = await failure(gh.apps.createInstallationAccessToken({ installation_id: installationId, permissions: { administration: 'write' } }));
    expect(err.status).toBe(422);
  });
});
