/**
 * Webhook intake under full load: signed `issue_comment` deliveries (a real 12.7 KB payload from
 * @octokit/webhooks-examples) fired by autocannon at prow-ts's hook, which answers 200 only once Redis holds
 * the delivery, beside Probot 14 with a handler that does nothing (it answers before anything is stored) and
 * a naive durable baseline (the same route doing one BullMQ `add` per request). Each server runs in its own
 * child process so the load generator does not share its event loop. `BENCH_DURATION` (s), `BENCH_CONNECTIONS`
 * and `BENCH_ONLY` (comma-separated: probot, naive, journal, ours) tune a run.
 */
import type { ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Probot, createNodeMiddleware } from 'probot';
import { pino } from 'pino';
import { readEnv } from '../lib/env.ts';
import { createLogger } from '../lib/log.ts';
import { createQueue } from '../lib/queue/bullmq.ts';
import { queueNames } from '../lib/queue/names.ts';
import type { RedisSettings } from '../lib/queue/redis.ts';
import { buildHookApp } from '../services/hook/app.ts';
import type { EventJob } from '../services/hook/event-job.ts';
import { eventJobId, eventJobOptions } from '../services/hook/event-job-options.ts';
import type { Intake } from '../services/hook/intake-journal.ts';
import { JournalDrainer } from '../services/hook/journal-drainer.ts';
import { issueCommentBody, sign } from '../services/hook/testing/signed-delivery.ts';
import { parseWebhookSecret } from '../lib/webhooks/webhook-secrets.ts';
import { dropPrefix } from '../test/helpers/redis.ts';
import { startChildServer, stopChild } from './child-server.ts';
import { printResult, printTable } from './report.ts';

/** The part of autocannon's programmatic API used here (it ships no types). */
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
interface AutocannonOptions {
  url: string;
  connections: number;
  duration: number;
  requests: { method: string; path: string; headers: Record<string, string>; body: string; setupRequest: (req: { headers: Record<string, string> }) => unknown }[];
}
type Autocannon = (opts: AutocannonOptions) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

type Role = 'ours' | 'journal' | 'naive' | 'probot';
const secret = 'bench-hook-secret';
const role = process.env.HOOK_BENCH_ROLE as Role | undefined;

/** Child side: start one server on port 0, say where it listens, stop on SIGTERM. */
async function serve(which: Role, redis: RedisSettings): Promise<void> {
  const logger = createLogger({ level: 'warn', name: `bench-${which}` });
  let close: () => Promise<void>;
  let port: number;
  if (which === 'probot') {
    // Probot verifies the signature, parses the JSON and runs the (empty) handler before answering 200.
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const probot = new Probot({ appId: 1, privateKey, secret, log: pino({ level: 'silent' }) });
    const middleware = await createNodeMiddleware(
      (app) => {
        app.on('issue_comment', async () => {
          // Does nothing: the figure is Probot's intake cost alone.
        });
      },
      { probot, webhooksPath: '/hook' },
    );
    const server: Server = createServer((req, res) => {
      void middleware(req, res, () => {
        res.writeHead(404).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    port = typeof address === 'object' && address !== null ? address.port : 0;
    close = () =>
      new Promise((r) => {
        server.close(() => {
          r();
        });
      });
  } else {
    let intake: Intake | undefined;
    let drainer: JournalDrainer | undefined;
    if (which === 'naive') {
      const queue = createQueue<EventJob>(redis, queueNames.events);
      intake = {
        append: async (job) => {
          await queue.add(job.event, job, { ...eventJobOptions, jobId: eventJobId(job.delivery) });
        },
        depth: () => queue.count(),
        close: () => queue.close(),
      };
    } else if (which === 'ours') {
      // The service as `prow start hook` runs it: the journal, and in the same process the drainer.
      drainer = JournalDrainer.start({ redis, logger });
    }
    const app = buildHookApp({ logger, redis, secrets: parseWebhookSecret(secret), pluginConfig: () => ({ plugins: {} }), intake });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    port = typeof address === 'object' && address !== null ? address.port : 0;
    close = async () => {
      await app.close();
      await drainer?.close();
    };
  }
  process.once('SIGTERM', () => {
    void close().finally(() => process.exit(0));
  });
  console.log(`READY ${port}`);
}

/** Parent side: start a child server and wait for its port. */
function startChild(which: Role, redis: RedisSettings): Promise<{ child: ChildProcess; port: number }> {
  const env = { HOOK_BENCH_ROLE: which, PROW_REDIS_URL: redis.url, PROW_REDIS_PREFIX: redis.prefix };
  return startChildServer(fileURLToPath(import.meta.url), env, `${which} server`).then(({ child, ready }) => ({ child, port: Number(ready) }));
}

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  total: number;
  failed: number;
}

async function load(port: number, seconds: number, connections: number, body: string): Promise<Figures> {
  const headers = { 'content-type': 'application/json', 'x-github-event': 'issue_comment', 'x-hub-signature-256': sign(secret, body), 'user-agent': 'GitHub-Hookshot/bench' };
  const r = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/hook',
        headers,
        body,
        // Every delivery is new, as GitHub's are: dedupe must not flatter the figures.
        setupRequest: (req) => ({ ...req, headers: { ...req.headers, 'x-github-delivery': randomUUID() } }),
      },
    ],
  });
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, total: r.requests.total, failed: r.non2xx + r.errors + r.timeouts };
}

async function main(): Promise<void> {
  const env = readEnv();
  const redis: RedisSettings = { url: env.redisUrl, prefix: `prowbench-hook-${randomUUID().slice(0, 8)}` };
  const seconds = Number(process.env.BENCH_DURATION ?? 10);
  const connections = Number(process.env.BENCH_CONNECTIONS ?? 64);
  const body = issueCommentBody();
  const only = process.env.BENCH_ONLY?.split(',');
  const all: { role: Role; label: string }[] = [
    { role: 'probot', label: 'Probot 14, empty handler (not durable)' },
    { role: 'naive', label: 'hook route + one BullMQ add per request' },
    { role: 'journal', label: 'prow-ts hook: journal only (drainer elsewhere)' },
    { role: 'ours', label: 'prow-ts hook: journal + drainer in-process' },
  ];
  const contenders = only === undefined ? all : all.filter((c) => only.includes(c.role));
  const figures = new Map<Role, Figures>();
  try {
    for (const c of contenders) {
      const { child } = await startChild(c.role, redis).then(async (started) => {
        await load(started.port, 2, connections, body);
        figures.set(c.role, await load(started.port, seconds, connections, body));
        return started;
      });
      await stopChild(child);
      await dropPrefix(redis);
    }
  } finally {
    await dropPrefix(redis);
  }
  const rows = contenders.map((c) => {
    const f = figures.get(c.role);
    return { server: c.label, 'req/s': f?.rps ?? NaN, 'p50 ms': f?.p50 ?? NaN, 'p99 ms': f?.p99 ?? NaN, requests: f?.total ?? 0, 'non-2xx/errors': f?.failed ?? 0 };
  });
  printTable(`hook: signed ${body.length.toLocaleString('en-US')}-byte issue_comment webhooks, ${connections} connections, ${seconds} s each after a 2 s warm-up`, rows);
  console.log(`Load generator, server and Redis share this machine (${availableParallelism()} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}): compare the columns, not the absolute figures.`);
  // `rps` is the intake alone (what GitHub waits for); the drainer can run in any process of the group, and
  // its in-process cost is reported beside it rather than hidden.
  const intake = figures.get('journal');
  const inProcess = figures.get('ours');
  const probot = figures.get('probot');
  printResult('hook', {
    ratio: (intake?.rps ?? NaN) / (probot?.rps ?? NaN),
    rps: intake?.rps ?? NaN,
    p50_ms: intake?.p50 ?? NaN,
    p99_ms: intake?.p99 ?? NaN,
    probot_rps: probot?.rps ?? NaN,
    inprocess_drainer_rps: inProcess?.rps ?? NaN,
    inprocess_drainer_ratio: (inProcess?.rps ?? NaN) / (probot?.rps ?? NaN),
    inprocess_drainer_p99_ms: inProcess?.p99 ?? NaN,
    naive_rps: figures.get('naive')?.rps ?? NaN,
    load_avg_1m: loadavg()[0] ?? NaN,
  });
}

if (role === undefined) {
  await main();
} else {
  const env = readEnv();
  await serve(role, { url: env.redisUrl, prefix: env.redisPrefix });
}
