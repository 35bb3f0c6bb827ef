import type { Periodic } from '../../lib/config/index.ts';
import { parseCron, type CronSchedule } from './cron.ts';

interface Entry {
  expression: string;
  schedule: CronSchedule;
  next: Date | undefined;
  queued: boolean;
}

/**
 * Which cron periodics are due, kept as Prow's horologium keeps them: each `cron` periodic has an entry whose
 * firing marks it queued; `take` hands out the queued names and clears every mark, so firings between two
 * syncs count once and a firing the sync could not act on (the last run still going) is dropped.
 * Schedules live in this process only, like Prow's: a new entry waits for its next firing (an `@every` one
 * fires at once), and a restarted horologium does not catch up on firings it missed.
 */
export class CronTriggers {
  private readonly entries = new Map<string, Entry>();

  /**
   * Adds the cron periodics of `periodics` not yet known, re-adds those whose `cron` changed, and drops the
   * rest. Returns the schedules that do not parse, which are left out.
   */
  sync(periodics: readonly Periodic[], now: Date): { job: string; error: string }[] {
    const problems: { job: string; error: string }[] = [];
    const wanted = new Set<string>();
    for (const p of periodics) {
      if (p.cron === undefined || p.cron === '') continue;
      wanted.add(p.name);
      if (this.entries.get(p.name)?.expression === p.cron) continue;
      this.entries.delete(p.name);
      let schedule: CronSchedule;
      try {
        schedule = parseCron(p.cron);
      } catch (err) {
        problems.push({ job: p.name, error: err instanceof Error ? err.message : String(err) });
        continue;
      }
      this.entries.set(p.name, { expression: p.cron, schedule, next: schedule.next(now), queued: schedule.firesOnAdd });
    }
    for (const name of this.entries.keys()) if (!wanted.has(name)) this.entries.delete(name);
    return problems;
  }

  /** Marks queued every entry whose firing time has come by `now`, and moves it to its next firing. */
  fire(now: Date): void {
    for (const entry of this.entries.values()) {
      if (entry.next === undefined || entry.next > now) continue;
      entry.queued = true;
      entry.next = entry.schedule.next(now);
    }
  }

  /** The names queued since the last call; every mark is cleared. */
  take(): Set<string> {
    const queued = new Set<string>();
    for (const [name, entry] of this.entries) {
      if (entry.queued) queued.add(name);
      entry.queued = false;
    }
    return queued;
  }

  /** True when `name` has a schedule. */
  has(name: string): boolean {
    return this.entries.has(name);
  }
}
