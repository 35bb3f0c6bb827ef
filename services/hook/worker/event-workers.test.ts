import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Queue } from 'bullmq';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubClient, type GitHubClient } from '../../../lib/github/github-client.ts';
import { createQueue } from '../../../lib/queue/bullmq.ts';
import { queueNames } from '../../../lib/queue/names.ts';
import { createRedis } from '../../../lib/queue/redis.ts';
import type { GenericComment } from '../../../plugins/generic-comment.ts';
import { definePlugin, type Plugin, type PluginContextBase } from '../../../plugins/plugin.ts';
import { startPluginHarness, type PluginHarness } from '../../../plugins/testing/plugin-harness.ts';
import { memoryLogger } from '../../../test/helpers/memory-logger.ts';
import { dropPrefix, uniqueRedis } from '../../../test/helpers/redis.ts';
import type { EventJob } from '../event-job.ts';
import { ledgerKeys } from './delivery-ledger.ts';
import { startEventWorkers, type EventWorkers } from './event-workers.ts';
import { enqueue, eventJob, loadTestConfig, settled } from './testing/worker-kit.ts';

let h: PluginHarness;
let github: GitHubClient;
beforeAll(async () => {
  h = await startPluginHarness();
  github = createGitHubClient({
    credentials: { kind: 'token', token: h.tokens['prow-bot'] ?? '' },
    logger: memoryLogger('warn').logger,
    baseUrl: h.emu.url,
    // Failures reach the worker at once: no client retries and no waiting on rate limits.
    retries: { retries: 0 },
    rateLimits: { enabled: false },
  });
});
afterAll(async () => {
  await h.close();
});

interface World {
  queue: Queue<EventJob>;
  workers: EventWorkers;
  logs: ReturnType<typeof memoryLogger>;
  metrics: Registry;
  settings: ReturnType<typeof uniqueRedis>;
}
const worlds: World[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) {
    await w.workers.close();
    await w.queue.close();
    await dropPrefix(w.settings);
  }
});

async function world(plugins: Plugin[], pluginsYaml: string, extra: { stepTimeoutMs?: number } = {}): Promise<World> {
  const settings = uniqueRedis('hook-worker');
  const logs = memoryLogger('debug');
  const metrics = new Registry();
  const config = await loadTestConfig(pluginsYaml);
  const workers = await startEventWorkers({
    redis: settings,
    github,
    logger: logs.logger,
    config: () => config,
    metrics,
    botLogin: 'prow-bot',
    plugins,
    external: { baseDelayMs: 1 },
    stepTimeoutMs: extra.stepTimeoutMs,
  });
  const w = { queue: createQueue<EventJob>(settings, queueNames.events), workers, logs, metrics, settings };
  worlds.push(w);
  return w;
}

/** Opens an issue, comments on it as `login`, and returns the emulator's real issue_comment webhook as a job. */
async function commentJob(login: string, body: string, format: (payload: unknown) => string = (p) => JSON.stringify(p)): Promise<{ job: EventJob; number: number }> {
  const { data: issue } = await h.as('member').rest.issues.create({ owner: 'acme', repo: 'widgets', title: `test ${Math.random()}` });
  const { data: comment } = await h.as(login).rest.issues.createComment({ owner: 'acme', repo: 'widgets', issue_number: issue.number, body });
  const sent = (await h.events()).find((e) => e.event === 'issue_comment' && (e.payload.comment as { id: number }).id === comment.id);
  if (!sent) throw new Error('no issue_comment webhook');
  return { job: eventJob('issue_comment', sent.delivery, format(sent.payload), { 'x-hub-signature-256': 'sha256=abc' }), number: issue.number };
}

/** A plugin that records each call (handler name and context) and runs `act` on generic comments. */
function recorder(name: string, act: (ctx: PluginContextBase, c: GenericComment, call: number) => Promise<void> = () => Promise.resolve()) {
  const calls: { handler: string; ctx: PluginContextBase }[] = [];
  const plugin = definePlugin({
    name,
    help: { description: name, commands: [] },
    handlers: {
      'issue_comment.created': (ctx) => {
        calls.push({ handler: 'issue_comment.created', ctx });
        return Promise.resolve();
      },
      issue_comment: (ctx) => {
        calls.push({ handler: 'issue_comment', ctx });
        return Promise.resolve();
      },
    },
    async genericComment(ctx, c) {
      calls.push({ handler: 'genericComment', ctx });
      await act(ctx, c, calls.filter((x) => x.handler === 'genericComment').length);
    },
  });
  return { plugin, calls, commentCalls: () => calls.filter((c) => c.handler === 'genericComment').length };
}

async function botComments(number: number): Promise<string[]> {
  const { data } = await h.as('admin').rest.issues.listComments({ owner: 'acme', repo: 'widgets', issue_number: number });
  return data.filter((c) => c.user?.login === 'prow-bot').map((c) => c.body ?? '');
}

describe('hook workers', () => {
  it('runs the enabled plugins for a comment, each with one context for the delivery, and not the others', async () => {
    const alpha = recorder('alpha', async (ctx, c) => {
      await ctx.github.rest.issues.createComment({ owner: ctx.org, repo: ctx.repo, issue_number: c.number, body: `alpha saw ${c.author}` });
    });
    const beta = recorder('beta');
    const w = await world([alpha.plugin, beta.plugin], 'plugins:\n  acme: [alpha]\n');
    const { job, number } = await commentJob('outsider', '/hello');
    await enqueue(w.queue, job);

    expect(await settled(w.queue, job.delivery)).toBe('completed');
    expect(alpha.calls.map((c) => c.handler).sort()).toEqual(['genericComment', 'issue_comment', 'issue_comment.created']);
    expect(beta.calls).toEqual([]);
    const ctx = alpha.calls[0]?.ctx;
    expect(ctx).toMatchObject({ delivery: job.delivery, org: 'acme', repo: 'widgets', botLogin: 'prow-bot' });
    expect(ctx?.log.bindings()).toMatchObject({ delivery: job.delivery, event: 'issue_comment', plugin: 'alpha' });
    expect(new Set(alpha.calls.map((c) => c.ctx.config)).size).toBe(1);
    expect(await botComments(number)).toEqual(['alpha saw outsider']);
    const done = await w.queue.getJob(job.delivery);
    expect(done?.returnvalue).toEqual({ ran: expect.arrayContaining(['alpha/genericComment', 'alpha/issue_comment.created', 'alpha/issue_comment']) as unknown, skipped: [] });
    const handled = await w.metrics.getSingleMetricAsString('prow_hook_events_handled_total');
    expect(handled).toContain('prow_hook_events_handled_total{event_type="issue_comment",outcome="completed"} 1');
    expect(await w.metrics.getSingleMetricAsString('prow_hook_plugin_duration_seconds')).toContain('plugin="alpha",event_type="issue_comment"');
  });

  it("honours excluded_repos: an org's plugins skip an excluded repo while the repo's own list still runs", async () => {
    const alpha = recorder('alpha');
    const beta = recorder('beta');
    const w = await world([alpha.plugin, beta.plugin], 'plugins:\n  acme:\n    plugins: [alpha]\n    excluded_repos: [widgets]\n  acme/widgets: [beta]\n');
    const { job } = await commentJob('outsider', 'hi');
    await enqueue(w.queue, job);
    expect(await settled(w.queue, job.delivery)).toBe('completed');
    expect(alpha.calls).toEqual([]);
    expect(beta.commentCalls()).toBe(1);
  });

  it('logs an unknown plugin name once and runs the known ones', async () => {
    const alpha = recorder('alpha');
    const w = await world([alpha.plugin], 'plugins:\n  acme: [alpha, nosuch]\n');
    const first = await commentJob('outsider', 'one');
    const second = await commentJob('outsider', 'two');
    await enqueue(w.queue, first.job);
    await enqueue(w.queue, second.job);
    expect(await settled(w.queue, first.job.delivery)).toBe('completed');
    expect(await settled(w.queue, second.job.delivery)).toBe('completed');
    expect(alpha.commentCalls()).toBe(2);
    const unknown = w.logs.lines.filter((l) => l.level === 50 && l.plugin === 'nosuch');
    expect(unknown).toHaveLength(1);
    expect(unknown[0]?.msg).toContain('no plugin of that name');
  });

  it("gives the bot's own comments only to the plugins that heed them", async () => {
    const alpha = recorder('alpha');
    const lifecycle = recorder('lifecycle');
    const w = await world([alpha.plugin, lifecycle.plugin], 'plugins:\n  acme: [alpha, lifecycle]\n');
    const { job } = await commentJob('prow-bot', '/lifecycle stale');
    await enqueue(w.queue, job);
    expect(await settled(w.queue, job.delivery)).toBe('completed');
    expect(lifecycle.commentCalls()).toBe(1);
    expect(alpha.commentCalls()).toBe(0);
    expect(alpha.calls.map((c) => c.handler).sort()).toEqual(['issue_comment', 'issue_comment.created']);
  });

  it('isolates plugins and retries only the one that failed on a 5xx', async () => {
    const { job, number } = await commentJob('outsider', '/go');
    const flaky = recorder('flaky', async (ctx, c) => {
      await ctx.github.rest.issues.createComment({ owner: ctx.org, repo: ctx.repo, issue_number: c.number, body: 'flaky done' });
    });
    const steady = recorder('steady', async (ctx, c) => {
      await ctx.github.rest.issues.addLabels({ owner: ctx.org, repo: ctx.repo, issue_number: c.number, labels: ['steady'] });
    });
    const w = await world([flaky.plugin, steady.plugin], 'plugins:\n  acme/widgets: [flaky, steady]\n');
    await h.emu.control.faults({ count: 1, status: 502, method: 'POST', pathPrefix: `/repos/acme/widgets/issues/${number}/comments` });
    await enqueue(w.queue, job);

    expect(await settled(w.queue, job.delivery)).toBe('completed');
    expect(flaky.commentCalls()).toBe(2);
    expect(steady.commentCalls()).toBe(1);
    expect(await botComments(number)).toEqual(['flaky done']);
    const { data: labels } = await h.bot.rest.issues.listLabelsOnIssue({ owner: 'acme', repo: 'widgets', issue_number: number });
    expect(labels.map((l) => l.name)).toEqual(['steady']);
    // BullMQ counts finished attempts: the failed one and the one that completed.
    expect((await w.queue.getJob(job.delivery))?.attemptsMade).toBe(2);
    expect(await w.metrics.getSingleMetricAsString('prow_hook_plugin_errors_total')).toContain('prow_hook_plugin_errors_total{plugin="flaky"} 1');
    const failure = w.logs.lines.find((l) => l.level === 50 && l.plugin === 'flaky');
    expect(failure).toMatchObject({ delivery: job.delivery, handler: 'genericComment', kind: 'retry' });
    const redis = createRedis(w.settings);
    expect(await redis.exists(ledgerKeys(w.settings.prefix, job.delivery).done)).toBe(0);
    redis.disconnect();
  });

  it('does not retry a 422 from GitHub: the delivery fails at once with the reason', async () => {
    const { job } = await commentJob('outsider', '/label');
    await h.bot.rest.issues.createLabel({ owner: 'acme', repo: 'widgets', name: 'taken' });
    const dup = recorder('dup', async (ctx) => {
      await ctx.github.rest.issues.createLabel({ owner: ctx.org, repo: ctx.repo, name: 'taken' });
    });
    const other = recorder('other');
    const w = await world([dup.plugin, other.plugin], 'plugins:\n  acme: [dup, other]\n');
    await enqueue(w.queue, job, { attempts: 5 });

    expect(await settled(w.queue, job.delivery)).toBe('failed');
    expect(dup.commentCalls()).toBe(1);
    expect(other.commentCalls()).toBe(1);
    const failed = await w.queue.getJob(job.delivery);
    expect(failed?.attemptsMade).toBe(1);
    expect(failed?.failedReason).toMatch(/^1 of 6 steps failed: dup\/genericComment \(permanent: HTTP 422/);
  });

  it('fails a plugin that never finishes once its time is up, and lets the delivery settle', async () => {
    const stuck = recorder('stuck', () => new Promise<void>(() => undefined));
    const quick = recorder('quick');
    const w = await world([stuck.plugin, quick.plugin], 'plugins:\n  acme: [stuck, quick]\n', { stepTimeoutMs: 100 });
    const { job } = await commentJob('outsider', 'anything');
    await enqueue(w.queue, job, { attempts: 1 });
    expect(await settled(w.queue, job.delivery)).toBe('failed');
    expect((await w.queue.getJob(job.delivery))?.failedReason).toBe('1 of 6 steps failed: stuck/genericComment (retry: still running after 100 ms)');
    expect(quick.commentCalls()).toBe(1);
    expect(await w.metrics.getSingleMetricAsString('prow_hook_events_handled_total')).toContain('outcome="failed"} 1');
  });

  it("waits out GitHub's rate limit without using up an attempt", async () => {
    const { job, number } = await commentJob('outsider', '/go');
    const polite = recorder('polite', async (ctx, c) => {
      await ctx.github.rest.issues.createComment({ owner: ctx.org, repo: ctx.repo, issue_number: c.number, body: 'polite' });
    });
    const w = await world([polite.plugin], 'plugins:\n  acme: [polite]\n');
    await h.emu.control.faults({ count: 1, secondaryRateLimit: true, retryAfter: 1, method: 'POST', pathPrefix: `/repos/acme/widgets/issues/${number}/comments` });
    await enqueue(w.queue, job, { attempts: 1 });

    expect(await settled(w.queue, job.delivery)).toBe('completed');
    expect(polite.commentCalls()).toBe(2);
    // Only the attempt that completed counts, and `attempts: 1` was enough.
    expect((await w.queue.getJob(job.delivery))?.attemptsMade).toBe(1);
    expect(await botComments(number)).toEqual(['polite']);
    expect(await w.metrics.getSingleMetricAsString('prow_hook_events_handled_total')).toContain('outcome="rate_limited"} 1');
  });

  it('re-posts the raw body and the original headers to external plugins that take the event', async () => {
    const received: { url: string; body: string; headers: IncomingHttpHeaders }[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        received.push({ url: req.url ?? '', body, headers: req.headers });
        res.statusCode = req.url === '/broken' ? 500 : 200;
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const w = await world(
        [],
        `external_plugins:\n  acme:\n  - name: everything\n    endpoint: ${base}/all\n  - name: pushes\n    endpoint: ${base}/push\n    events: [push]\n` +
          `  acme/widgets:\n  - name: comments\n    endpoint: ${base}/comments\n    events: [issue_comment]\n  - name: broken\n    endpoint: ${base}/broken\n`,
      );
      const { job } = await commentJob('outsider', 'external', (p) => JSON.stringify(p, null, 3));
      await enqueue(w.queue, job);
      expect(await settled(w.queue, job.delivery)).toBe('completed');
      expect(received.map((r) => r.url).sort()).toEqual(['/all', '/broken', '/comments']);
      for (const r of received) {
        expect(r.body).toBe(job.body);
        expect(r.headers).toMatchObject({
          'x-github-event': 'issue_comment',
          'x-github-delivery': job.delivery,
          'x-hub-signature-256': 'sha256=abc',
          'content-type': 'application/json',
          'user-agent': 'ProwHook',
        });
      }
      expect(w.logs.lines.some((l) => l.level === 40 && l.plugin === 'external:broken' && l.status === 500)).toBe(true);
    } finally {
      await new Promise<void>((r) => server.close(() => { r(); }));
    }
  });
});
