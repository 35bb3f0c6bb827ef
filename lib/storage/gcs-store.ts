import { ApiError, Storage, type Bucket, type File, type StorageOptions } from '@google-cloud/storage';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ProwError } from '../errors.ts';
import { causeOf } from './cause.ts';
import { checkKey, checkPrefix, checkRange, emptyStream, joinKey, relativeKey, trimSlashes } from './keys.ts';
import type { ListOptions, ListPage, ObjectBody, ObjectStat, ObjectStore, PutOptions } from './object-store.ts';
import { collectPages } from './object-store.ts';

/** Where and how to reach a GCS bucket. Without credentials, Application Default Credentials apply (GOOGLE_APPLICATION_CREDENTIALS, the metadata server). */
export interface GcsStoreOptions {
  bucket: string;
  /** Path inside the bucket the store is rooted at; '' for the whole bucket. */
  prefix?: string;
  /** Another JSON API endpoint, such as an emulator; requests to it are unauthenticated unless credentials are given. */
  apiEndpoint?: string;
  projectId?: string;
  /** A service account key, as parsed from Prow's `service-account.json`. */
  credentials?: { client_email?: string; private_key?: string } & Record<string, unknown>;
  /** Path of a service account key file. */
  keyFilename?: string;
  /** Retries of a failed request, the library's 3 unless set; 0 for none. */
  maxRetries?: number;
}

interface ListResponse {
  prefixes?: string[];
}

/** Objects in a GCS bucket through the JSON API; streams are uploaded as resumable uploads. */
export class GcsStore implements ObjectStore {
  private readonly bucket: Bucket;
  private readonly root: string;
  private readonly endpoint: string | undefined;

  constructor(options: GcsStoreOptions) {
    this.root = trimSlashes(options.prefix ?? '');
    this.endpoint = options.apiEndpoint;
    const authenticated = options.credentials !== undefined || options.keyFilename !== undefined;
    const storageOptions: StorageOptions = {
      ...(options.apiEndpoint !== undefined && { apiEndpoint: options.apiEndpoint, useAuthWithCustomEndpoint: authenticated }),
      ...(options.projectId !== undefined && { projectId: options.projectId }),
      ...(options.credentials !== undefined && { credentials: options.credentials }),
      ...(options.keyFilename !== undefined && { keyFilename: options.keyFilename }),
      // The library reads maxRetries 0 as "use the default", so no retries means turning them off.
      ...(options.maxRetries !== undefined &&
        { retryOptions: options.maxRetries === 0 ? { autoRetry: false } : { maxRetries: options.maxRetries } }),
    };
    this.bucket = new Storage(storageOptions).bucket(options.bucket);
  }

  describe(): string {
    return this.root === '' ? `gs://${this.bucket.name}` : `gs://${this.bucket.name}/${this.root}`;
  }

  /** Lists one key, so a wrong endpoint, bucket or credentials fail now rather than at the first upload. */
  async check(): Promise<void> {
    await this.wrap(this.bucket.getFiles({ prefix: this.root, maxResults: 1, autoPaginate: false }));
  }

  async put(key: string, body: ObjectBody, options: PutOptions = {}): Promise<void> {
    const file = this.file(key);
    const streamed = !(typeof body === 'string' || Buffer.isBuffer(body));
    const metadata = {
      ...(options.contentType !== undefined && { contentType: options.contentType }),
      ...(options.contentEncoding !== undefined && { contentEncoding: options.contentEncoding }),
    };
    // A stream of unknown length goes as one resumable upload, finalized only when the body ends, so a body
    // that fails part way leaves no object; a buffer goes in one multipart request.
    const sink = file.createWriteStream({ resumable: streamed, metadata, validation: 'crc32c' });
    await this.wrap(pipeline(streamed ? body : Readable.from([body]), sink));
  }

  async get(key: string): Promise<Readable> {
    return this.read(key, {});
  }

  async getRange(key: string, start: number, end?: number): Promise<Readable> {
    checkRange(start, end);
    if (end === start) {
      if (!(await this.exists(key))) throw this.notFound(key);
      return emptyStream();
    }
    // The library's `end` is inclusive.
    return this.read(key, { start, ...(end !== undefined && { end: end - 1 }) });
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    return collectPages(this.listPages(prefix, options));
  }

  async *listPages(prefix: string, options: ListOptions = {}): AsyncIterable<ListPage> {
    checkPrefix(this.describe(), prefix);
    let pageToken: string | undefined;
    do {
      const [files, next, response] = await this.wrap(
        this.bucket.getFiles({
          prefix: this.root === '' ? prefix : `${this.root}/${prefix}`,
          autoPaginate: false,
          ...(options.delimiter !== undefined && { delimiter: options.delimiter }),
          ...(options.pageSize !== undefined && { maxResults: options.pageSize }),
          ...(pageToken !== undefined && { pageToken }),
        }),
      );
      yield {
        objects: files.map((f) => ({
          key: relativeKey(this.root, f.name),
          size: Number(f.metadata.size ?? 0),
          updated: new Date(f.metadata.updated ?? 0),
        })),
        prefixes: ((response as ListResponse | undefined)?.prefixes ?? []).map((p) => relativeKey(this.root, p)),
      };
      pageToken = (next as { pageToken?: string } | null)?.pageToken;
    } while (pageToken !== undefined);
  }

  async stat(key: string): Promise<ObjectStat | undefined> {
    const file = this.file(key);
    try {
      const [m] = await this.wrap(file.getMetadata());
      return {
        size: Number(m.size ?? 0),
        updated: new Date(m.updated ?? 0),
        contentType: m.contentType,
        contentEncoding: m.contentEncoding,
      };
    } catch (err) {
      if (err instanceof ApiError && err.code === 404) return undefined;
      throw err;
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== undefined;
  }

  async delete(key: string): Promise<void> {
    await this.wrap(this.file(key).delete({ ignoreNotFound: true }));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private file(key: string): File {
    checkKey(this.describe(), key);
    return this.bucket.file(joinKey(this.root, key));
  }

  /**
   * Starts the download and waits for its first bytes (or its end, or its error), so a missing object is
   * an error here rather than on the caller's stream. Bytes come as stored: gzip is not undone.
   */
  private async read(key: string, range: { start?: number; end?: number }): Promise<Readable> {
    const file = this.file(key);
    const stream = file.createReadStream({ decompress: false, ...range });
    try {
      await new Promise<void>((resolve, reject) => {
        stream.once('readable', resolve);
        stream.once('error', reject);
      });
    } catch (err) {
      if (err instanceof ApiError && err.code === 416) return emptyStream();
      if (err instanceof ApiError && err.code === 404) throw this.notFound(key);
      throw this.translate(err);
    }
    stream.removeAllListeners('readable');
    return stream;
  }

  private notFound(key: string): ProwError {
    return new ProwError('PROW_ERR_STORAGE_NOT_FOUND', key, this.describe());
  }

  /** Awaits a request; a missing bucket, refused credentials or a failed connection become PROW_ERR_STORAGE_UNREACHABLE. */
  private async wrap<T>(request: Promise<T>): Promise<T> {
    try {
      return await request;
    } catch (err) {
      throw this.translate(err);
    }
  }

  private translate(err: unknown): unknown {
    if (err instanceof ProwError) return err;
    if (err instanceof ApiError) {
      const bucketMissing = err.code === 404 && /bucket/i.test(err.message);
      if (bucketMissing || err.code === 401 || err.code === 403) {
        return new ProwError('PROW_ERR_STORAGE_UNREACHABLE', this.where(), `${String(err.code)}: ${err.message}`);
      }
      return err;
    }
    if (err instanceof Error && 'code' in err && typeof err.code === 'string' && /^E[A-Z]+$/.test(err.code)) {
      return new ProwError('PROW_ERR_STORAGE_UNREACHABLE', this.where(), causeOf(err));
    }
    return err;
  }

  private where(): string {
    return this.endpoint === undefined ? this.describe() : `${this.describe()} (endpoint ${this.endpoint})`;
  }
}
