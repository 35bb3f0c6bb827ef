import { Readable } from 'node:stream';
import { ProwError } from '../errors.ts';

/**
 * Refuses a key the three backends cannot all hold the same way: empty, absolute, ending in '/', with empty,
 * `.` or `..` segments, or with NUL. Keys often carry job names from configuration, so this is a user error.
 */
export function checkKey(where: string, key: string): void {
  const why = keyProblem(key);
  if (why !== undefined) throw new ProwError('PROW_ERR_STORAGE_URL_INVALID', `${where} key "${key}"`, why);
}

/** Refuses a list prefix that no valid key could start with; '' lists everything. */
export function checkPrefix(where: string, prefix: string): void {
  if (prefix === '') return;
  // A prefix is a key cut anywhere, so only its complete segments must be valid.
  const complete = prefix.slice(0, prefix.lastIndexOf('/') + 1);
  const why = complete === '' ? keyProblem(prefix) : keyProblem(`${complete}x`);
  if (why !== undefined) throw new ProwError('PROW_ERR_STORAGE_URL_INVALID', `${where} prefix "${prefix}"`, why);
}

function keyProblem(key: string): string | undefined {
  if (key === '') return 'a key cannot be empty';
  if (key.startsWith('/')) return 'keys are relative to the store and cannot start with "/"';
  if (key.endsWith('/')) return 'a key cannot end with "/"';
  if (key.includes('\0')) return 'a key cannot contain NUL';
  for (const segment of key.split('/')) {
    if (segment === '') return 'a key cannot contain an empty segment ("//")';
    if (segment === '.' || segment === '..') return `a key cannot contain a "${segment}" segment`;
  }
  return undefined;
}

/** A bucket path prefix without surrounding slashes: '' for the bucket's root. */
export function trimSlashes(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}

/** `root/key`, or `key` when the store is at the bucket's root. */
export function joinKey(root: string, key: string): string {
  return root === '' ? key : `${root}/${key}`;
}

/** The object-relative key of a full bucket key under `root`. */
export function relativeKey(root: string, fullKey: string): string {
  return root === '' ? fullKey : fullKey.slice(root.length + 1);
}

/** Checks a byte range: whole numbers, `start` at or before `end`. */
export function checkRange(start: number, end: number | undefined): void {
  if (!Number.isSafeInteger(start) || start < 0) throw new RangeError(`range start ${start} must be a whole number >= 0`);
  if (end !== undefined && (!Number.isSafeInteger(end) || end < start)) {
    throw new RangeError(`range end ${end} must be a whole number >= start (${start})`);
  }
}

/** The HTTP Range header for bytes [start, end): HTTP's last byte is inclusive. */
export function rangeHeader(start: number, end: number | undefined): string {
  return `bytes=${start}-${end === undefined ? '' : String(end - 1)}`;
}

/** A stream with no bytes, for ranges that select none. */
export function emptyStream(): Readable {
  return Readable.from([]);
}

/** Orders keys as S3 and GCS do: by the bytes of their UTF-8 encoding. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
