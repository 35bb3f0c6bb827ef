import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { ObjectStore } from '../../../lib/storage/index.ts';

/** Spyglass' buildlog lens' default highlight expressions: the lines a reader looks for first. */
export const failurePatterns: readonly RegExp[] = [/timed out/, /ERROR:/, /(FAIL|Failure \[)\b/, /panic\b/, /^E\d{4} \d\d:\d\d:\d\d\.\d\d\d]/];

/** Bytes of log one piece carries: the page shows the first and fetches the next on request. */
export const defaultPieceBytes = 256 * 1024;

/** One line of a build log. */
export interface LogLine {
  number: number;
  text: string;
  failure: boolean;
}

/** One piece of a log, ending at a line's end (unless one line is longer than a piece). */
export interface LogPiece {
  /** The byte offset the piece starts at (of the decoded log, for a gzip-stored one). */
  start: number;
  /** Where the next piece starts; equal to `size` when this is the last. */
  next: number;
  /** The log's size in bytes, when known (a gzip-stored log's decoded size is known only at its end). */
  size: number | undefined;
  done: boolean;
  lines: LogLine[];
}

/** True for a line a failure pattern matches. */
export function isFailureLine(text: string): boolean {
  return failurePatterns.some((p) => p.test(text));
}

async function collect(stream: Readable, limit: number, skip = 0): Promise<{ bytes: Buffer; ended: boolean }> {
  const chunks: Buffer[] = [];
  let skipped = 0;
  let held = 0;
  for await (const raw of stream) {
    let chunk = Buffer.from(raw as Uint8Array);
    if (skipped < skip) {
      const drop = Math.min(skip - skipped, chunk.length);
      skipped += drop;
      chunk = chunk.subarray(drop);
    }
    if (chunk.length === 0) continue;
    chunks.push(chunk);
    held += chunk.length;
    if (held > limit) {
      stream.destroy();
      return { bytes: Buffer.concat(chunks).subarray(0, limit + 1), ended: false };
    }
  }
  return { bytes: Buffer.concat(chunks), ended: true };
}

/**
 * Reads the piece of `key` from byte `start` with a ranged read (one byte more than a piece, to know whether
 * more follows), cut after its last newline so no line is split, with lines numbered from `firstLine`.
 * A gzip-stored log cannot be read by range, so it is decoded from its start and the bytes before `start` skipped.
 */
export async function readLogPiece(store: ObjectStore, key: string, start: number, firstLine: number, pieceBytes = defaultPieceBytes): Promise<LogPiece> {
  const stat = await store.stat(key);
  const gzip = stat?.contentEncoding === 'gzip';
  const { bytes, ended } = gzip
    ? await collect((await store.get(key)).pipe(createGunzip()), pieceBytes, start)
    : await collect(await store.getRange(key, start, start + pieceBytes + 1), pieceBytes);
  const more = gzip ? !ended : bytes.length > pieceBytes || (stat !== undefined && start + bytes.length < stat.size);
  let body = bytes.subarray(0, pieceBytes);
  if (more) {
    const cut = body.lastIndexOf(0x0a);
    if (cut >= 0) body = body.subarray(0, cut + 1);
  }
  const text = body.toString('utf8');
  const parts = text.split('\n');
  if (parts.at(-1) === '') parts.pop();
  const next = start + body.length;
  return {
    start,
    next,
    size: gzip ? (more ? undefined : next) : stat?.size,
    done: !more,
    lines: parts.map((line, i) => ({ number: firstLine + i, text: line, failure: isFailureLine(line) })),
  };
}
