import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { JobsOptions, Queue } from 'bullmq';
import { loadConfigOrThrow } from '../../../../lib/config/index.ts';
import type { ConfigSnapshotView } from '../../../../plugins/plugin.ts';
import type { EventJob } from '../../event-job.ts';

/** Loads a real configuration from an empty config.yaml and the given plugins.yaml text, as the services do. */
export async function loadTestConfig(pluginsYaml: string): Promise<ConfigSnapshotView> {
  const dir = await mkdtemp(path.join(tmpdir(), 'prow-worker-'));
  try {
    await writeFile(path.join(dir, 'config.yaml'), '{}\n');
    await writeFile(path.join(dir, 'plugins.yaml'), pluginsYaml);
    const loaded = await loadConfigOrThrow({ configPath: path.join(dir, 'config.yaml'), pluginConfigPath: path.join(dir, 'plugins.yaml') });
    return { prow: loaded.config, plugins: loaded.plugins };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** An EventJob as intake writes it: the body exactly as sent, and GitHub's headers. */
export function eventJob(event: string, delivery: string, body: string, extraHeaders: Record<string, string> = {}): EventJob {
  return {
    event,
    delivery,
    body,
    headers: { 'x-github-event': event, 'x-github-delivery': delivery, 'content-type': 'application/json', 'user-agent': 'GitHub-Hookshot/test', ...extraHeaders },
    receivedAt: Date.now(),
  };
}

/** Adds `job` to the events queue the way intake does (job id = delivery), with quick retries for tests. */
export async function enqueue(queue: Queue<EventJob>, job: EventJob, opts: JobsOptions = {}): Promise<void> {
  await queue.add(job.event, job, { jobId: job.delivery, attempts: 3, backoff: { type: 'fixed', delay: 10 }, ...opts });
}

/** Waits until the job is completed or failed (not merely between attempts); returns that state. */
export async function settled(queue: Queue<EventJob>, delivery: string, timeoutMs = 20_000): Promise<'completed' | 'failed'> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await queue.getJobState(delivery);
    if (state === 'completed' || state === 'failed') return state;
    if (Date.now() > deadline) throw new Error(`delivery ${delivery} still ${state} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
