import { parseGoDuration } from './config/go/go-duration.ts';
import { ProwError } from './errors.ts';

/**
 * The one way an environment variable is read and checked. Each reader returns undefined when the variable
 * is unset or blank, so the caller's default reads `envWhole(env, 'X') ?? 25`; a value that is set but wrong
 * throws PROW_ERR_ENV_INVALID naming the variable and saying what would be right. lib/env.ts reads the
 * variables every service shares; a service's own (`BOSKOS_*`, `GHPROXY_*`) are read by its settings module
 * with these same readers.
 */
type Env = NodeJS.ProcessEnv;

/** The value as set, or undefined when unset or only whitespace. */
export function envString(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v;
}

/** A whole number of at least `min` (0 by default). */
export function envWhole(env: Env, name: string, min = 0): number | undefined {
  const v = envString(env, name)?.trim();
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new ProwError('PROW_ERR_ENV_INVALID', name, `"${v}" is not a whole number${min > 0 ? ` of at least ${String(min)}` : ''}`);
  return n;
}

/** A positive Go duration (`30s`, `5m`, `2160h`), in milliseconds. */
export function envDuration(env: Env, name: string): number | undefined {
  const v = envString(env, name)?.trim();
  if (v === undefined) return undefined;
  const ms = parseGoDuration(v);
  if (ms === undefined || ms <= 0) throw new ProwError('PROW_ERR_ENV_INVALID', name, `"${v}" is not a positive Go duration such as 30s, 5m or 2160h`);
  return ms;
}

/** `true`/`1` or `false`/`0`, in any case. */
export function envFlag(env: Env, name: string): boolean | undefined {
  const v = envString(env, name)?.trim().toLowerCase();
  if (v === undefined) return undefined;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new ProwError('PROW_ERR_ENV_INVALID', name, `"${v}" is not true or false`);
}

/** One of `choices`, exactly. */
export function envChoice<T extends string>(env: Env, name: string, choices: readonly T[]): T | undefined {
  const v = envString(env, name)?.trim();
  if (v === undefined) return undefined;
  const choice = choices.find((c) => c === v);
  if (choice === undefined) throw new ProwError('PROW_ERR_ENV_INVALID', name, `"${v}" is not one of ${choices.join(', ')}`);
  return choice;
}

/** An http(s) URL, without trailing slashes. */
export function envUrl(env: Env, name: string): string | undefined {
  const v = envString(env, name)?.trim();
  if (v === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(v);
  } catch {
    throw new ProwError('PROW_ERR_ENV_INVALID', name, `"${v}" is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ProwError('PROW_ERR_ENV_INVALID', name, `"${v}" must start with http:// or https://`);
  return v.replace(/\/+$/, '');
}

/** Items separated by commas (and, with `spaces`, by whitespace too), blanks dropped. */
export function envList(env: Env, name: string, spaces = false): string[] | undefined {
  const v = envString(env, name);
  if (v === undefined) return undefined;
  return v
    .split(spaces ? /[\s,]+/ : ',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
