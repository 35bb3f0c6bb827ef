import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { isProwError } from '../errors.ts';
import { readBuffer, readText, type ObjectStore } from './object-store.ts';

/** Makes a store rooted at `root`, a path no other test uses. */
export type OpenStore = (root: string) => ObjectStore | Promise<ObjectStore>;

/** Where the server behind a backend is known to differ from the real service; each skips one assertion. */
export interface ServerQuirks {
  /** Folds only prefixes holding an object one level down (s3rver prunes its walk below that). */
  foldsOnlyShallowPrefixes?: boolean;
  /** Counts only objects, not folded prefixes, against the page size (s3rver). */
  pagesCountOnlyObjects?: boolean;
}

const chunkSize = 64 * 1024;
/** Past 16 MiB and not a whole number of chunks or S3 parts, so the last piece is short. */
const bigSize = 17 * 1024 * 1024 + 12_345;

/** Chunk `i` of the big object: xorshift bytes seeded by `i`, so a lost, doubled or reordered chunk shows. */
function chunkAt(i: number): Buffer {
  const words = new Uint32Array(chunkSize / 4);
  let x = (i + 1) * 2654435761 >>> 0 || 1;
  for (let w = 0; w < words.length; w++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[w] = x >>> 0;
  }
  return Buffer.from(words.buffer);
}

/** The big object's bytes [start, end), built from the chunks they fall in. */
function bigBytes(start: number, end: number): Buffer {
  const first = Math.floor(start / chunkSize);
  const last = Math.floor((end - 1) / chunkSize);
  const chunks: Buffer[] = [];
  for (let i = first; i <= last; i++) chunks.push(chunkAt(i));
  return Buffer.concat(chunks).subarray(start - first * chunkSize, end - first * chunkSize);
}

/** A stream of the big object made chunk by chunk as it is read, hashing what it hands out. */
function bigStream(): { stream: Readable; digest: () => string; produced: () => number } {
  const hash = createHash('sha256');
  let produced = 0;
  function* chunks(): Generator<Buffer> {
    for (let i = 0; produced < bigSize; i++) {
      const chunk = chunkAt(i).subarray(0, Math.min(chunkSize, bigSize - produced));
      produced += chunk.length;
      hash.update(chunk);
      yield chunk;
    }
  }
  return { stream: Readable.from(chunks(), { objectMode: false }), digest: () => hash.digest('hex'), produced: () => produced };
}

async function digestOf(stream: Readable): Promise<{ digest: string; size: number; largestChunk: number }> {
  const hash = createHash('sha256');
  let size = 0;
  let largestChunk = 0;
  for await (const chunk of stream) {
    const bytes = chunk as Buffer;
    hash.update(bytes);
    size += bytes.length;
    largestChunk = Math.max(largestChunk, bytes.length);
  }
  return { digest: hash.digest('hex'), size, largestChunk };
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function text(stream: Readable): Promise<string> {
  return (await readAll(stream)).toString('utf8');
}

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  return isProwError(err) ? err.code : `not a ProwError: ${String(err)}`;
}

/** The behaviour every ObjectStore backend shares, run once per backend. */
export function objectStoreContract(name: string, open: OpenStore, quirks: ServerQuirks = {}): void {
  describe(`${name}: the ObjectStore contract`, () => {
    const opened: ObjectStore[] = [];
    async function fresh(): Promise<ObjectStore> {
      const store = await open(`t-${randomUUID().slice(0, 8)}`);
      opened.push(store);
      return store;
    }
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    it('gives back the text it stored, and says where it lives', async () => {
      const store = await fresh();
      await store.put('logs/job/1/build-log.txt', 'line one\nline two: ✓ ünïcødé\n');
      expect(await readText(store, 'logs/job/1/build-log.txt')).toBe('line one\nline two: ✓ ünïcødé\n');
      await store.put('bytes.bin', Buffer.from([0, 1, 2, 255]));
      expect([...(await readBuffer(store, 'bytes.bin'))]).toEqual([0, 1, 2, 255]);
      expect(store.describe()).toMatch(/t-[0-9a-f]{8}/);
    });

    it('streams an object bigger than 16 MiB in and out without holding it whole', async () => {
      const store = await fresh();
      const source = bigStream();
      await store.put('big/build-log.txt', source.stream, { contentType: 'text/plain' });
      expect(source.produced()).toBe(bigSize);
      const back = await digestOf(await store.get('big/build-log.txt'));
      expect(back.size).toBe(bigSize);
      expect(back.digest).toBe(source.digest());
      // A reader handed the whole object at once would see one 17 MiB chunk.
      expect(back.largestChunk).toBeLessThan(4 * 1024 * 1024);
      expect((await store.stat('big/build-log.txt'))?.size).toBe(bigSize);

      const mid = 16 * 1024 * 1024 - 100;
      const piece = await digestOf(await store.getRange('big/build-log.txt', mid, mid + 300_000));
      expect(piece.digest).toBe(createHash('sha256').update(bigBytes(mid, mid + 300_000)).digest('hex'));
      const tail = await store.getRange('big/build-log.txt', bigSize - 1000);
      expect((await readAll(tail)).equals(bigBytes(bigSize - 1000, bigSize))).toBe(true);
    });

    it('reads byte ranges, end exclusive, clamped to the object', async () => {
      const store = await fresh();
      await store.put('log.txt', 'hello, world');
      expect(await text(await store.getRange('log.txt', 0, 5))).toBe('hello');
      expect(await text(await store.getRange('log.txt', 7))).toBe('world');
      expect(await text(await store.getRange('log.txt', 7, 1000))).toBe('world');
      expect(await text(await store.getRange('log.txt', 5, 5))).toBe('');
      expect(await text(await store.getRange('log.txt', 12))).toBe('');
      expect(await text(await store.getRange('log.txt', 100, 200))).toBe('');
      expect(await codeOf(store.getRange('missing.txt', 0, 5))).toBe('PROW_ERR_STORAGE_NOT_FOUND');
      expect(await codeOf(store.getRange('missing.txt', 3, 3))).toBe('PROW_ERR_STORAGE_NOT_FOUND');
      await expect(store.getRange('log.txt', 5, 2)).rejects.toThrow(RangeError);
    });

    it('lists every key under a prefix in key order, and folds them at "/" when asked', async () => {
      const store = await fresh();
      const keys = [
        'logs/job-a/1/build-log.txt',
        'logs/job-a/1/finished.json',
        'logs/job-a/2/build-log.txt',
        'logs/job-a/latest-build.txt',
        'logs/job-b/1/started.json',
        'logs/job-b/latest-build.txt',
        'logs/jobless.txt',
        'pr-logs/pull/org_repo/1/job/1/build-log.txt',
      ];
      for (const key of [...keys].reverse()) await store.put(key, key);

      const all = await store.list('');
      expect(all.objects.map((o) => o.key)).toEqual(keys);
      expect(all.prefixes).toEqual([]);
      expect(all.objects[0]?.size).toBe(Buffer.byteLength(keys[0] ?? ''));
      expect(all.objects[0]?.updated).toBeInstanceOf(Date);

      expect((await store.list('logs/job-a/')).objects.map((o) => o.key)).toEqual(keys.slice(0, 4));
      expect((await store.list('logs/job')).objects.map((o) => o.key)).toEqual(keys.slice(0, 7));
      expect((await store.list('nothing/')).objects).toEqual([]);

      const top = await store.list('', { delimiter: '/' });
      expect(top).toEqual({ objects: [], prefixes: quirks.foldsOnlyShallowPrefixes === true ? ['logs/'] : ['logs/', 'pr-logs/'] });
      const logs = await store.list('logs/', { delimiter: '/' });
      expect(logs.prefixes).toEqual(['logs/job-a/', 'logs/job-b/']);
      expect(logs.objects.map((o) => o.key)).toEqual(['logs/jobless.txt']);
      const partial = await store.list('logs/job-', { delimiter: '/' });
      expect(partial).toEqual({ objects: [], prefixes: ['logs/job-a/', 'logs/job-b/'] });
      const jobA = await store.list('logs/job-a/', { delimiter: '/' });
      expect(jobA.prefixes).toEqual(['logs/job-a/1/', 'logs/job-a/2/']);
      expect(jobA.objects.map((o) => o.key)).toEqual(['logs/job-a/latest-build.txt']);
    });

    it('turns pages when a listing is longer than a page', async () => {
      const store = await fresh();
      const keys = ['a/1', 'a/2', 'a/3', 'a/4', 'a/5', 'b/1', 'c/1', 'd/1', 'e.txt'];
      await Promise.all(keys.map((k) => store.put(k, k)));

      const pages = [];
      for await (const page of store.listPages('a/', { pageSize: 2 })) pages.push(page.objects.map((o) => o.key));
      expect(pages).toEqual([['a/1', 'a/2'], ['a/3', 'a/4'], ['a/5']]);
      expect((await store.list('', { pageSize: 2 })).objects.map((o) => o.key)).toEqual(keys);

      let folded = 0;
      const seen: string[] = [];
      for await (const page of store.listPages('', { delimiter: '/', pageSize: 2 })) {
        folded++;
        seen.push(...page.prefixes, ...page.objects.map((o) => o.key));
      }
      if (quirks.pagesCountOnlyObjects !== true) expect(folded).toBeGreaterThan(1);
      expect(seen.sort()).toEqual(['a/', 'b/', 'c/', 'd/', 'e.txt']);
    });

    it('states size, time and headers, and keeps content types and encodings', async () => {
      const store = await fresh();
      const before = Date.now() - 5_000;
      await store.put('finished.json', '{"passed":true}', { contentType: 'application/json' });
      const gz = gzipSync('compressed log\n');
      await store.put('build-log.txt.gz', gz, { contentType: 'text/plain; charset=utf-8', contentEncoding: 'gzip' });

      const json = await store.stat('finished.json');
      expect(json?.size).toBe(15);
      expect(json?.contentType).toBe('application/json');
      expect(json?.updated.getTime()).toBeGreaterThan(before);
      expect(json?.updated.getTime()).toBeLessThan(Date.now() + 5_000);
      const log = await store.stat('build-log.txt.gz');
      expect(log?.contentType).toBe('text/plain; charset=utf-8');
      expect(log?.contentEncoding).toBe('gzip');
      // Given back as stored: no transcoding.
      expect((await readBuffer(store, 'build-log.txt.gz')).equals(gz)).toBe(true);
      expect(await store.stat('missing.json')).toBeUndefined();
    });

    it('deletes, and a deleted or missing key is gone everywhere', async () => {
      const store = await fresh();
      await store.put('dir/only.txt', 'x');
      await store.put('keep.txt', 'y');
      expect(await store.exists('dir/only.txt')).toBe(true);
      await store.delete('dir/only.txt');
      await store.delete('dir/only.txt');
      await store.delete('never/was.txt');
      expect(await store.exists('dir/only.txt')).toBe(false);
      expect(await store.stat('dir/only.txt')).toBeUndefined();
      expect(await codeOf(store.get('dir/only.txt'))).toBe('PROW_ERR_STORAGE_NOT_FOUND');
      expect(await store.list('', { delimiter: '/' })).toMatchObject({ prefixes: [], objects: [{ key: 'keep.txt' }] });
    });

    it('replaces an object on a second put', async () => {
      const store = await fresh();
      await store.put('latest-build.txt', '1');
      await store.put('latest-build.txt', '1234');
      expect(await readText(store, 'latest-build.txt')).toBe('1234');
      expect((await store.list('')).objects.map((o) => [o.key, o.size])).toEqual([['latest-build.txt', 4]]);
    });

    it('holds keys with spaces, unicode and URL-special characters', async () => {
      const store = await fresh();
      const keys = ['a dir/file name.txt', 'a+b%20c&d=e?f#g.txt', 'ünï/日本語 ✓.log'];
      for (const key of keys) await store.put(key, `body of ${key}`);
      for (const key of keys) expect(await readText(store, key)).toBe(`body of ${key}`);
      expect((await store.list('')).objects.map((o) => o.key)).toEqual(keys);
      expect((await store.list('ünï/')).objects.map((o) => o.key)).toEqual(['ünï/日本語 ✓.log']);
      expect((await store.list('', { delimiter: '/' })).prefixes).toEqual(['a dir/', 'ünï/']);
      expect(await text(await store.getRange('ünï/日本語 ✓.log', 0, 4))).toBe('body');
    });

    it('leaves nothing behind when the body fails part way', async () => {
      const store = await fresh();
      const failing = new Readable({
        read() {
          this.push(Buffer.alloc(1024, 'x'));
          this.destroy(new Error('the producer died'));
        },
      });
      await expect(store.put('half.txt', failing)).rejects.toThrow();
      expect(await store.exists('half.txt')).toBe(false);
      expect((await store.list('')).objects).toEqual([]);
    });

    it('refuses keys that are not relative paths', async () => {
      const store = await fresh();
      for (const key of ['../escape.txt', 'a/../../b', '/absolute', 'a//b', 'dir/', '', './x']) {
        expect(await codeOf(store.put(key, 'x')), key).toBe('PROW_ERR_STORAGE_URL_INVALID');
        expect(await codeOf(store.get(key)), key).toBe('PROW_ERR_STORAGE_URL_INVALID');
      }
      expect(await codeOf(store.list('../'))).toBe('PROW_ERR_STORAGE_URL_INVALID');
    });
  });
}
