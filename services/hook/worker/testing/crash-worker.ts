/**
 * A hook worker process for the crash test: `commenter` comments on the issue (not idempotent), `labeler`
 * labels it. With CRASH_MODE=hang, `labeler` prints `hanging <delivery>` and never finishes, so the test can
 * SIGKILL the process in the middle of handling; with CRASH_MODE=finish it labels and returns.
 */
import { Registry } from 'prom-client';
import { createGitHubClient } from '../../../../lib/github/github-client.ts';
import { createLogger } from '../../../../lib/log.ts';
import { definePlugin } from '../../../../plugins/plugin.ts';
import { startEventWorkers } from '../event-workers.ts';
import { loadTestConfig } from './worker-kit.ts';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};
const hang = env('CRASH_MODE') === 'hang';
const logger = createLogger({ level: 'warn', destination: process.stderr });

const commenter = definePlugin({
  name: 'commenter',
  help: { description: 'comments once per delivery', commands: [] },
  async genericComment(ctx, c) {
    await ctx.github.rest.issues.createComment({ owner: ctx.org, repo: ctx.repo, issue_number: c.number, body: `handled ${ctx.delivery}` });
  },
});
const labeler = definePlugin({
  name: 'labeler',
  help: { description: 'labels, or hangs until killed', commands: [] },
  async genericComment(ctx, c) {
    if (hang) {
      process.stdout.write(`hanging ${ctx.delivery}\n`);
      await new Promise(() => undefined);
    }
    await ctx.github.rest.issues.addLabels({ owner: ctx.org, repo: ctx.repo, issue_number: c.number, labels: ['handled'] });
  },
});

const config = await loadTestConfig('plugins:\n  acme: [commenter, labeler]\n');
const workers = await startEventWorkers({
  redis: { url: env('REDIS_URL'), prefix: env('PROW_REDIS_PREFIX') },
  github: createGitHubClient({ credentials: { kind: 'token', token: env('GITHUB_TOKEN') }, logger, baseUrl: env('GITHUB_API_URL'), rateLimits: { enabled: false } }),
  logger,
  config: () => config,
  metrics: new Registry(),
  botLogin: 'prow-bot',
  plugins: [commenter, labeler],
  // A killed worker's jobs run again within about two seconds instead of BullMQ's default 30.
  worker: { lockDuration: 1_000, stalledInterval: 500 },
});
process.once('SIGTERM', () => {
  void workers.close().then(() => process.exit(0));
});
process.stdout.write('ready\n');
