import { ProwError } from '../../lib/errors.ts';

/** What the dashboard is configured with; `readTestgridSettings` reads it from `TESTGRID_*`. */
export interface TestgridSettings {
  /** `TESTGRID_PORT`, 8891 by default. */
  port: number;
  /** `TESTGRID_TIDE_URL`: Tide's HTTP root (`GET /`, `/history`); unset reads Tide's pool store in Redis. */
  tideUrl: string | undefined;
  /** `TESTGRID_HOOK_URL`: hook's HTTP root (`/plugin-help`); unset builds the help from the plugin table. */
  hookUrl: string | undefined;
}

/** The dashboard's port. */
export const defaultTestgridPort = 8891;

function optional(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v === '' ? undefined : v;
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const v = optional(env, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new ProwError('PROW_ERR_ENV_INVALID', name, `"${v}" is not a port (a whole number from 0 to 65535)`);
  return n;
}

function url(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = optional(env, name);
  if (v === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(v);
  } catch {
    throw new ProwError('PROW_ERR_ENV_INVALID', name, `"${v}" is not a URL; give it as http://host:port`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ProwError('PROW_ERR_ENV_INVALID', name, `"${v}" must start with http:// or https://`);
  return v.replace(/\/+$/, '');
}

/** Reads the dashboard's settings, throwing PROW_ERR_ENV_INVALID naming the variable that is wrong. */
export function readTestgridSettings(env: NodeJS.ProcessEnv = process.env): TestgridSettings {
  return {
    port: port(env, 'TESTGRID_PORT', defaultTestgridPort),
    tideUrl: url(env, 'TESTGRID_TIDE_URL'),
    hookUrl: url(env, 'TESTGRID_HOOK_URL'),
  };
}
