import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An in-memory GCS speaking the part of the JSON API that `@google-cloud/storage` 7 uses for lib/storage:
 * objects get (metadata, and `alt=media` with Range), list (prefix, delimiter, maxResults, pageToken),
 * delete, and insert as multipart or resumable upload (one PUT, or chunks answered with 308). Objects carry
 * md5Hash and crc32c, and downloads x-goog-hash, so the library's integrity checks run for real. Errors
 * have GCS's JSON shape. Not covered: generations and preconditions, ACLs, rewrite/compose, buckets API
 * beyond a 404 for unknown ones, authentication.
 */
export interface FakeGcs {
  /** For `apiEndpoint`. */
  endpoint: string;
  /** `METHOD path?query` of every request, in order, for tests that count round trips. */
  requests: string[];
  close(): Promise<void>;
}

export interface FakeGcsOptions {
  buckets: string[];
  /** The most items (objects plus prefixes) one list page holds, whatever maxResults asks; 1000 as GCS. */
  maxPageSize?: number;
}

interface StoredObject {
  data: Buffer;
  contentType: string;
  contentEncoding: string | undefined;
  generation: number;
  updated: Date;
  md5: string;
  crc32c: string;
}

interface Session {
  bucket: string;
  name: string;
  metadata: ObjectMetadata;
  chunks: Buffer[];
  received: number;
}

interface ObjectMetadata {
  contentType?: string;
  contentEncoding?: string;
}

class HttpError extends Error {
  readonly status: number;
  readonly reason: string;
  constructor(status: number, reason: string, message: string) {
    super(message);
    this.status = status;
    this.reason = reason;
  }
}

/** Starts the fake on a free port of 127.0.0.1. */
export async function startGcsServer(options: FakeGcsOptions): Promise<FakeGcs> {
  const buckets = new Map<string, Map<string, StoredObject>>(options.buckets.map((b) => [b, new Map()]));
  const sessions = new Map<string, Session>();
  const maxPageSize = options.maxPageSize ?? 1000;
  const requests: string[] = [];
  let generation = 1;
  let endpoint = '';

  function bucketNamed(name: string): Map<string, StoredObject> {
    const bucket = buckets.get(name);
    if (bucket === undefined) throw new HttpError(404, 'notFound', 'The specified bucket does not exist.');
    return bucket;
  }

  function objectIn(bucket: string, name: string): StoredObject {
    const object = bucketNamed(bucket).get(name);
    if (object === undefined) throw new HttpError(404, 'notFound', `No such object: ${bucket}/${name}`);
    return object;
  }

  function store(bucket: string, name: string, data: Buffer, metadata: ObjectMetadata): StoredObject {
    if (name === '') throw new HttpError(400, 'required', 'Required');
    const object: StoredObject = {
      data,
      contentType: metadata.contentType ?? 'application/octet-stream',
      contentEncoding: metadata.contentEncoding,
      generation: generation++,
      updated: new Date(),
      md5: createHash('md5').update(data).digest('base64'),
      crc32c: crc32c(data),
    };
    bucketNamed(bucket).set(name, object);
    return object;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push(`${req.method ?? ''} ${url.pathname}${url.search}`);
    const method = req.method ?? 'GET';
    const api = /^\/storage\/v1\/b\/([^/]+)\/o(?:\/(.+))?$/.exec(url.pathname);
    const upload = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname);

    if (api !== null) {
      const bucket = decodeURIComponent(api[1] ?? '');
      const name = api[2] === undefined ? undefined : decodeURIComponent(api[2]);
      if (name === undefined && method === 'GET') {
        sendJson(res, 200, listObjects(bucket, url.searchParams));
        return;
      }
      if (name !== undefined && method === 'GET') {
        const object = objectIn(bucket, name);
        if (url.searchParams.get('alt') === 'media') sendMedia(req, res, object);
        else sendJson(res, 200, resource(bucket, name, object));
        return;
      }
      if (name !== undefined && method === 'DELETE') {
        objectIn(bucket, name);
        bucketNamed(bucket).delete(name);
        res.writeHead(204).end();
        return;
      }
    }
    if (upload !== null) {
      const bucket = decodeURIComponent(upload[1] ?? '');
      bucketNamed(bucket);
      const type = url.searchParams.get('uploadType');
      if (method === 'POST' && type === 'multipart') {
        const { metadata, data } = splitMultipart(req.headers['content-type'] ?? '', await readBody(req));
        const name = (metadata as { name?: string }).name ?? url.searchParams.get('name') ?? '';
        sendJson(res, 200, resource(bucket, name, store(bucket, name, data, metadata)));
        return;
      }
      if (method === 'POST' && type === 'resumable') {
        const metadata = JSON.parse((await readBody(req)).toString('utf8') || '{}') as ObjectMetadata & { name?: string };
        const name = url.searchParams.get('name') ?? metadata.name ?? '';
        const id = randomUUID();
        sessions.set(id, { bucket, name, metadata, chunks: [], received: 0 });
        const location = `${endpoint}/upload/storage/v1/b/${encodeURIComponent(bucket)}/o?uploadType=resumable&upload_id=${id}`;
        res.writeHead(200, { location }).end();
        return;
      }
      if (method === 'PUT' && type === 'resumable') {
        await resumeUpload(url.searchParams.get('upload_id') ?? '', req, res);
        return;
      }
    }
    throw new HttpError(400, 'invalid', `the fake GCS does not answer ${method} ${url.pathname}`);
  }

  /** One PUT of a resumable session: `bytes a-b/total` chunks (308 until the last) or status checks with an unknown range. */
  async function resumeUpload(id: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const session = sessions.get(id);
    if (session === undefined) throw new HttpError(404, 'notFound', 'No such upload session.');
    const range = /^bytes (\*|(\d+)-(\d+|\*))\/(\d+|\*)$/.exec(req.headers['content-range'] ?? 'bytes */*');
    if (range === null) throw new HttpError(400, 'invalid', `bad Content-Range ${req.headers['content-range'] ?? ''}`);
    const total = range[4] === '*' ? undefined : Number(range[4]);
    if (range[1] !== '*') {
      if (Number(range[2]) !== session.received) throw new HttpError(400, 'invalid', 'chunk does not continue the upload');
      for await (const chunk of req) {
        session.chunks.push(chunk as Buffer);
        session.received += (chunk as Buffer).length;
      }
    } else {
      await readBody(req);
    }
    // A single-request upload (a range ending in "-*") is complete when its body is.
    const complete = range[3] === '*' || (total !== undefined && session.received === total);
    if (!complete) {
      res.writeHead(308, session.received > 0 ? { range: `bytes=0-${String(session.received - 1)}` } : {}).end();
      return;
    }
    sessions.delete(id);
    const object = store(session.bucket, session.name, Buffer.concat(session.chunks), session.metadata);
    sendJson(res, 200, resource(session.bucket, session.name, object));
  }

  function listObjects(bucketName: string, q: URLSearchParams): unknown {
    const bucket = bucketNamed(bucketName);
    const prefix = q.get('prefix') ?? '';
    const delimiter = q.get('delimiter') ?? '';
    const pageSize = Math.min(Number(q.get('maxResults') ?? maxPageSize), maxPageSize);
    const after = q.has('pageToken') ? Buffer.from(q.get('pageToken') ?? '', 'base64url').toString('utf8') : undefined;
    const names = [...bucket.keys()].filter((n) => n.startsWith(prefix)).sort(byBytes);
    // Objects and folded prefixes in one ordered run, each prefix where its first key would be.
    const entries: { name: string; object?: StoredObject | undefined }[] = [];
    for (const name of names) {
      const cut = delimiter === '' ? -1 : name.indexOf(delimiter, prefix.length);
      if (cut === -1) entries.push({ name, object: bucket.get(name) });
      else {
        const folded = name.slice(0, cut + delimiter.length);
        if (entries.at(-1)?.name !== folded) entries.push({ name: folded });
      }
    }
    const start = after === undefined ? 0 : entries.findIndex((e) => byBytes(e.name, after) > 0);
    const page = start === -1 ? [] : entries.slice(start, start + pageSize);
    const more = start !== -1 && start + pageSize < entries.length;
    const items = page.flatMap((e) => (e.object === undefined ? [] : [resource(bucketName, e.name, e.object)]));
    const prefixes = page.filter((e) => e.object === undefined).map((e) => e.name);
    return {
      kind: 'storage#objects',
      ...(items.length > 0 && { items }),
      ...(prefixes.length > 0 && { prefixes }),
      ...(more && { nextPageToken: Buffer.from(page.at(-1)?.name ?? '', 'utf8').toString('base64url') }),
    };
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const e = err instanceof HttpError ? err : new HttpError(500, 'backendError', String(err));
      sendJson(res, e.status, { error: { code: e.status, message: e.message, errors: [{ message: e.message, domain: 'global', reason: e.reason }] } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`;
  return {
    endpoint,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => { if (err) reject(err); else resolve(); });
      }),
  };
}

function resource(bucket: string, name: string, o: StoredObject): Record<string, unknown> {
  return {
    kind: 'storage#object',
    id: `${bucket}/${name}/${String(o.generation)}`,
    name,
    bucket,
    generation: String(o.generation),
    metageneration: '1',
    contentType: o.contentType,
    ...(o.contentEncoding !== undefined && { contentEncoding: o.contentEncoding }),
    size: String(o.data.length),
    md5Hash: o.md5,
    crc32c: o.crc32c,
    storageClass: 'STANDARD',
    timeCreated: o.updated.toISOString(),
    updated: o.updated.toISOString(),
    etag: String(o.generation),
  };
}

/** The object's bytes as stored (GCS skips transcoding for clients accepting gzip), whole or one Range. */
function sendMedia(req: IncomingMessage, res: ServerResponse, o: StoredObject): void {
  const headers: Record<string, string> = {
    'content-type': o.contentType,
    'accept-ranges': 'bytes',
    'x-goog-generation': String(o.generation),
    'x-goog-stored-content-encoding': o.contentEncoding ?? 'identity',
    'x-goog-stored-content-length': String(o.data.length),
    'x-goog-hash': `crc32c=${o.crc32c},md5=${o.md5}`,
    ...(o.contentEncoding !== undefined && { 'content-encoding': o.contentEncoding }),
  };
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
  if (range === null) {
    res.writeHead(200, { ...headers, 'content-length': String(o.data.length) }).end(o.data);
    return;
  }
  const size = o.data.length;
  let start = Number(range[1]);
  let end = range[2] === '' ? size - 1 : Math.min(Number(range[2]), size - 1);
  if (range[1] === '') {
    start = Math.max(0, size - Number(range[2]));
    end = size - 1;
  }
  if (start >= size || start > end) {
    throw new HttpError(416, 'requestedRangeNotSatisfiable', 'The requested range cannot be satisfied.');
  }
  const body = o.data.subarray(start, end + 1);
  res
    .writeHead(206, { ...headers, 'content-length': String(body.length), 'content-range': `bytes ${String(start)}-${String(end)}/${String(size)}` })
    .end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A multipart/related upload: the JSON metadata part, then the media part. */
function splitMultipart(contentType: string, body: Buffer): { metadata: ObjectMetadata; data: Buffer } {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType)?.[1];
  if (boundary === undefined) throw new HttpError(400, 'invalid', 'multipart upload without a boundary');
  const parts: Buffer[] = [];
  const marker = Buffer.from(`--${boundary}`);
  let at = body.indexOf(marker);
  while (at !== -1) {
    const next = body.indexOf(marker, at + marker.length);
    if (next === -1) break;
    const part = body.subarray(at + marker.length, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    // Each part is "\r\n<headers>\r\n\r\n<content>\r\n".
    parts.push(part.subarray(headerEnd + 4, part.length - 2));
    at = next;
  }
  const [meta, data] = parts;
  if (meta === undefined || data === undefined) throw new HttpError(400, 'invalid', 'multipart upload needs metadata and media parts');
  return { metadata: JSON.parse(meta.toString('utf8')) as ObjectMetadata, data };
}

function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC32C (Castagnoli) as GCS reports it: four big-endian bytes in base64. */
function crc32c(data: Buffer): string {
  let crc = 0xffffffff;
  for (const byte of data) crc = (crcTable[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  const out = Buffer.alloc(4);
  out.writeUInt32BE((crc ^ 0xffffffff) >>> 0);
  return out.toString('base64');
}
