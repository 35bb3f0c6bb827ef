import type { Logger } from '../lib/log.ts';
import type { ProwEnv } from '../lib/env.ts';
import type { RedisSettings } from '../lib/queue/redis.ts';

/** Where GitHub is for this process: its API base URL, and the webhook secret to verify deliveries with. */
export interface GitHubTarget {
  apiUrl: string;
  /** True when the target is the in-process emulator rather than GitHub. */
  emulated: boolean;
  webhookSecret: string;
}

/** What every service gets from `prow start`. */
export interface ServiceContext {
  env: ProwEnv;
  logger: Logger;
  redis: RedisSettings;
  github: GitHubTarget;
  configPaths: { configPath: string; jobConfigPath?: string | undefined; pluginConfigPath?: string | undefined };
}

/** A service as it runs: the URL it listens on (if any) and how to stop it after in-flight work. */
export interface RunningService {
  name: string;
  url?: string | undefined;
  close(): Promise<void>;
}

/** One prow-ts service: `prow start <name>` runs it; `prow start` runs them all in one process. */
export interface Service {
  name: string;
  summary: string;
  start(ctx: ServiceContext): Promise<RunningService>;
}
