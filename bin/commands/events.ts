import { parseArgs } from 'node:util';
import { readEnv } from '../../lib/env.ts';
import { ProwError } from '../../lib/errors.ts';
import { createQueue } from '../../lib/queue/bullmq.ts';
import { queueNames } from '../../lib/queue/names.ts';
import { assertRedisReachable, createRedis, type RedisSettings } from '../../lib/queue/redis.ts';
import type { EventJob } from '../../services/hook/event-job.ts';
import { DeliveryLedger } from '../../services/hook/worker/delivery-ledger.ts';
import { failedDeliveries, retryAllFailed, retryDelivery } from '../../services/hook/worker/failed-deliveries.ts';
import type { Command } from './types.ts';

const usage = `usage: prow events failed [--limit N]
       prow events retry <delivery> | --all

Inspects and retries webhook deliveries that hook's workers could not handle: those that used up
their attempts (5xx, network errors) or failed for good (a 4xx such as 404 or 422).

verbs:
  failed [--limit N]   print the newest N failed deliveries (100 by default), one JSON object a line:
                       delivery, event, failedReason, attempts, failedAt, pluginsNotDone, failures
  retry <delivery>     put one failed delivery back in the queue with fresh attempts; plugins that
                       completed before do not run again
  retry --all          the same for every failed delivery

Redis comes from REDIS_URL and PROW_REDIS_PREFIX, as for the services.`;

/** What `runEvents` writes to and reads from; tests pass their own Redis. */
export interface EventsIo {
  print(line: string): void;
  redis?: RedisSettings | undefined;
}

function parse(argv: string[]): { verb: string | undefined; target: string | undefined; limit: number; all: boolean } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { limit: { type: 'string', default: '100' }, all: { type: 'boolean', default: false } },
    });
  } catch (err) {
    throw new ProwError('PROW_ERR_USAGE', (err as Error).message);
  }
  const [verb, target, ...rest] = parsed.positionals;
  if (rest.length > 0) throw new ProwError('PROW_ERR_USAGE', `prow events: unexpected arguments ${rest.join(' ')}`);
  const limit = Number(parsed.values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new ProwError('PROW_ERR_USAGE', `prow events failed: --limit must be a positive whole number, not "${parsed.values.limit}"`);
  return { verb, target, limit, all: parsed.values.all };
}

/** Runs `prow events`; resolves to the exit code. */
export async function runEvents(argv: string[], io: EventsIo): Promise<number> {
  const { verb, target, limit, all } = parse(argv);
  if (verb !== 'failed' && verb !== 'retry') throw new ProwError('PROW_ERR_USAGE', `prow events needs a verb: failed or retry${verb === undefined ? '' : `, not "${verb}"`}`);
  if (verb === 'failed' && target !== undefined) throw new ProwError('PROW_ERR_USAGE', `prow events failed takes no delivery, got "${target}"`);
  if (verb === 'retry' && (target === undefined) === !all) throw new ProwError('PROW_ERR_USAGE', 'prow events retry needs one delivery id, or --all');

  const settings = io.redis ?? (({ redisUrl, redisPrefix }) => ({ url: redisUrl, prefix: redisPrefix }))(readEnv());
  await assertRedisReachable(settings.url);
  const queue = createQueue<EventJob>(settings, queueNames.events);
  const redis = createRedis(settings);
  const ledger = new DeliveryLedger(redis, settings.prefix);
  try {
    if (verb === 'failed') {
      for (const failed of await failedDeliveries(queue, ledger, limit)) io.print(JSON.stringify(failed));
    } else if (target !== undefined) {
      await retryDelivery(queue, ledger, target);
      io.print(JSON.stringify({ delivery: target, retried: true }));
    } else {
      for (const delivery of await retryAllFailed(queue, ledger)) io.print(JSON.stringify({ delivery, retried: true }));
    }
    return 0;
  } finally {
    await queue.close();
    redis.disconnect();
  }
}

/** `prow events`: list the deliveries hook's workers failed on, and put them back in the queue. */
export const events: Command = {
  name: 'events',
  summary: 'list failed webhook deliveries and retry them',
  usage,
  run: (argv) =>
    runEvents(argv, {
      print: (line) => {
        console.log(line);
      },
    }),
};
