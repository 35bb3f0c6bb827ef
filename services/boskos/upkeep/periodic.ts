import type { Logger } from '../../../lib/log.ts';

/** A task run every period, never twice at once; `kick` runs it soon, `close` waits for the run in flight. */
export interface Periodic {
  kick(): void;
  close(): Promise<void>;
}

/** Runs `fn` now and then every `periodMs`; a failure is logged and the next period tries again. */
export function runEvery(name: string, periodMs: number, fn: () => Promise<unknown>, log: Logger): Periodic {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let closed = false;
  let again = false;
  let busy = false;
  const schedule = (ms: number): void => {
    clearTimeout(timer);
    if (!closed) timer = setTimeout(tick, ms);
  };
  function tick(): void {
    if (closed) return;
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    running = fn()
      .then(
        () => undefined,
        (err: unknown) => {
          log.warn({ task: name, err: err instanceof Error ? err.message : String(err) }, 'boskos: periodic task failed; trying again next period');
        },
      )
      .finally(() => {
        busy = false;
        if (again) {
          again = false;
          schedule(0);
        } else {
          schedule(periodMs);
        }
      });
  }
  schedule(0);
  return {
    kick: () => {
      schedule(0);
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      await running;
    },
  };
}
