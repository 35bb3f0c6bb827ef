/** BullMQ queue names, one place for all of them. Every queue lives under the Redis prefix. */
export const queueNames = {
  /** Raw webhook deliveries, job id = X-GitHub-Delivery. */
  events: 'events',
  /** Stale aging sweeps, one job scheduler per repo (plugins/lifecycle/stale-sweeper.ts). */
  staleSweep: 'stale-sweep',
} as const;

export type QueueName = (typeof queueNames)[keyof typeof queueNames];

/** A Redis key under the prefix and the service: `<prefix>:<service>:<parts...>`. */
export function redisKey(prefix: string, service: string, ...parts: string[]): string {
  return [prefix, service, ...parts].join(':');
}
