import type { HeaderMap } from '../headers.ts';

/** One stored 200 response: what a 304 lets the proxy serve again without spending the token. */
export interface CacheEntry {
  /** The resource's response headers (lower-case names). */
  headers: HeaderMap;
  /** The body, uncompressed. */
  body: Buffer;
  /** Unix milliseconds when GitHub sent it (Prow's `X-PROW-REQUEST-DATE`), for the entry-age metric. */
  storedAt: number;
  /** Request header values the response varies on (see `varyValues`). */
  vary: Record<string, string>;
}

interface Meta {
  h: HeaderMap;
  t: number;
  v: Record<string, string>;
}

/** Bytes an entry takes in a store: the body plus its encoded headers. */
export function entrySize(entry: CacheEntry): number {
  return entry.body.length + Buffer.byteLength(JSON.stringify(entry.headers)) + 64;
}

/**
 * One buffer for stores that keep bytes (Redis, disk): a 4-byte length, the headers as JSON, then the body
 * as is, so a large body is never turned into a string.
 */
export function encodeEntry(entry: CacheEntry): Buffer {
  const meta = Buffer.from(JSON.stringify({ h: entry.headers, t: entry.storedAt, v: entry.vary } satisfies Meta));
  const length = Buffer.alloc(4);
  length.writeUInt32BE(meta.length);
  return Buffer.concat([length, meta, entry.body]);
}

/** The entry in `bytes`, or undefined when they are not one (truncated or foreign), which callers treat as a miss. */
export function decodeEntry(bytes: Buffer): CacheEntry | undefined {
  if (bytes.length < 4) return undefined;
  const metaLength = bytes.readUInt32BE(0);
  if (4 + metaLength > bytes.length) return undefined;
  try {
    const meta = JSON.parse(bytes.subarray(4, 4 + metaLength).toString('utf8')) as Partial<Meta>;
    if (typeof meta.h !== 'object' || typeof meta.t !== 'number' || typeof meta.v !== 'object') return undefined;
    return { headers: meta.h, storedAt: meta.t, vary: meta.v, body: bytes.subarray(4 + metaLength) };
  } catch {
    return undefined;
  }
}
