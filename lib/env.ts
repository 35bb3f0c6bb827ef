import { ProwError } from './errors.ts';

/** Everything prow-ts reads from the environment, read in this one place. */
export interface ProwEnv {
  redisUrl: string;
  redisPrefix: string;
  logLevel: string;
  githubApiUrl: string | undefined;
  githubToken: string | undefined;
  githubAppId: string | undefined;
  githubAppPrivateKey: string | undefined;
  githubAppInstallationId: number | undefined;
  webhookSecret: string | undefined;
  ghproxyUrl: string | undefined;
  port: number | undefined;
}

function optional(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v === '' ? undefined : v;
}

function optionalInt(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const v = optional(env, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new ProwError('PROW_ERR_ENV_INVALID', name, `"${v}" is not a whole number`);
  return n;
}

/** Reads and checks prow-ts's environment variables. `PROW_`-prefixed names win over the plain ones. */
export function readEnv(env: NodeJS.ProcessEnv = process.env): ProwEnv {
  const redisUrl = optional(env, 'PROW_REDIS_URL') ?? optional(env, 'REDIS_URL') ?? 'redis://127.0.0.1:6379';
  if (!/^rediss?:\/\//.test(redisUrl)) {
    throw new ProwError('PROW_ERR_ENV_INVALID', 'REDIS_URL', `"${redisUrl}" must start with redis:// or rediss://`);
  }
  const privateKey = optional(env, 'GITHUB_APP_PRIVATE_KEY');
  return {
    redisUrl,
    redisPrefix: optional(env, 'PROW_REDIS_PREFIX') ?? 'prow',
    logLevel: optional(env, 'LOG_LEVEL') ?? 'info',
    githubApiUrl: optional(env, 'GITHUB_API_URL'),
    githubToken: optional(env, 'GITHUB_TOKEN'),
    githubAppId: optional(env, 'GITHUB_APP_ID'),
    githubAppPrivateKey: privateKey?.replace(/\\n/g, '\n'),
    githubAppInstallationId: optionalInt(env, 'GITHUB_APP_INSTALLATION_ID'),
    webhookSecret: optional(env, 'WEBHOOK_SECRET'),
    ghproxyUrl: optional(env, 'GHPROXY_URL'),
    port: optionalInt(env, 'PORT'),
  };
}
