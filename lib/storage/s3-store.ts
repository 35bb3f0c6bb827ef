import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { Readable } from 'node:stream';
import { ProwError } from '../errors.ts';
import { causeOf } from './cause.ts';
import { checkKey, checkPrefix, checkRange, emptyStream, joinKey, rangeHeader, relativeKey, trimSlashes } from './keys.ts';
import type { ListOptions, ListPage, ObjectBody, ObjectStat, ObjectStore, PutOptions } from './object-store.ts';
import { collectPages } from './object-store.ts';

/** Where and how to reach an S3 bucket. Anything left out comes from the SDK's default chain (AWS_* variables, ~/.aws, IAM roles). */
export interface S3StoreOptions {
  bucket: string;
  /** Path inside the bucket the store is rooted at; '' for the whole bucket. */
  prefix?: string;
  /** An S3-compatible server such as MinIO, e.g. `http://minio.prow.svc:9000`; AWS when omitted. */
  endpoint?: string;
  region?: string;
  /** Bucket in the path rather than the host name; most S3-compatible servers need it. */
  forcePathStyle?: boolean;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Attempts per request, the SDK's 3 unless set. */
  maxAttempts?: number;
  /** Bytes per part of a multipart upload (at least 5 MiB): what a streaming put holds in memory per part. */
  partSize?: number;
}

/** Objects in an S3 bucket (AWS or compatible), streamed both ways. */
export class S3Store implements ObjectStore {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly root: string;
  private readonly endpoint: string | undefined;
  private readonly partSize: number | undefined;

  constructor(options: S3StoreOptions) {
    this.bucket = options.bucket;
    this.root = trimSlashes(options.prefix ?? '');
    this.endpoint = options.endpoint;
    this.partSize = options.partSize;
    this.client = new S3Client({
      ...(options.endpoint !== undefined && { endpoint: options.endpoint }),
      ...(options.region !== undefined && { region: options.region }),
      ...(options.forcePathStyle !== undefined && { forcePathStyle: options.forcePathStyle }),
      ...(options.credentials !== undefined && { credentials: options.credentials }),
      ...(options.maxAttempts !== undefined && { maxAttempts: options.maxAttempts }),
      // The SDK's default CRC checksums frame streamed bodies as aws-chunked, which many S3-compatible
      // servers (s3rver, older MinIO and Ceph) store as-is; checksums only where S3 requires them.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  describe(): string {
    return this.root === '' ? `s3://${this.bucket}` : `s3://${this.bucket}/${this.root}`;
  }

  /** Lists one key, so a wrong endpoint, bucket or credentials fail now rather than at the first upload. */
  async check(): Promise<void> {
    await this.wrap(this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.root, MaxKeys: 1 })));
  }

  async put(key: string, body: ObjectBody, options: PutOptions = {}): Promise<void> {
    checkKey(this.describe(), key);
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.bucket,
        Key: joinKey(this.root, key),
        Body: body,
        ...(options.contentType !== undefined && { ContentType: options.contentType }),
        ...(options.contentEncoding !== undefined && { ContentEncoding: options.contentEncoding }),
      },
      ...(this.partSize !== undefined && { partSize: this.partSize }),
      leavePartsOnError: false,
    });
    await this.wrap(upload.done());
  }

  async get(key: string): Promise<Readable> {
    return this.read(key, undefined);
  }

  async getRange(key: string, start: number, end?: number): Promise<Readable> {
    checkRange(start, end);
    if (end === start) {
      if (!(await this.exists(key))) throw this.notFound(key);
      return emptyStream();
    }
    return this.read(key, rangeHeader(start, end));
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    return collectPages(this.listPages(prefix, options));
  }

  async *listPages(prefix: string, options: ListOptions = {}): AsyncIterable<ListPage> {
    checkPrefix(this.describe(), prefix);
    const fullPrefix = this.root === '' ? prefix : `${this.root}/${prefix}`;
    let token: string | undefined;
    do {
      const out = await this.wrap(this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: fullPrefix,
          ...(options.delimiter !== undefined && { Delimiter: options.delimiter }),
          ...(options.pageSize !== undefined && { MaxKeys: options.pageSize }),
          ...(token !== undefined && { ContinuationToken: token }),
        }),
      ));
      yield {
        objects: (out.Contents ?? []).map((o) => ({
          key: relativeKey(this.root, o.Key ?? ''),
          size: o.Size ?? 0,
          updated: o.LastModified ?? new Date(0),
        })),
        prefixes: (out.CommonPrefixes ?? []).map((p) => relativeKey(this.root, p.Prefix ?? '')),
      };
      token = out.IsTruncated === true ? out.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  async stat(key: string): Promise<ObjectStat | undefined> {
    checkKey(this.describe(), key);
    try {
      const out = await this.wrap(this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: joinKey(this.root, key) })));
      return {
        size: out.ContentLength ?? 0,
        updated: out.LastModified ?? new Date(0),
        contentType: out.ContentType,
        contentEncoding: out.ContentEncoding,
      };
    } catch (err) {
      if (isProwErrorNotFound(err)) return undefined;
      throw err;
    }
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== undefined;
  }

  async delete(key: string): Promise<void> {
    checkKey(this.describe(), key);
    await this.wrap(this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: joinKey(this.root, key) })));
  }

  close(): Promise<void> {
    this.client.destroy();
    return Promise.resolve();
  }

  private async read(key: string, range: string | undefined): Promise<Readable> {
    checkKey(this.describe(), key);
    try {
      const out = await this.wrap(this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: joinKey(this.root, key), ...(range !== undefined && { Range: range }) }),
      ));
      // In Node the SDK's body is the response's IncomingMessage.
      return out.Body as Readable;
    } catch (err) {
      if (err instanceof S3ServiceException && err.$metadata.httpStatusCode === 416) return emptyStream();
      if (isProwErrorNotFound(err)) throw this.notFound(key);
      throw err;
    }
  }

  private notFound(key: string): ProwError {
    return new ProwError('PROW_ERR_STORAGE_NOT_FOUND', key, this.describe());
  }

  /** Awaits a request; a missing bucket or a failed connection becomes PROW_ERR_STORAGE_UNREACHABLE. */
  private async wrap<T>(request: Promise<T>): Promise<T> {
    try {
      return await request;
    } catch (err) {
      throw this.translate(err);
    }
  }

  private translate(err: unknown): unknown {
    if (err instanceof S3ServiceException) {
      const status = err.$metadata.httpStatusCode;
      if (err.name === 'NoSuchBucket' || status === 401 || status === 403 || status === 301) {
        return new ProwError('PROW_ERR_STORAGE_UNREACHABLE', this.where(), `${err.name}: ${err.message}`);
      }
      if (status === 404 && err.name !== 'NoSuchKey' && err.name !== 'NotFound') {
        return new ProwError('PROW_ERR_STORAGE_UNREACHABLE', this.where(), `${err.name}: ${err.message}`);
      }
      return err;
    }
    if (err instanceof Error && !(err instanceof ProwError)) {
      return new ProwError('PROW_ERR_STORAGE_UNREACHABLE', this.where(), causeOf(err));
    }
    return err;
  }

  private where(): string {
    return this.endpoint === undefined ? this.describe() : `${this.describe()} (endpoint ${this.endpoint})`;
  }
}

function isProwErrorNotFound(err: unknown): boolean {
  return err instanceof S3ServiceException && (err.name === 'NoSuchKey' || err.name === 'NotFound' || err.$metadata.httpStatusCode === 404);
}

