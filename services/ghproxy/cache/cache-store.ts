import type { CacheEntry } from './cache-entry.ts';

/** What a store knows of one partition (one token's entries). */
export interface PartitionInfo {
  partition: string;
  /** Unix milliseconds of the last request in it, as recorded (at most a minute behind). */
  lastUsed: number;
  /** Unix milliseconds when its token expires, when known (App installation tokens). */
  expiresAt?: number | undefined;
}

/** What one prune removed. */
export interface PruneResult {
  partitions: number;
  entries: number;
}

/**
 * Where cached responses live, partitioned by token. Stores never throw on a corrupt or vanished entry: they
 * answer undefined and the proxy asks GitHub again.
 */
export interface CacheStore {
  readonly kind: 'memory' | 'redis' | 'disk';
  get(partition: string, key: string): Promise<CacheEntry | undefined>;
  put(partition: string, key: string, entry: CacheEntry): Promise<void>;
  delete(partition: string, key: string): Promise<void>;
  /** Records a request in the partition, and its token's expiry when one is known. */
  touchPartition(partition: string, now: number, expiresAt?: number): void;
  partitions(): Promise<PartitionInfo[]>;
  /** Drops partitions whose token expired or that saw no request for the idle time, and entries unused as long. */
  prune(now: number): Promise<PruneResult>;
  /** Bytes and entries held, when the store can tell cheaply. */
  size(): { bytes: number; entries: number } | undefined;
  /** Checks the store can answer (for /healthz). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** How long entries and partitions live without use, and how much a store may hold. */
export interface StoreLimits {
  /** Bytes of entries the store keeps before evicting the least recently used (memory, disk). */
  maxBytes: number;
  /** Milliseconds an entry or a partition lives without a request. */
  idleMs: number;
}

/** How often a partition's last use is written, at most: a request per write would double a store's traffic. */
export const touchEveryMs = 60_000;

/** True when a partition is gone: its token expired, or nothing used it for `idleMs`. */
export function partitionIsStale(info: PartitionInfo, now: number, idleMs: number): boolean {
  return (info.expiresAt !== undefined && info.expiresAt <= now) || now - info.lastUsed >= idleMs;
}
