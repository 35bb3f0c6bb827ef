import { randomUUID } from 'node:crypto';
import { createWriteStream, type Dirent } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, rmdir, stat as fsStat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ProwError } from '../errors.ts';
import { checkKey, checkPrefix, checkRange, compareKeys, emptyStream } from './keys.ts';
import {
  collectPages,
  type ListOptions,
  type ListPage,
  type ObjectBody,
  type ObjectInfo,
  type ObjectStat,
  type ObjectStore,
  type PutOptions,
} from './object-store.ts';

/**
 * The store's own files live under this top-level directory: temporary files (renamed into place, so on
 * the same file system as the objects) and each object's headers as JSON. Keys may not start with it.
 */
const reserved = '.prow-store';

interface StoredHeaders {
  contentType?: string;
  contentEncoding?: string;
}

/** Objects as plain files under a directory: local mode's storage, browsable with ls. */
export class DirStore implements ObjectStore {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  describe(): string {
    return this.root;
  }

  /** Creates the root when missing; fails when it cannot be written. */
  async check(): Promise<void> {
    try {
      await mkdir(join(this.root, reserved, 'tmp'), { recursive: true });
    } catch (err) {
      throw new ProwError('PROW_ERR_STORAGE_UNREACHABLE', this.root, err instanceof Error ? err.message : String(err));
    }
  }

  async put(key: string, body: ObjectBody, options: PutOptions = {}): Promise<void> {
    const path = this.pathOf(key);
    const tmpDir = join(this.root, reserved, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmpData = join(tmpDir, randomUUID());
    const tmpHeaders = `${tmpData}.json`;
    try {
      await pipeline(typeof body === 'string' || Buffer.isBuffer(body) ? Readable.from([body]) : body, createWriteStream(tmpData));
      const headers: StoredHeaders = {};
      if (options.contentType !== undefined) headers.contentType = options.contentType;
      if (options.contentEncoding !== undefined) headers.contentEncoding = options.contentEncoding;
      const headersPath = this.headersPathOf(key);
      if (Object.keys(headers).length > 0) {
        await writeFile(tmpHeaders, JSON.stringify(headers));
        await this.moveIntoPlace(tmpHeaders, headersPath);
      } else {
        await rm(headersPath, { force: true });
      }
      await this.moveIntoPlace(tmpData, path);
    } finally {
      await rm(tmpData, { force: true });
      await rm(tmpHeaders, { force: true });
    }
  }

  async get(key: string): Promise<Readable> {
    return this.getRange(key, 0);
  }

  async getRange(key: string, start: number, end?: number): Promise<Readable> {
    checkRange(start, end);
    const path = this.pathOf(key);
    const handle = await open(path, 'r').catch((err: unknown) => {
      throw isMissing(err) ? this.notFound(key) : err;
    });
    const info = await handle.stat();
    if (!info.isFile()) {
      await handle.close();
      throw this.notFound(key);
    }
    const last = Math.min(end ?? info.size, info.size);
    if (start >= last) {
      await handle.close();
      return emptyStream();
    }
    // fs counts `end` inclusive.
    return handle.createReadStream({ start, end: last - 1 });
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    return collectPages(this.listPages(prefix, options));
  }

  async *listPages(prefix: string, options: ListOptions = {}): AsyncIterable<ListPage> {
    checkPrefix(this.root, prefix);
    const pageSize = options.pageSize ?? 1000;
    let page: ListPage = { objects: [], prefixes: [] };
    for await (const entry of this.walk(prefix, options.delimiter)) {
      if (typeof entry === 'string') page.prefixes.push(entry);
      else page.objects.push(entry);
      if (page.objects.length + page.prefixes.length >= pageSize) {
        yield page;
        page = { objects: [], prefixes: [] };
      }
    }
    if (page.objects.length + page.prefixes.length > 0) yield page;
  }

  async stat(key: string): Promise<ObjectStat | undefined> {
    const path = this.pathOf(key);
    const info = await fsStat(path).catch((err: unknown) => {
      if (isMissing(err)) return undefined;
      throw err;
    });
    if (!info?.isFile()) return undefined;
    const headers = await this.readHeaders(key);
    return { size: info.size, updated: info.mtime, contentType: headers.contentType, contentEncoding: headers.contentEncoding };
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== undefined;
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    const info = await fsStat(path).catch(() => undefined);
    if (!info?.isFile()) return;
    await rm(path, { force: true });
    await rm(this.headersPathOf(key), { force: true });
    await this.pruneEmptyParents(dirname(path), this.root);
    await this.pruneEmptyParents(dirname(this.headersPathOf(key)), join(this.root, reserved, 'headers'));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private pathOf(key: string): string {
    checkKey(this.root, key);
    if (key === reserved || key.startsWith(`${reserved}/`)) {
      throw new ProwError('PROW_ERR_STORAGE_URL_INVALID', `${this.root} key "${key}"`, `keys under ${reserved}/ are the directory store's own`);
    }
    const path = resolve(this.root, ...key.split('/'));
    // checkKey refuses '..', but a segment such as 'C:' or a backslash on Windows could still leave the root.
    if (!path.startsWith(this.root + sep)) {
      throw new ProwError('PROW_ERR_STORAGE_URL_INVALID', `${this.root} key "${key}"`, 'the key leaves the store\'s directory');
    }
    return path;
  }

  private headersPathOf(key: string): string {
    return join(this.root, reserved, 'headers', ...key.split('/')) + '.json';
  }

  private async readHeaders(key: string): Promise<StoredHeaders> {
    try {
      return JSON.parse(await readFile(this.headersPathOf(key), 'utf8')) as StoredHeaders;
    } catch (err) {
      if (isMissing(err)) return {};
      throw err;
    }
  }

  /** Renames `from` onto `to`, making parents; retried once if a concurrent delete pruned a parent meanwhile. */
  private async moveIntoPlace(from: string, to: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      await mkdir(dirname(to), { recursive: true });
      try {
        await rename(from, to);
        return;
      } catch (err) {
        if (attempt > 0 || !isMissing(err)) throw err;
      }
    }
  }

  /** Removes empty directories from `dir` up to, not including, `top`, so listings show no empty prefixes. */
  private async pruneEmptyParents(dir: string, top: string): Promise<void> {
    for (let d = dir; d.startsWith(top + sep); d = dirname(d)) {
      try {
        await rmdir(d);
      } catch {
        return;
      }
    }
  }

  /**
   * Every object (and, with a delimiter, every folded prefix) under `prefix` in key order. A directory's
   * entries sort as `name/` for directories, so a depth-first walk yields keys in S3's order.
   */
  private async *walk(prefix: string, delimiter: '/' | undefined): AsyncIterable<ObjectInfo | string> {
    const cut = prefix.lastIndexOf('/') + 1;
    const dirKey = prefix.slice(0, cut);
    const namePrefix = prefix.slice(cut);
    const entries = (await this.entries(dirKey)).filter((e) => e.name.startsWith(namePrefix));
    for (const entry of entries) {
      const key = dirKey + entry.name;
      if (entry.isFile()) {
        const info = await fsStat(join(this.root, ...key.split('/'))).catch(() => undefined);
        if (info !== undefined) yield { key, size: info.size, updated: info.mtime };
      } else if (delimiter === undefined) {
        yield* this.walk(`${key}/`, undefined);
      } else if (await this.holdsObjects(`${key}/`)) {
        yield `${key}/`;
      }
    }
  }

  /** Files and directories of the directory `dirKey` (a key prefix ending in '/', or ''), in key order. */
  private async entries(dirKey: string): Promise<Dirent[]> {
    let entries: Dirent[];
    try {
      entries = await readdir(join(this.root, ...dirKey.split('/')), { withFileTypes: true });
    } catch (err) {
      if (isMissing(err)) return [];
      throw err;
    }
    const sortName = (e: Dirent): string => (e.isDirectory() ? `${e.name}/` : e.name);
    return entries
      .filter((e) => (e.isFile() || e.isDirectory()) && !(dirKey === '' && e.name === reserved))
      .sort((a, b) => compareKeys(sortName(a), sortName(b)));
  }

  private async holdsObjects(dirKey: string): Promise<boolean> {
    for (const entry of await this.entries(dirKey)) {
      if (entry.isFile() || (await this.holdsObjects(`${dirKey}${entry.name}/`))) return true;
    }
    return false;
  }

  private notFound(key: string): ProwError {
    return new ProwError('PROW_ERR_STORAGE_NOT_FOUND', key, this.root);
  }
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR';
}
