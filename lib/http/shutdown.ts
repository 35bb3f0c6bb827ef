import type { Logger } from '../log.ts';

/** Something to close on shutdown, in the order given. */
export interface Closeable {
  name: string;
  close: () => Promise<unknown>;
}

/**
 * On SIGTERM or SIGINT, closes each part in order (stop intake first, then finish in-flight work, then
 * connections) and exits 0; a second signal, or a close that takes longer than `timeoutMs`, exits 1.
 */
export function closeOnSignals(parts: Closeable[], log: Logger, timeoutMs = 30_000): () => void {
  let closing = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (closing) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    closing = true;
    log.info({ signal }, 'shutting down: finishing in-flight work');
    const timer = setTimeout(() => {
      log.error({ timeoutMs }, 'shutdown took too long: exiting');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    void closeAll(parts, log).then((ok) => {
      clearTimeout(timer);
      process.exit(ok ? 0 : 1);
    });
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return () => {
    process.off('SIGTERM', handler);
    process.off('SIGINT', handler);
  };
}

/** Closes the parts in order, logging each failure; true when all closed cleanly. */
export async function closeAll(parts: Closeable[], log: Logger): Promise<boolean> {
  let ok = true;
  for (const part of parts) {
    try {
      await part.close();
      log.debug({ part: part.name }, 'closed');
    } catch (err) {
      ok = false;
      log.error({ part: part.name, err }, 'close failed');
    }
  }
  return ok;
}
