import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DirStore } from '../../../lib/storage/index.ts';
import { readLogPiece } from './build-log.ts';

let dir: string;
let store: DirStore;
const log = Array.from({ length: 200 }, (_, i) => (i === 150 ? 'panic: runtime error: index out of range' : `line ${String(i + 1)} ${'x'.repeat(i % 40)}`)).join('\n');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'build-log-'));
  store = new DirStore(dir);
  await store.put('plain/build-log.txt', log);
  await store.put('gzip/build-log.txt', gzipSync(log), { contentEncoding: 'gzip' });
});
afterAll(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

async function readAll(key: string): Promise<{ texts: string[]; numbers: number[]; failures: number[]; pieces: number; size: number | undefined }> {
  const texts: string[] = [];
  const numbers: number[] = [];
  const failures: number[] = [];
  let start = 0;
  let line = 1;
  let pieces = 0;
  for (;;) {
    const piece = await readLogPiece(store, key, start, line, 512);
    pieces++;
    for (const l of piece.lines) {
      texts.push(l.text);
      numbers.push(l.number);
      if (l.failure) failures.push(l.number);
    }
    line += piece.lines.length;
    start = piece.next;
    if (piece.done) return { texts, numbers, failures, pieces, size: piece.size };
  }
}

describe('readLogPiece', () => {
  it('reads a log without a final newline in whole-line pieces, numbered on, the panic marked', async () => {
    const all = await readAll('plain/build-log.txt');
    expect(all.pieces).toBeGreaterThan(5);
    expect(all.texts).toEqual(log.split('\n'));
    expect(all.numbers).toEqual(log.split('\n').map((_, i) => i + 1));
    expect(all.failures).toEqual([151]);
    expect(all.size).toBe(Buffer.byteLength(log));
  });

  it('reads a gzip-stored log into the same pieces, its size known at the end', async () => {
    const gz = await readAll('gzip/build-log.txt');
    const plain = await readAll('plain/build-log.txt');
    expect(gz.texts).toEqual(plain.texts);
    expect(gz.pieces).toBe(plain.pieces);
    expect(gz.size).toBe(Buffer.byteLength(log));
    expect((await readLogPiece(store, 'gzip/build-log.txt', 0, 1, 512)).size).toBeUndefined();
  });
});
