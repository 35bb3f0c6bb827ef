import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { ProwError } from '../../lib/errors.ts';
import { readEnv } from '../../lib/env.ts';
import { createLogger } from '../../lib/log.ts';
import { closeAll, closeOnSignals, type Closeable } from '../../lib/http/shutdown.ts';
import { formatIssue, loadConfigOrThrow } from '../../lib/config/index.ts';
import { ensureRedis } from '../../lib/queue/ensure-redis.ts';
import { checkGitHub } from '../../lib/github/check-github.ts';
import { createGitHubClient, githubClientFromEnv } from '../../lib/github/github-client.ts';
import { services } from '../../services/index.ts';
import { plugins } from '../../plugins/index.ts';
import type { GitHubTarget, RunningService } from '../../services/service.ts';
import { startLocalGitHub, type LocalGitHub } from './start/local-github.ts';
import type { Command } from './types.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

const usage = `usage: prow start [service...] [options]

Runs prow-ts services in one process. With no service named, runs every service (local mode).
Services: ${services.map((s) => s.name).join(', ') || '(none yet: local mode runs the GitHub emulator)'}

options:
  --config-path F         Prow config.yaml (default: the example in config/, with its jobs and plugins)
  --job-config-path D     directory of job configs, as Prow's --job-config-path
  --plugin-config P       Prow plugins.yaml
  --emulator-port N       port of the GitHub emulator when no credentials are set (default: 8899; 0 = any)

environment:
  REDIS_URL               Redis to use (default redis://127.0.0.1:6379; started here when nothing answers)
  GITHUB_TOKEN            a token for GitHub; or GITHUB_APP_ID + GITHUB_APP_PRIVATE_KEY for a GitHub App
  GITHUB_API_URL          GitHub Enterprise API URL (default https://api.github.com)
  WEBHOOK_SECRET          the webhook's HMAC secret (required with credentials)`;

/** `prow start`: Redis, GitHub (real or emulated), then each service, until SIGTERM or SIGINT. */
export const start: Command = {
  name: 'start',
  summary: 'run prow-ts services in one process (all of them by default: local mode)',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'config-path': { type: 'string' },
        'job-config-path': { type: 'string' },
        'plugin-config': { type: 'string' },
        'emulator-port': { type: 'string', default: '8899' },
      },
    });
    const unknown = positionals.filter((name) => !services.some((s) => s.name === name));
    if (unknown.length > 0) {
      const known = services.map((s) => s.name).join(', ') || 'none yet';
      throw new ProwError('PROW_ERR_USAGE', `unknown service ${unknown.join(', ')}; known services: ${known}`);
    }
    const emulatorPort = Number(values['emulator-port']);
    if (!Number.isInteger(emulatorPort) || emulatorPort < 0 || emulatorPort > 65535) {
      throw new ProwError('PROW_ERR_USAGE', `--emulator-port must be a port number, not "${values['emulator-port']}"`);
    }

    const env = readEnv();
    const logger = createLogger({ level: env.logLevel, name: 'prow' });
    // The example config is the default as a whole: naming your own config.yaml does not mix in our jobs.
    const own = values['config-path'] !== undefined;
    const configPaths = {
      configPath: values['config-path'] ?? `${root}config/config.yaml`,
      jobConfigPath: values['job-config-path'] ?? (own ? undefined : `${root}config/jobs`),
      pluginConfigPath: values['plugin-config'] ?? (own ? undefined : `${root}config/plugins.yaml`),
      implementedPlugins: plugins.map((p) => p.name),
    };
    const loaded = await loadConfigOrThrow(configPaths);
    for (const w of loaded.warnings) logger.warn({ issue: formatIssue(w) }, 'configuration key not implemented yet');
    const credentials = env.githubToken ?? env.githubAppId;
    if (credentials !== undefined && !env.webhookSecret) {
      throw new ProwError('PROW_ERR_SECRET_MISSING', 'WEBHOOK_SECRET', 'Set it to the secret configured on your GitHub webhook.');
    }

    const parts: Closeable[] = [];
    const redis = await ensureRedis(env.redisUrl, logger);
    const ownedRedis = redis.owned;
    if (ownedRedis) parts.unshift({ name: 'redis-server', close: () => ownedRedis.stop() });
    let local: LocalGitHub | undefined;
    const running: RunningService[] = [];
    try {
      let github: GitHubTarget;
      if (credentials !== undefined && env.webhookSecret) {
        const client = githubClientFromEnv(env, logger);
        const identity = await checkGitHub(client);
        const botLogin = identity.kind === 'token' ? identity.login : identity.kind === 'app' ? `${identity.slug}[bot]` : '';
        logger.info({ github: client.baseUrl, as: botLogin }, 'talking to GitHub');
        github = { client, botLogin, emulated: false, webhookSecret: env.webhookSecret };
      } else {
        const started = await startLocalGitHub({ port: emulatorPort, logger });
        local = started;
        parts.unshift({ name: 'github-emulator', close: () => started.close() });
        const client = createGitHubClient({ credentials: { kind: 'token', token: started.bot.token }, baseUrl: started.url, logger });
        github = { client, botLogin: started.bot.login, emulated: true, webhookSecret: started.webhookSecret };
      }
      const selected = positionals.length > 0 ? services.filter((s) => positionals.includes(s.name)) : services;
      for (const service of selected) {
        const r = await service.start({ env, logger: logger.child({ service: service.name }), redis: { url: redis.url, prefix: env.redisPrefix }, github, configPaths });
        running.push(r);
        parts.unshift({ name: service.name, close: () => r.close() });
        if (local && r.webhookUrl) {
          const [owner = ''] = local.demo.repo.split('/');
          await local.control.addWebhook({ owner, url: r.webhookUrl, secret: local.webhookSecret });
        }
      }
    } catch (err) {
      // Whatever started before the failure (a redis-server child above all) must not outlive us.
      await closeAll(parts, logger);
      throw err;
    }

    console.log(banner({ redisUrl: redis.url, redisStarted: ownedRedis !== undefined, local, running }));
    closeOnSignals(parts, logger);
    // Runs until a signal: closeOnSignals closes every part and exits with their verdict.
    return new Promise<number>(() => undefined);
  },
};

function banner(o: { redisUrl: string; redisStarted: boolean; local: LocalGitHub | undefined; running: RunningService[] }): string {
  const rows: [string, string][] = [];
  if (o.local) {
    rows.push(['GitHub emulator', `${o.local.url}  (REST; GraphQL at ${o.local.url}/graphql)`]);
    rows.push(['demo repository', `${o.local.url}/repos/${o.local.demo.repo}`]);
    rows.push(['demo pull request', `${o.local.url}/repos/${o.local.demo.repo}/pulls/${o.local.demo.pullNumber}`]);
    rows.push(['clone it', `git clone ${o.local.gitUrl}`]);
    for (const [login, token] of Object.entries(o.local.demo.tokens)) rows.push([`token (${login})`, token]);
  }
  for (const s of o.running) if (s.url) rows.push([s.name, s.url]);
  rows.push(['Redis', `${o.redisUrl}${o.redisStarted ? '  (started by prow-ts; nothing is kept)' : ''}`]);
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [
    o.local ? 'prow-ts is running in local mode (no GitHub credentials: using the emulator).' : 'prow-ts is running against GitHub.',
    '',
    ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
  ];
  if (o.local) {
    lines.push('', 'Try it: comment on the demo pull request as a contributor:', `  ${o.local.tryCommand}`);
  }
  lines.push('', 'Press Ctrl-C to stop.');
  return lines.join('\n');
}
