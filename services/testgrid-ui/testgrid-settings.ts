import { envDuration, envString, envUrl, envWhole } from '../../lib/env-vars.ts';
import { ProwError } from '../../lib/errors.ts';

/** What the dashboard is configured with; `readTestgridSettings` reads it from `TESTGRID_*`. */
export interface TestgridSettings {
  /** `TESTGRID_PORT`, 8891 by default. */
  port: number;
  /** `TESTGRID_TIDE_URL`: Tide's HTTP root (`GET /`, `/history`); unset reads Tide's pool store in Redis. */
  tideUrl: string | undefined;
  /** `TESTGRID_HOOK_URL`: hook's HTTP root (`/plugin-help`); unset builds the help from the plugin table. */
  hookUrl: string | undefined;
  /** `TESTGRID_CONFIG`: TestGrid's configuration file (test_groups, dashboards); unset, only Prow's annotations make them. */
  configFile: string | undefined;
  /** `TESTGRID_UPDATE_INTERVAL` (Go duration): how often the updater reads storage; 30 s by default. */
  updateIntervalMs: number;
  /** `TESTGRID_PARSER_THREADS`: worker threads parsing JUnit; 1 by default, 0 parses on the main thread. */
  parserThreads: number;
}

/** The dashboard's port. */
export const defaultTestgridPort = 8891;

/** Reads the dashboard's settings, throwing PROW_ERR_ENV_INVALID naming the variable that is wrong. */
export function readTestgridSettings(env: NodeJS.ProcessEnv = process.env): TestgridSettings {
  const port = envWhole(env, 'TESTGRID_PORT') ?? defaultTestgridPort;
  if (port > 65_535) throw new ProwError('PROW_ERR_ENV_INVALID', 'TESTGRID_PORT', `${String(port)} is not a port (a whole number from 0 to 65535)`);
  return {
    port,
    tideUrl: envUrl(env, 'TESTGRID_TIDE_URL'),
    hookUrl: envUrl(env, 'TESTGRID_HOOK_URL'),
    configFile: envString(env, 'TESTGRID_CONFIG')?.trim(),
    updateIntervalMs: envDuration(env, 'TESTGRID_UPDATE_INTERVAL') ?? 30_000,
    parserThreads: envWhole(env, 'TESTGRID_PARSER_THREADS') ?? 1,
  };
}
