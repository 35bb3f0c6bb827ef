import type { Readable } from 'node:stream';

/** What `put` stores: a stream is read once and never held whole in memory. */
export type ObjectBody = Readable | Buffer | string;

/** Headers stored with an object and given back by `stat`. */
export interface PutOptions {
  contentType?: string;
  contentEncoding?: string;
}

/** One object as a listing names it. `key` is relative to the store's root. */
export interface ObjectInfo {
  key: string;
  size: number;
  updated: Date;
}

/** What `stat` knows of one object. */
export interface ObjectStat {
  size: number;
  updated: Date;
  contentType: string | undefined;
  contentEncoding: string | undefined;
}

/** How `list` groups keys. */
export interface ListOptions {
  /** With '/', keys below the next '/' after the prefix are folded into `prefixes`, as S3 and GCS do. */
  delimiter?: '/';
  /** Keys asked for per request; the backends' defaults (1000) unless a test wants to see pages turn. */
  pageSize?: number;
}

/** One listing, or one page of it: objects and folded prefixes, each in key order (byte order of UTF-8). */
export interface ListPage {
  objects: ObjectInfo[];
  /** Folded prefixes relative to the root, each ending in '/'. Empty without a delimiter. */
  prefixes: string[];
}

/**
 * Blob storage for job logs and artifacts: a directory in local mode, GCS or S3 in a cluster. Keys are
 * relative to the store's root, use '/' between segments and never start with '/'; `.` and `..` segments
 * and empty segments are refused. Bodies are streamed both ways and given back byte for byte (no
 * transcoding of `contentEncoding: gzip`).
 */
export interface ObjectStore {
  /** Where the store lives, as a location `openObjectStore` accepts (for logs and messages). */
  describe(): string;
  /** Writes `key`, replacing any object there; readers never see a partial object. */
  put(key: string, body: ObjectBody, options?: PutOptions): Promise<void>;
  /** The object's bytes; PROW_ERR_STORAGE_NOT_FOUND when there is none. */
  get(key: string): Promise<Readable>;
  /**
   * Bytes `start` up to but not including `end` (to the end of the object when `end` is omitted), clamped
   * to the object's size, so a range past the end is empty; PROW_ERR_STORAGE_NOT_FOUND when there is none.
   */
  getRange(key: string, start: number, end?: number): Promise<Readable>;
  /** Every object under `prefix` (a plain string prefix, not only a directory), all pages gathered. */
  list(prefix: string, options?: ListOptions): Promise<ListPage>;
  /** The listing one page at a time, for prefixes too large to gather. */
  listPages(prefix: string, options?: ListOptions): AsyncIterable<ListPage>;
  /** Size, time and headers of `key`, or undefined when there is none. */
  stat(key: string): Promise<ObjectStat | undefined>;
  exists(key: string): Promise<boolean>;
  /** Removes `key`; a missing key is not an error. */
  delete(key: string): Promise<void>;
  /** Releases connections; the store is unusable afterwards. */
  close(): Promise<void>;
}

/** Gathers every page of a listing into one. */
export async function collectPages(pages: AsyncIterable<ListPage>): Promise<ListPage> {
  const all: ListPage = { objects: [], prefixes: [] };
  for await (const page of pages) {
    all.objects.push(...page.objects);
    all.prefixes.push(...page.prefixes);
  }
  return all;
}

/** The whole object as UTF-8 text; PROW_ERR_STORAGE_NOT_FOUND when there is none. */
export async function readText(store: ObjectStore, key: string): Promise<string> {
  return (await readBuffer(store, key)).toString('utf8');
}

/** The whole object in memory: for small files such as started.json, never for logs. */
export async function readBuffer(store: ObjectStore, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.get(key)) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
