import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, statfs, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeEntry, encodeEntry, type CacheEntry } from './cache-entry.ts';
import { partitionIsStale, touchEveryMs, type CacheStore, type PartitionInfo, type PruneResult, type StoreLimits } from './cache-store.ts';

const partitionFile = '.partition.json';

function isMissing(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'ENOENT';
}

/** Free, used and total space of the file system a directory is on: Prow's `ghcache_disk_*` gauges. */
export interface DiskUsage {
  freeBytes: number;
  totalBytes: number;
  freeInodes: number;
  totalInodes: number;
}

/**
 * Entries as files, Prow's disk layout: `<dir>/data/<partition>/<key>`, written through `<dir>/temp/` and
 * renamed so a reader never sees half a file. One byte budget for the whole directory, kept by deleting the
 * least recently used files (a hit refreshes a file's mtime); pruning also deletes files unused for the idle
 * time, which Prow left to a cron `find -delete` (test-infra#23407).
 */
export class DiskStore implements CacheStore {
  readonly kind = 'disk';
  readonly #dir: string;
  readonly #limits: StoreLimits;
  #bytes = 0;
  #entries = 0;
  #sweeping: Promise<void> | undefined;
  readonly #touched = new Map<string, { at: number; expiresAt: number | undefined }>();
  /** Partition records being written; reading the partitions waits for them. */
  readonly #writing = new Set<Promise<void>>();

  private constructor(dir: string, limits: StoreLimits) {
    this.#dir = dir;
    this.#limits = limits;
  }

  /** Opens (and creates) the directory, counting what an earlier run left in it. */
  static async open(dir: string, limits: StoreLimits): Promise<DiskStore> {
    const store = new DiskStore(dir, limits);
    await mkdir(join(dir, 'data'), { recursive: true });
    await mkdir(join(dir, 'temp'), { recursive: true });
    for (const file of await store.#files()) {
      store.#bytes += file.size;
      store.#entries += 1;
    }
    return store;
  }

  async get(partition: string, key: string): Promise<CacheEntry | undefined> {
    const path = this.#path(partition, key);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
    const now = new Date();
    utimes(path, now, now).catch(() => undefined);
    return decodeEntry(bytes);
  }

  async put(partition: string, key: string, entry: CacheEntry): Promise<void> {
    const bytes = encodeEntry(entry);
    if (bytes.length > this.#limits.maxBytes) return;
    const path = this.#path(partition, key);
    const temp = join(this.#dir, 'temp', `${partition}-${randomUUID()}`);
    await mkdir(join(this.#dir, 'data', partition), { recursive: true });
    await writeFile(temp, bytes);
    const before = await this.#sizeOf(path);
    await rename(temp, path);
    this.#bytes += bytes.length - (before ?? 0);
    if (before === undefined) this.#entries += 1;
    if (this.#bytes > this.#limits.maxBytes) this.#sweeping ??= this.#evict().finally(() => (this.#sweeping = undefined));
  }

  async delete(partition: string, key: string): Promise<void> {
    const path = this.#path(partition, key);
    const size = await this.#sizeOf(path);
    if (size === undefined) return;
    await unlink(path).catch((err: unknown) => {
      if (!isMissing(err)) throw err;
    });
    this.#bytes -= size;
    this.#entries -= 1;
  }

  touchPartition(partition: string, now: number, expiresAt?: number): void {
    const last = this.#touched.get(partition);
    const expiry = expiresAt ?? last?.expiresAt;
    if (last !== undefined && now - last.at < touchEveryMs && expiry === last.expiresAt) return;
    this.#touched.set(partition, { at: now, expiresAt: expiry });
    const info: PartitionInfo = { partition, lastUsed: now, ...(expiry === undefined ? {} : { expiresAt: expiry }) };
    const dir = join(this.#dir, 'data', partition);
    const write = mkdir(dir, { recursive: true })
      .then(() => writeFile(join(dir, partitionFile), JSON.stringify(info)))
      .catch(() => undefined)
      .finally(() => this.#writing.delete(write));
    this.#writing.add(write);
  }

  async partitions(): Promise<PartitionInfo[]> {
    await Promise.all(this.#writing);
    const names = await readdir(join(this.#dir, 'data')).catch(() => []);
    const out: PartitionInfo[] = [];
    for (const partition of names) {
      try {
        const info = JSON.parse(await readFile(join(this.#dir, 'data', partition, partitionFile), 'utf8')) as PartitionInfo;
        out.push({ ...info, partition });
      } catch {
        const s = await stat(join(this.#dir, 'data', partition)).catch(() => undefined);
        if (s?.isDirectory()) out.push({ partition, lastUsed: s.mtimeMs });
      }
    }
    return out;
  }

  async prune(now: number): Promise<PruneResult> {
    const result = { partitions: 0, entries: 0 };
    for (const info of await this.partitions()) {
      if (!partitionIsStale(info, now, this.#limits.idleMs)) continue;
      const files = await this.#files(info.partition);
      await rm(join(this.#dir, 'data', info.partition), { recursive: true, force: true });
      this.#touched.delete(info.partition);
      for (const f of files) this.#forget(f.size);
      result.entries += files.length;
      result.partitions += 1;
    }
    for (const file of await this.#files()) {
      if (now - file.mtimeMs < this.#limits.idleMs) continue;
      if (await this.#unlinkCounted(file.path, file.size)) result.entries += 1;
    }
    return result;
  }

  size(): { bytes: number; entries: number } {
    return { bytes: this.#bytes, entries: this.#entries };
  }

  /** Space left on the cache's file system. */
  async diskUsage(): Promise<DiskUsage> {
    const s = await statfs(this.#dir);
    return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize, freeInodes: s.ffree, totalInodes: s.files };
  }

  async ping(): Promise<void> {
    await stat(join(this.#dir, 'data'));
  }

  async close(): Promise<void> {
    await Promise.all(this.#writing);
    await this.#sweeping;
  }

  /** Deletes the least recently used files until the store is a tenth under its budget. */
  async #evict(): Promise<void> {
    const files = (await this.#files()).sort((a, b) => a.mtimeMs - b.mtimeMs);
    const target = this.#limits.maxBytes * 0.9;
    for (const file of files) {
      if (this.#bytes <= target) break;
      await this.#unlinkCounted(file.path, file.size);
    }
  }

  async #unlinkCounted(path: string, size: number): Promise<boolean> {
    try {
      await unlink(path);
      this.#forget(size);
      return true;
    } catch (err) {
      if (isMissing(err)) return false;
      throw err;
    }
  }

  #forget(size: number): void {
    this.#bytes -= size;
    this.#entries -= 1;
  }

  async #files(only?: string): Promise<{ path: string; size: number; mtimeMs: number }[]> {
    const data = join(this.#dir, 'data');
    const partitions = only === undefined ? await readdir(data).catch(() => []) : [only];
    const out: { path: string; size: number; mtimeMs: number }[] = [];
    for (const partition of partitions) {
      const names = await readdir(join(data, partition)).catch(() => []);
      for (const name of names) {
        if (name === partitionFile) continue;
        const path = join(data, partition, name);
        const s = await stat(path).catch(() => undefined);
        if (s?.isFile()) out.push({ path, size: s.size, mtimeMs: s.mtimeMs });
      }
    }
    return out;
  }

  async #sizeOf(path: string): Promise<number | undefined> {
    try {
      return (await stat(path)).size;
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  #path(partition: string, key: string): string {
    return join(this.#dir, 'data', partition, key);
  }
}
