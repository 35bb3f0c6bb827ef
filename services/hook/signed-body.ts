import { createHmac } from 'node:crypto';
import type { Readable } from 'node:stream';

/** GitHub's own cap on webhook payloads; anything larger is refused with 413. */
export const maxWebhookBytes = 25 * 1024 * 1024;

/** A request body as the webhook route reads it: bytes (unless over the limit) and one HMAC per key. */
export interface SignedBody {
  /** The body, or undefined when it was larger than the limit (it was hashed, not kept). */
  raw: Buffer | undefined;
  size: number;
  /** HMAC-SHA256 of the whole body under each key, in the keys' order. */
  digests: Buffer[];
}

/**
 * Reads a body while hashing it under every key, keeping at most `limit` bytes in memory. Hashing as the
 * bytes arrive lets the signature be judged before the size, in Prow's order, without holding an
 * oversized body.
 */
export function readSignedBody(stream: Readable, keys: readonly Buffer[], limit = maxWebhookBytes): Promise<SignedBody> {
  const hmacs = keys.map((k) => createHmac('sha256', k));
  const chunks: Buffer[] = [];
  let size = 0;
  return new Promise((resolve, reject) => {
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      for (const h of hmacs) h.update(chunk);
      if (size <= limit) chunks.push(chunk);
      else chunks.length = 0;
    });
    stream.once('error', reject);
    stream.once('end', () => {
      const raw = size > limit ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
      resolve({ raw, size, digests: hmacs.map((h) => h.digest()) });
    });
  });
}
