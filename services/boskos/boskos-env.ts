import { envDuration, envFlag, envList, envString, envWhole } from '../../lib/env-vars.ts';
import { ProwError } from '../../lib/errors.ts';

/** The reaper: leases whose owner stopped heartbeating go back to `target` (Boskos' cmd/reaper). */
export interface ReaperEnv {
  expireMs: number;
  periodMs: number;
  states: string[];
  target: string;
}

/** The janitor: cleans dirty resources with a command and frees them (Boskos' cmd/janitor). */
export interface JanitorEnv {
  /** The program and its arguments; the janitor adds `--<type suffix>=<name>` at the end. */
  command: string[];
  poolSize: number;
  heartbeatMs: number;
  idleMs: number;
}

/** What the boskos service reads from the environment (`BOSKOS_*`). */
export interface BoskosEnv {
  /** `BOSKOS_PORT`; Boskos' 8080 when unset. */
  port: number | undefined;
  /** `BOSKOS_CONFIG`: Boskos' resources file; without one the ranch serves what Redis holds. */
  configPath: string | undefined;
  /** `BOSKOS_REQUEST_TTL`: how long a request_id keeps its place without polling (Boskos' --request-ttl, 30s). */
  requestTtlMs: number;
  /** `BOSKOS_SYNC_PERIOD`: how often dynamic resources are created, expired and cleaned (1m). */
  syncPeriodMs: number;
  /** Unset when `BOSKOS_REAPER=false`. */
  reaper: ReaperEnv | undefined;
  /** Set when `BOSKOS_JANITOR_COMMAND` is. */
  janitor: JanitorEnv | undefined;
}

/** What `prow boskos` reads: where Boskos is and who we are. */
export interface BoskosClientEnv {
  /** `BOSKOS_URL`, else http://127.0.0.1:8080. */
  url: string;
  /** `BOSKOS_OWNER`, else `JOB_NAME` (what Prow gives a job's Pod, and what Boskos clients use by convention). */
  owner: string | undefined;
}

/** A command line: a JSON array of strings, or words separated by spaces. */
function command(env: NodeJS.ProcessEnv, name: string): string[] | undefined {
  const v = envString(env, name)?.trim();
  if (v === undefined) return undefined;
  if (v.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((a) => typeof a === 'string' && a !== '')) {
      throw new ProwError('PROW_ERR_ENV_INVALID', name, 'a JSON command must be a non-empty array of strings, e.g. ["/bin/gcp_janitor.py", "--hours=0"]');
    }
    return parsed as string[];
  }
  return v.split(/\s+/);
}

/** Reads and checks the boskos service's environment. */
export function readBoskosEnv(env: NodeJS.ProcessEnv = process.env): BoskosEnv {
  const janitorCommand = command(env, 'BOSKOS_JANITOR_COMMAND');
  return {
    port: envWhole(env, 'BOSKOS_PORT'),
    configPath: envString(env, 'BOSKOS_CONFIG'),
    requestTtlMs: envDuration(env, 'BOSKOS_REQUEST_TTL') ?? 30_000,
    syncPeriodMs: envDuration(env, 'BOSKOS_SYNC_PERIOD') ?? 60_000,
    reaper:
      envFlag(env, 'BOSKOS_REAPER') === false
        ? undefined
        : {
            expireMs: envDuration(env, 'BOSKOS_REAPER_EXPIRE') ?? 30 * 60_000,
            periodMs: envDuration(env, 'BOSKOS_REAPER_PERIOD') ?? 60_000,
            states: envList(env, 'BOSKOS_REAPER_STATES') ?? ['busy', 'cleaning', 'leased'],
            target: envString(env, 'BOSKOS_REAPER_TARGET') ?? 'dirty',
          },
    janitor:
      janitorCommand === undefined
        ? undefined
        : {
            command: janitorCommand,
            poolSize: envWhole(env, 'BOSKOS_JANITOR_POOL_SIZE', 1) ?? 4,
            heartbeatMs: envDuration(env, 'BOSKOS_JANITOR_HEARTBEAT') ?? 5 * 60_000,
            idleMs: envDuration(env, 'BOSKOS_JANITOR_IDLE') ?? 60_000,
          },
  };
}

/** Reads `prow boskos`' environment. */
export function readBoskosClientEnv(env: NodeJS.ProcessEnv = process.env): BoskosClientEnv {
  return { url: envString(env, 'BOSKOS_URL') ?? 'http://127.0.0.1:8080', owner: envString(env, 'BOSKOS_OWNER') ?? envString(env, 'JOB_NAME') };
}
