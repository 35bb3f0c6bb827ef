import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../log.ts';
import { formatIssue, type ConfigIssue } from './config-issue.ts';
import { loadConfig, loadConfigOrThrow, type LoadOptions, type LoadResult } from './load-config.ts';

/** One good configuration, swapped in whole so readers never see half of a reload. */
export type ConfigSnapshot = Omit<LoadResult, 'errors'> & { loadedAt: Date };

/** What a watcher tells its subscribers: a new snapshot is live, or a change was refused. */
export type ConfigEvent = { type: 'swapped'; snapshot: ConfigSnapshot } | { type: 'refused'; errors: ConfigIssue[] };

export interface ConfigWatcherOptions extends LoadOptions {
  logger: Logger;
  /** Quiet time after the last file event before reloading; editors write files in several steps. */
  debounceMs?: number | undefined;
}

interface State {
  snapshot: ConfigSnapshot;
  listeners: Set<(event: ConfigEvent) => void>;
  watchers: FSWatcher[];
  timer: NodeJS.Timeout | undefined;
  reloading: Promise<void>;
  closed: boolean;
}

const snapshotOf = (r: LoadResult): ConfigSnapshot => ({ config: r.config, plugins: r.plugins, warnings: r.warnings, files: r.files, loadedAt: new Date() });

/**
 * Keeps the configuration current: watches config.yaml, plugins.yaml and the job-config directory, reloads
 * after changes settle, and swaps in the new snapshot only when it has no errors; otherwise keeps the last
 * good one and logs why.
 */
export class ConfigWatcher {
  readonly #opts: ConfigWatcherOptions;
  readonly #state: State;

  private constructor(opts: ConfigWatcherOptions, first: LoadResult) {
    this.#opts = opts;
    this.#state = { snapshot: snapshotOf(first), listeners: new Set(), watchers: [], timer: undefined, reloading: Promise.resolve(), closed: false };
  }

  /** Loads the configuration (throwing PROW_ERR_CONFIG_INVALID if it is bad) and starts watching it. */
  static async start(opts: ConfigWatcherOptions): Promise<ConfigWatcher> {
    const watcher = new ConfigWatcher(opts, await loadConfigOrThrow(opts));
    await watcher.#watch();
    return watcher;
  }

  /** The live configuration. Read it per use rather than caching it, so reloads reach you. */
  get current(): ConfigSnapshot {
    return this.#state.snapshot;
  }

  /** Calls `listener` on every swap and refusal; returns the function that unsubscribes. */
  subscribe(listener: (event: ConfigEvent) => void): () => void {
    this.#state.listeners.add(listener);
    return () => this.#state.listeners.delete(listener);
  }

  /** Reloads now; resolves true when the new configuration was swapped in. */
  async reload(): Promise<boolean> {
    let swapped = false;
    const run = this.#state.reloading.then(async () => {
      swapped = await this.#reloadOnce();
    });
    this.#state.reloading = run;
    await run;
    return swapped;
  }

  /** Stops watching. */
  close(): void {
    this.#state.closed = true;
    clearTimeout(this.#state.timer);
    for (const w of this.#state.watchers) w.close();
    this.#state.watchers = [];
  }

  async #reloadOnce(): Promise<boolean> {
    if (this.#state.closed) return false;
    const { logger } = this.#opts;
    const result = await loadConfig(this.#opts);
    if (result.errors.length > 0) {
      logger.warn({ errors: result.errors.map(formatIssue) }, 'configuration change refused; keeping the last good configuration');
      this.#emit({ type: 'refused', errors: result.errors });
      return false;
    }
    this.#state.snapshot = snapshotOf(result);
    logger.info({ warnings: result.warnings.length, files: result.files.length }, 'configuration reloaded');
    this.#emit({ type: 'swapped', snapshot: this.#state.snapshot });
    return true;
  }

  #emit(event: ConfigEvent): void {
    for (const listener of this.#state.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.#opts.logger.error({ err }, 'configuration subscriber failed');
      }
    }
  }

  #schedule(): void {
    clearTimeout(this.#state.timer);
    this.#state.timer = setTimeout(() => {
      this.reload().catch((err: unknown) => {
        this.#opts.logger.error({ err }, 'configuration reload failed');
      });
    }, this.#opts.debounceMs ?? 500);
  }

  async #watch(): Promise<void> {
    const onError = (err: Error): void => {
      this.#opts.logger.warn({ err }, 'configuration watch failed; changes may go unnoticed');
    };
    // Watch the directories, not the files: editors and ConfigMap updates replace files, which ends a file watch.
    const byDir = new Map<string, Set<string>>();
    for (const file of [this.#opts.configPath, this.#opts.pluginConfigPath]) {
      if (file === undefined) continue;
      const dir = path.dirname(path.resolve(file));
      byDir.set(dir, (byDir.get(dir) ?? new Set()).add(path.basename(file)));
    }
    for (const [dir, names] of byDir) {
      const w = watch(dir, (_event, name) => {
        if (name === null || names.has(name) || name.startsWith('..')) this.#schedule();
      });
      w.on('error', onError);
      this.#state.watchers.push(w);
    }
    const jobs = this.#opts.jobConfigPath;
    if (jobs !== undefined && (await stat(jobs)).isDirectory()) {
      const w = watch(jobs, { recursive: true }, () => {
        this.#schedule();
      });
      w.on('error', onError);
      this.#state.watchers.push(w);
    }
  }
}
