import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { createQueue } from '../../lib/queue/bullmq.ts';
import { queueNames } from '../../lib/queue/names.ts';
import type { RedisSettings } from '../../lib/queue/redis.ts';
import { memoryLogger } from '../../test/helpers/memory-logger.ts';
import { dropPrefix, uniqueRedis } from '../../test/helpers/redis.ts';
import type { EventJob } from './event-job.ts';
import { eventJobId } from './event-job-options.ts';
import { IntakeJournal } from './intake-journal.ts';
import { JournalDrainer } from './journal-drainer.ts';
import { intakeGroup, intakeStreamKey, seenKey } from './journal-entry.ts';
import { eventually, issueCommentBody } from './testing/signed-delivery.ts';

let redis: RedisSettings;
let client: Redis;
const cleanup: (() => Promise<unknown>)[] = [];

beforeEach(() => {
  redis = uniqueRedis('hook-drainer');
  client = new Redis(redis.url);
});

afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
  await dropPrefix(redis);
  client.disconnect();
});

const job = (delivery: string = randomUUID()): EventJob => ({
  event: 'issue_comment',
  delivery,
  body: issueCommentBody(),
  headers: { 'x-github-event': 'issue_comment', 'x-github-delivery': delivery },
  receivedAt: Date.now(),
});

function journal(): IntakeJournal {
  const j = new IntakeJournal({ redis, logger: memoryLogger().logger });
  cleanup.push(() => j.close());
  return j;
}

function startDrainer(opts: { claimIdleMs?: number; metrics?: Registry } = {}): JournalDrainer {
  const d = JournalDrainer.start({ redis, logger: memoryLogger().logger, blockMs: 100, ...opts });
  cleanup.push(() => d.close());
  return d;
}

function eventsQueue() {
  const q = createQueue<EventJob>(redis, queueNames.events);
  cleanup.push(() => q.close());
  return q;
}

const key = () => intakeStreamKey(redis.prefix);
const drained = () => eventually(async () => ((await client.xlen(key())) === 0 ? true : undefined), 'the journal to empty');
const totalJobs = (q: ReturnType<typeof eventsQueue>) => q.getJobCountByTypes('waiting', 'active', 'delayed', 'completed', 'failed');

/** Reads entries as a drainer that then dies: they stay pending under its name. */
async function readAsDeadDrainer(): Promise<string[]> {
  await client.xgroup('CREATE', key(), intakeGroup, '0', 'MKSTREAM');
  const reply = (await client.xreadgroup('GROUP', intakeGroup, 'dead-drainer', 'COUNT', 100, 'STREAMS', key(), '>')) as [string, [string, string[]][]][];
  return (reply[0]?.[1] ?? []).map(([id]) => id);
}

describe('JournalDrainer', () => {
  it('moves what was journalled while no drainer ran, once one starts', async () => {
    const j = journal();
    const accepted = [job(), job(), job()];
    await Promise.all(accepted.map((a) => j.append(a)));
    expect(await client.xlen(key())).toBe(3);
    // No drainer yet: a crash now loses nothing, the entries wait in Redis.
    const queue = eventsQueue();
    expect(await totalJobs(queue)).toBe(0);

    startDrainer();
    await drained();
    for (const a of accepted) expect((await queue.getJob(a.delivery))?.data).toEqual(a);
    expect(await totalJobs(queue)).toBe(3);
  });

  it('takes over entries a dead drainer had read but not moved', async () => {
    const j = journal();
    const accepted = job();
    await j.append(accepted);
    const taken = await readAsDeadDrainer();
    expect(taken).toHaveLength(1);
    expect((await client.xpending(key(), intakeGroup))[0]).toBe(1);

    const logs = memoryLogger();
    const d = JournalDrainer.start({ redis, logger: logs.logger, blockMs: 100, claimIdleMs: 50 });
    cleanup.push(() => d.close());
    const queue = eventsQueue();
    await eventually(async () => queue.getJob(accepted.delivery), 'the claimed job');
    await drained();
    expect((await client.xpending(key(), intakeGroup))[0]).toBe(0);
    expect(logs.lines.map((l) => l.msg)).toContain('drainer: took over deliveries a stopped drainer left');
  });

  it('still moves an entry whose drainer died after claiming the delivery and before adding the job', async () => {
    const j = journal();
    const accepted = job();
    await j.append(accepted);
    const [entry] = await readAsDeadDrainer();
    await client.set(seenKey(redis.prefix, accepted.delivery), entry ?? '', 'EX', 60);

    startDrainer({ claimIdleMs: 50 });
    const queue = eventsQueue();
    expect((await eventually(async () => queue.getJob(accepted.delivery), 'the job')).data.delivery).toBe(accepted.delivery);
  });

  it('makes one job of a delivery journalled twice, and counts the duplicate', async () => {
    const j = journal();
    const accepted = job();
    await Promise.all([j.append(accepted), j.append({ ...accepted, receivedAt: accepted.receivedAt + 1 })]);
    const metrics = new Registry();
    startDrainer({ metrics });
    await drained();
    const queue = eventsQueue();
    expect(await totalJobs(queue)).toBe(1);
    expect((await queue.getJob(accepted.delivery))?.data.receivedAt).toBe(accepted.receivedAt);
    const text = await metrics.metrics();
    expect(text).toContain('prow_hook_intake_moved_total 1');
    expect(text).toContain('prow_hook_intake_duplicates_total 1');
  });

  it('gives deliveries BullMQ would refuse as job ids a stable id of their own', async () => {
    const j = journal();
    const odd = job('odd:delivery:id:here');
    const numeric = job('12345');
    await Promise.all([j.append(odd), j.append(numeric)]);
    startDrainer();
    await drained();
    const queue = eventsQueue();
    expect(eventJobId(odd.delivery)).not.toContain(':');
    expect((await queue.getJob(eventJobId(odd.delivery)))?.data.delivery).toBe(odd.delivery);
    expect((await queue.getJob(eventJobId(numeric.delivery)))?.data.delivery).toBe(numeric.delivery);
    expect(eventJobId('72d3162e-cc78-11e3-81ab-4c9367dc0958')).toBe('72d3162e-cc78-11e3-81ab-4c9367dc0958');
  });

  it('shares the work between several drainers without doubling any delivery', async () => {
    const j = journal();
    const accepted = Array.from({ length: 60 }, () => job());
    startDrainer();
    startDrainer();
    await Promise.all(accepted.map((a) => j.append(a)));
    await drained();
    const queue = eventsQueue();
    expect(await totalJobs(queue)).toBe(60);
  });
});
