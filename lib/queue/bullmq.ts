import { Queue, Worker, type Processor, type WorkerOptions, type QueueOptions } from 'bullmq';
import type { RedisSettings } from './redis.ts';
import type { QueueName } from './names.ts';

function connection(settings: RedisSettings): QueueOptions['connection'] {
  return { url: settings.url, maxRetriesPerRequest: null };
}

/** A BullMQ queue under the configured prefix. */
export function createQueue<T = unknown>(settings: RedisSettings, name: QueueName): Queue<T> {
  return new Queue<T>(name, { connection: connection(settings), prefix: settings.prefix });
}

/** A BullMQ worker under the configured prefix. */
export function createWorker<T = unknown>(
  settings: RedisSettings,
  name: QueueName,
  processor: Processor<T>,
  opts: Omit<WorkerOptions, 'connection' | 'prefix'> = {},
): Worker<T> {
  return new Worker<T>(name, processor, { ...opts, connection: connection(settings), prefix: settings.prefix });
}
