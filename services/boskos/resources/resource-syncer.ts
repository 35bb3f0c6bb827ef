import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../../lib/log.ts';
import { syncResources, type SyncResult } from './config-sync.ts';
import { runEvery, type Periodic } from '../upkeep/periodic.ts';
import type { RedisRanch } from '../ranch/redis-ranch.ts';
import { loadResourcesConfig, type ResourcesConfig } from './resources-config.ts';

export interface ResourceSyncerOptions {
  ranch: RedisRanch;
  /** Boskos' resources file; without one only the dynamic lifecycle runs, over what Redis holds. */
  file?: string | undefined;
  log: Logger;
  /** How often to sync even when the file did not change (dynamic resources expire on their own). */
  periodMs: number;
  /** Quiet time after the last file event; editors and ConfigMap updates write in several steps. */
  debounceMs?: number | undefined;
}

/**
 * Keeps the ranch in line with the resources file: loads it (a bad file refuses to start), syncs, then syncs
 * again when the file changes (a bad edit is refused and logged; the last good file stays in force) and every
 * period. Syncs never overlap within a replica and are safe across replicas.
 */
export class ResourceSyncer {
  readonly #opts: ResourceSyncerOptions;
  #config: ResourcesConfig | undefined;
  #types: string[] = [];
  #watcher: FSWatcher | undefined;
  #debounce: NodeJS.Timeout | undefined;
  #periodic: Periodic | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #lastResult: SyncResult | undefined;

  private constructor(opts: ResourceSyncerOptions, config: ResourcesConfig | undefined) {
    this.#opts = opts;
    this.#config = config;
  }

  static async start(opts: ResourceSyncerOptions): Promise<ResourceSyncer> {
    const config = opts.file === undefined ? undefined : await loadResourcesConfig(opts.file);
    const syncer = new ResourceSyncer(opts, config);
    await syncer.syncNow();
    syncer.#periodic = runEvery('resource sync', opts.periodMs, () => syncer.syncNow(), opts.log);
    if (opts.file !== undefined) syncer.#watch(opts.file);
    return syncer;
  }

  /** The resources file in force. */
  get config(): ResourcesConfig | undefined {
    return this.#config;
  }

  /** Every type the file names or the ranch holds, as of the last sync. */
  types(): readonly string[] {
    return this.#types;
  }

  get lastResult(): SyncResult | undefined {
    return this.#lastResult;
  }

  /** Syncs now (after any sync in flight). */
  syncNow(): Promise<SyncResult> {
    const run = this.#queue.then(async () => {
      const result = await syncResources(this.#opts.ranch, this.#config, this.#opts.log);
      this.#types = [...new Set([...(this.#config?.types ?? []), ...(await this.#opts.ranch.types())])];
      this.#lastResult = result;
      return result;
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Reads the file again; resolves true when the new one is in force (and synced), false when it was refused. */
  async reload(): Promise<boolean> {
    const file = this.#opts.file;
    if (file === undefined) return false;
    try {
      this.#config = await loadResourcesConfig(file);
    } catch (err) {
      this.#opts.log.warn({ file, err: err instanceof Error ? err.message : String(err) }, 'boskos: resources file change refused; keeping the last good one');
      return false;
    }
    this.#opts.log.info({ file, types: this.#config.types }, 'boskos: resources file reloaded');
    await this.syncNow();
    return true;
  }

  async close(): Promise<void> {
    clearTimeout(this.#debounce);
    this.#watcher?.close();
    await this.#periodic?.close();
    await this.#queue;
  }

  #watch(file: string): void {
    // Watch the directory, not the file: editors and ConfigMap updates replace the file, which ends a file watch.
    const name = path.basename(file);
    this.#watcher = watch(path.dirname(path.resolve(file)), (_event, changed) => {
      if (changed !== null && changed !== name && !changed.startsWith('..')) return;
      clearTimeout(this.#debounce);
      this.#debounce = setTimeout(() => {
        this.reload().catch((err: unknown) => {
          this.#opts.log.error({ err }, 'boskos: resources reload failed');
        });
      }, this.#opts.debounceMs ?? 500);
    });
    this.#watcher.on('error', (err) => {
      this.#opts.log.warn({ err }, 'boskos: resources file watch failed; changes may go unnoticed');
    });
  }
}
