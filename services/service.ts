import type { Logger } from '../lib/log.ts';
import type { ProwEnv } from '../lib/env.ts';
import type { RedisSettings } from '../lib/queue/redis.ts';
import type { GitHubClient } from '../lib/github/github-client.ts';
import type { LoadOptions } from '../lib/config/index.ts';

/** Where GitHub is for this process: the client every service uses, and the webhook secret. */
export interface GitHubTarget {
  client: GitHubClient;
  /** The bot's login (the token's user, or the App's `<slug>[bot]`), to recognise its own comments. */
  botLogin: string;
  /** True when the target is the in-process emulator rather than GitHub. */
  emulated: boolean;
  /** HMAC secret of the webhook: one token, or Prow's YAML map keyed org/repo, org, `*`. */
  webhookSecret: string;
}

/** What every service gets from `prow start`. */
export interface ServiceContext {
  env: ProwEnv;
  logger: Logger;
  redis: RedisSettings;
  github: GitHubTarget;
  /** Where Prow's files are, and which plugins exist, for loadConfig and ConfigWatcher. */
  configPaths: LoadOptions;
}

/** A service as it runs: the URL it listens on (if any) and how to stop it after in-flight work. */
export interface RunningService {
  name: string;
  url?: string | undefined;
  /** Where GitHub should POST webhooks: hook, and tide, which syncs sooner on each. */
  webhookUrl?: string | undefined;
  close(): Promise<void>;
}

/** One prow-ts service: `prow start <name>` runs it; `prow start` runs them all in one process. */
export interface Service {
  name: string;
  summary: string;
  start(ctx: ServiceContext): Promise<RunningService>;
}
