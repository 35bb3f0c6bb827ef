import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { unpackResult } from './packed-result.ts';
import { MalformedJUnitError, parseJUnit, type JUnitResult } from './parse-junit.ts';
import type { ParseReply, ParseRequest } from './parse-worker.ts';

/** Parses JUnit files: in this thread, or spread over worker threads. Errors are MalformedJUnitError. */
export interface JUnitParser {
  parse(file: string, bytes: Buffer): Promise<JUnitResult>;
  close(): Promise<void>;
}

/** Parses in the calling thread. */
export const inlineJUnitParser: JUnitParser = {
  parse: (file, bytes) => Promise.resolve(parseJUnit(file, bytes)),
  close: () => Promise.resolve(),
};

// The worker is TypeScript: it is loaded through tsx's API whatever runs this process (tsx, vitest).
const bootstrap = `
const { workerData } = require('node:worker_threads');
import('tsx/esm/api').then(({ tsImport }) => tsImport(workerData.url, workerData.url));
`;

/**
 * Parses on `workers` threads (one per core by default), so reading a large test group uses every core while
 * this thread does the I/O. Each file goes to the worker with the fewest files in hand.
 */
export function createJUnitParserPool(workers = availableParallelism()): JUnitParser {
  const url = new URL('./parse-worker.ts', import.meta.url);
  let nextId = 0;
  const pending = new Map<number, { file: string; resolve: (r: JUnitResult) => void; reject: (e: Error) => void }>();
  const pool = Array.from({ length: Math.max(1, workers) }, () => {
    const worker = new Worker(bootstrap, { eval: true, workerData: { url: url.href } });
    const slot = { worker, inFlight: 0 };
    worker.on('message', (reply: ParseReply) => {
      slot.inFlight--;
      const waiter = pending.get(reply.id);
      pending.delete(reply.id);
      if (waiter === undefined) return;
      if ('error' in reply) waiter.reject(new MalformedJUnitError(waiter.file, reply.error));
      else waiter.resolve(unpackResult(reply.result));
    });
    worker.on('error', (err) => {
      for (const [id, w] of pending) {
        pending.delete(id);
        w.reject(err);
      }
    });
    worker.unref();
    return slot;
  });
  return {
    parse(file, bytes) {
      const slot = pool.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
      const id = nextId++;
      slot.inFlight++;
      return new Promise<JUnitResult>((resolve, reject) => {
        pending.set(id, { file, resolve, reject });
        const req: ParseRequest = { id, file, bytes };
        slot.worker.postMessage(req);
      });
    },
    async close() {
      await Promise.all(pool.map((s) => s.worker.terminate()));
    },
  };
}
