import { entrySize, type CacheEntry } from './cache-entry.ts';
import { partitionIsStale, type CacheStore, type PartitionInfo, type PruneResult, type StoreLimits } from './cache-store.ts';

interface Slot {
  partition: string;
  entry: CacheEntry;
  size: number;
  lastUsed: number;
}

interface Partition {
  info: PartitionInfo;
  keys: Set<string>;
}

function slotKey(partition: string, key: string): string {
  return `${partition}\u0000${key}`;
}

/**
 * The in-process store: one LRU over every partition with a byte budget (a Map in use order), so a busy token
 * cannot grow the process without bound as Prow's unbounded memory cache can.
 */
export class MemoryStore implements CacheStore {
  readonly kind = 'memory';
  readonly #limits: StoreLimits;
  readonly #slots = new Map<string, Slot>();
  readonly #partitions = new Map<string, Partition>();
  #bytes = 0;
  readonly #now: () => number;

  constructor(limits: StoreLimits, now: () => number = Date.now) {
    this.#limits = limits;
    this.#now = now;
  }

  get(partition: string, key: string): Promise<CacheEntry | undefined> {
    const id = slotKey(partition, key);
    const slot = this.#slots.get(id);
    if (slot === undefined) return Promise.resolve(undefined);
    this.#slots.delete(id);
    this.#slots.set(id, slot);
    slot.lastUsed = this.#now();
    return Promise.resolve(slot.entry);
  }

  put(partition: string, key: string, entry: CacheEntry): Promise<void> {
    const size = entrySize(entry);
    const id = slotKey(partition, key);
    this.#remove(id);
    if (size > this.#limits.maxBytes) return Promise.resolve();
    this.#slots.set(id, { partition, entry, size, lastUsed: this.#now() });
    this.#bytes += size;
    this.#partition(partition).keys.add(id);
    for (const [oldest] of this.#slots) {
      if (this.#bytes <= this.#limits.maxBytes) break;
      this.#remove(oldest);
    }
    return Promise.resolve();
  }

  delete(partition: string, key: string): Promise<void> {
    this.#remove(slotKey(partition, key));
    return Promise.resolve();
  }

  touchPartition(partition: string, now: number, expiresAt?: number): void {
    const p = this.#partition(partition);
    p.info.lastUsed = now;
    if (expiresAt !== undefined) p.info.expiresAt = expiresAt;
  }

  partitions(): Promise<PartitionInfo[]> {
    return Promise.resolve([...this.#partitions.values()].map((p) => ({ ...p.info })));
  }

  prune(now: number): Promise<PruneResult> {
    const result = { partitions: 0, entries: 0 };
    for (const [name, p] of this.#partitions) {
      if (!partitionIsStale(p.info, now, this.#limits.idleMs)) continue;
      result.entries += p.keys.size;
      for (const id of p.keys) this.#remove(id);
      this.#partitions.delete(name);
      result.partitions += 1;
    }
    for (const [id, slot] of this.#slots) {
      if (now - slot.lastUsed < this.#limits.idleMs) continue;
      this.#remove(id);
      result.entries += 1;
    }
    return Promise.resolve(result);
  }

  size(): { bytes: number; entries: number } {
    return { bytes: this.#bytes, entries: this.#slots.size };
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.#slots.clear();
    this.#partitions.clear();
    this.#bytes = 0;
    return Promise.resolve();
  }

  #partition(partition: string): Partition {
    let p = this.#partitions.get(partition);
    if (p === undefined) {
      p = { info: { partition, lastUsed: this.#now() }, keys: new Set() };
      this.#partitions.set(partition, p);
    }
    return p;
  }

  #remove(id: string): void {
    const slot = this.#slots.get(id);
    if (slot === undefined) return;
    this.#slots.delete(id);
    this.#bytes -= slot.size;
    this.#partitions.get(slot.partition)?.keys.delete(id);
  }
}
