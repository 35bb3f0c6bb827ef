import type { Logger } from '../../../lib/log.ts';
import type { ReaperEnv } from '../boskos-env.ts';
import { runEvery, type Periodic } from './periodic.ts';
import type { Ranch } from '../ranch/ranch.ts';

export interface ReaperOptions extends ReaperEnv {
  ranch: Ranch;
  log: Logger;
  /** Called for each lease taken back. */
  onReaped?: ((type: string, name: string, owner: string) => void) | undefined;
}

/** Boskos' reaper as one pass: for each type and each source state, /reset the stale leases to `target`. */
export async function reapOnce(opts: Omit<ReaperOptions, 'periodMs'>): Promise<Record<string, string>> {
  const reaped: Record<string, string> = {};
  for (const type of await opts.ranch.types()) {
    for (const state of opts.states) {
      const moved = await opts.ranch.reset({ type, state, expireMs: opts.expireMs, dest: opts.target });
      for (const [name, owner] of Object.entries(moved)) {
        reaped[name] = owner;
        opts.onReaped?.(type, name, owner);
        opts.log.info({ resource: name, type, state, owner, target: opts.target, expireMs: opts.expireMs }, 'boskos reaper: owner stopped heartbeating; lease taken back');
      }
    }
  }
  return reaped;
}

/**
 * Runs the reaper inside the service, every period (Boskos runs it as its own Deployment calling /reset).
 * Every replica may run one: a reset is atomic, so a lease is taken back once.
 */
export function startReaper(opts: ReaperOptions): Periodic {
  return runEvery('reaper', opts.periodMs, () => reapOnce(opts), opts.log);
}
