import { Octokit } from '@octokit/rest';
import { memoryLogger } from '../../../test/helpers/memory-logger.ts';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../index.ts';

/** An emulator for tests: logs kept in memory, nothing printed. */
export async function startTestEmulator(opts: Omit<EmulatorOptions, 'logger'> = {}): Promise<RunningEmulator & { logs: ReturnType<typeof memoryLogger> }> {
  const logs = memoryLogger('warn');
  const emu = await startEmulator({ ...opts, logger: logs.logger });
  return Object.assign(emu, { logs });
}

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** A plain Octokit pointed at the emulator: no retries, no throttling, no console output. */
export function octokitFor(url: string, token?: string): Octokit {
  return new Octokit({ baseUrl: url, log: silent, ...(token === undefined ? {} : { auth: token }) });
}

/** What an Octokit request error carries (RequestError, without importing a transitive package). */
export interface OctokitFailure extends Error {
  status: number;
  response?: { headers: Record<string, string | number | undefined>; data: unknown };
}

/** The error a request failed with; throws when it succeeded. */
export async function failure(p: Promise<unknown>): Promise<OctokitFailure> {
  try {
    await p;
  } catch (err) {
    if (err instanceof Error && typeof (err as Partial<OctokitFailure>).status === 'number') return err as OctokitFailure;
    throw err;
  }
  throw new Error('expected the request to fail');
}
