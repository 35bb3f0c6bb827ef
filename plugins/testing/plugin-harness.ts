import { randomUUID } from 'node:crypto';
import { Octokit } from '@octokit/rest';
import { startEmulator, type RunningEmulator } from '../../emulator/github/index.ts';
import { startWebhookReceiver } from '../../emulator/github/testing/webhook-receiver.ts';
import type { PluginConfig, ProwConfig } from '../../lib/config/index.ts';
import { ProwOctokit } from '../../lib/github/prow-octokit.ts';
import type { JobStore } from '../../lib/jobs/job-store.ts';
import { createRedisJobStore } from '../../lib/jobs/redis-job-store.ts';
import { memoryLogger } from '../../test/helpers/memory-logger.ts';
import { dropPrefix, uniqueRedis } from '../../test/helpers/redis.ts';
import { toGenericComment, type GenericComment } from '../generic-comment.ts';
import type { Plugin, PluginContextBase } from '../plugin.ts';

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** One webhook the emulator sent, parsed. */
export interface SentEvent {
  event: string;
  delivery: string;
  payload: Record<string, unknown>;
}

/**
 * A world for plugin tests, on the real emulator: org `acme` with repo `acme/widgets`; users `admin` (org
 * admin), `member` (org member with write through the org), `collab` (outside collaborator, write),
 * `outsider` (no rights); the bot `prow-bot` (org member, write). Every webhook the emulator sends is
 * recorded, so a test acts as a user over REST and hands the resulting payload to the plugin. ProwJobs go to
 * a real Redis job store on a key prefix of the harness's own.
 */
export interface PluginHarness {
  emu: RunningEmulator;
  org: string;
  repo: string;
  tokens: Record<string, string>;
  /** A plain Octokit acting as `login`. */
  as(login: string): Octokit;
  /** The bot's ProwOctokit (retries fast, no throttling waits), what plugins act with. */
  bot: ProwOctokit;
  logs: ReturnType<typeof memoryLogger>;
  /** The job store every context shares, on a Redis prefix no other harness uses (dropped in close()). */
  jobs: JobStore;
  /**
   * The context a plugin runs with for `acme/widgets`, with a bot client of its own (hooks added to it stay
   * local) and a delivery id of its own, as each webhook has.
   */
  context(config?: { prow?: Partial<ProwConfig>; plugins?: Partial<PluginConfig> }): PluginContextBase;
  /** Every webhook delivered so far (waits for pending deliveries first). */
  events(): Promise<SentEvent[]>;
  /** Posts `body` as `login` on issue/PR `number` and returns Prow's generic comment for it, from the real webhook. */
  comment(login: string, number: number, body: string): Promise<GenericComment>;
  /** Runs the plugin's generic-comment handler the way hook does. */
  runComment(plugin: Plugin, comment: GenericComment, config?: Parameters<PluginHarness['context']>[0]): Promise<void>;
  close(): Promise<void>;
}

export async function startPluginHarness(): Promise<PluginHarness> {
  const emu = await startEmulator({ logger: memoryLogger('warn').logger });
  const receiver = await startWebhookReceiver();
  const control = emu.control;
  const tokens: Record<string, string> = {};
  for (const login of ['admin', 'member', 'collab', 'outsider', 'prow-bot']) tokens[login] = (await control.createUser({ login })).token;
  await control.createOrg({ login: 'acme', admins: ['admin'], members: ['member', 'prow-bot'], defaultRepoPermission: 'write' });
  await control.createRepo({ owner: 'acme', name: 'widgets', collaborators: { collab: 'write' } });
  await control.addWebhook({ owner: 'acme', url: receiver.url, secret: 'harness' });
  const logs = memoryLogger('debug');
  const botClient = (): ProwOctokit =>
    new ProwOctokit({
      baseUrl: emu.url,
      auth: tokens['prow-bot'],
      logger: logs.logger,
      retries: { retries: 1, retryAfterBaseValue: 1 },
      // Production spaces writes a second apart (GitHub's guidance); tests would spend minutes waiting.
      rateLimits: { enabled: false },
    });
  const bot = botClient();
  const redis = uniqueRedis('harness');
  const jobs = createRedisJobStore(redis);

  const events = async (): Promise<SentEvent[]> => {
    await control.waitForDeliveries();
    return receiver.received.map((r) => ({
      event: String(r.headers['x-github-event']),
      delivery: String(r.headers['x-github-delivery']),
      payload: JSON.parse(r.body) as Record<string, unknown>,
    }));
  };

  const harness: PluginHarness = {
    emu,
    org: 'acme',
    repo: 'widgets',
    tokens,
    as: (login) => new Octokit({ baseUrl: emu.url, auth: tokens[login], log: silent }),
    bot,
    logs,
    jobs,
    context: (config = {}) => ({
      delivery: `harness-${randomUUID()}`,
      github: botClient(),
      log: logs.logger,
      config: {
        prow: config.prow as ProwConfig,
        plugins: { plugins: {}, ...config.plugins },
      },
      botLogin: 'prow-bot',
      org: 'acme',
      repo: 'widgets',
      jobs,
    }),
    events,
    async comment(login, number, body) {
      const { data } = await harness.as(login).rest.issues.createComment({ owner: 'acme', repo: 'widgets', issue_number: number, body });
      const sent = (await events()).find((e) => e.event === 'issue_comment' && (e.payload.comment as { id?: number } | undefined)?.id === data.id);
      const generic = sent && toGenericComment(sent.event, sent.payload);
      if (!generic) throw new Error(`the emulator sent no issue_comment webhook for comment ${data.id}`);
      return generic;
    },
    async runComment(plugin, comment, config) {
      if (!plugin.genericComment) throw new Error(`plugin ${plugin.name} has no generic-comment handler`);
      await plugin.genericComment(harness.context(config), comment);
    },
    async close() {
      await emu.close();
      await receiver.close();
      await jobs.close();
      await dropPrefix(redis);
    },
  };
  return harness;
}
