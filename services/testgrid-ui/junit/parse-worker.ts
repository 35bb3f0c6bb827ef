import { parentPort } from 'node:worker_threads';
import { packResult, type PackedResult } from './packed-result.ts';
import { MalformedJUnitError, parseJUnit } from './parse-junit.ts';

/** A parse request from the pool: the file's name and bytes. */
export interface ParseRequest {
  id: number;
  file: string;
  bytes: Uint8Array;
}

/** The answer: the result, packed (posting it costs more than parsing it otherwise), or what is wrong with the file. */
export type ParseReply = { id: number; result: PackedResult } | { id: number; error: string };

parentPort?.on('message', (req: ParseRequest) => {
  let reply: ParseReply;
  try {
    reply = { id: req.id, result: packResult(parseJUnit(req.file, Buffer.from(req.bytes.buffer, req.bytes.byteOffset, req.bytes.byteLength))) };
  } catch (err) {
    reply = { id: req.id, error: err instanceof MalformedJUnitError ? err.why : (err as Error).message };
  }
  parentPort?.postMessage(reply);
});
