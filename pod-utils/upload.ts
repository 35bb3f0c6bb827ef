import { createReadStream } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { basename, extname, join, posix, relative } from 'node:path';
import { Readable, type Transform } from 'node:stream';
import { createGzip } from 'node:zlib';
import { ProwError } from '../lib/errors.ts';
import type { ProwJob } from '../lib/jobs/index.ts';
import type { Logger } from '../lib/log.ts';
import { openObjectStore, storeLocationOf, type ObjectBody, type ObjectStore, type OpenStoreOptions } from '../lib/storage/index.ts';
import { aliasPath, jobStoragePath, jobStorageUrl, latestBuildPaths } from '../lib/storage/layout.ts';
import type { GcsUploadOptions, JobSpec } from './options.ts';

/** Something to upload, opened only when its turn comes so a large file is streamed, never held. */
export type UploadSource = { text: string | Buffer } | { file: string };

/** Content types by extension, for the files a job leaves; `mediaTypes` in the options add to and override it. */
const contentTypes: Record<string, string> = {
  txt: 'text/plain; charset=utf-8',
  log: 'text/plain; charset=utf-8',
  json: 'application/json',
  xml: 'application/xml',
  html: 'text/html; charset=utf-8',
  htm: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  gz: 'application/gzip',
  tgz: 'application/gzip',
  tar: 'application/x-tar',
  zip: 'application/zip',
  yaml: 'text/yaml; charset=utf-8',
  yml: 'text/yaml; charset=utf-8',
};

/** The content type an object of this name is stored with; undefined lets the store choose. */
export function contentTypeFor(name: string, mediaTypes: Record<string, string> = {}): string | undefined {
  const ext = extname(name).slice(1).toLowerCase();
  return mediaTypes[ext] ?? contentTypes[ext];
}

/** The ProwJob the storage layout is computed from, rebuilt from the job spec the utilities are given. */
function layoutJob(spec: JobSpec, options: GcsUploadOptions): ProwJob {
  const bucket = storeLocationOf(options.bucket ?? '');
  const gcs = {
    bucket,
    // Prow's utilities default to explicit when no strategy is given.
    path_strategy: options.path_strategy ?? 'explicit',
    ...(options.path_prefix === undefined ? {} : { path_prefix: options.path_prefix }),
    ...(options.default_org === undefined ? {} : { default_org: options.default_org }),
    ...(options.default_repo === undefined ? {} : { default_repo: options.default_repo }),
  };
  return {
    apiVersion: 'prow.k8s.io/v1',
    kind: 'ProwJob',
    metadata: { name: spec.prowjobid, labels: {}, annotations: {} },
    spec: {
      type: spec.type,
      agent: 'kubernetes',
      job: spec.job,
      ...(spec.refs === undefined ? {} : { refs: spec.refs }),
      ...(spec.extra_refs === undefined ? {} : { extra_refs: spec.extra_refs }),
      decoration_config: { gcs_configuration: gcs },
    },
    status: { startTime: new Date(0).toISOString(), state: 'pending', build_id: spec.buildid },
  };
}

/** Prow's S3 credentials file: `{region, endpoint, insecure, s3_force_path_style, access_key, secret_key}`. */
async function s3Options(file: string | undefined): Promise<OpenStoreOptions['s3']> {
  if (file === undefined || file === '') return undefined;
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new ProwError('PROW_ERR_ENV_INVALID', 's3_credentials_file', `${file} cannot be read as JSON (${(err as Error).message})`);
  }
  const str = (k: string): string | undefined => (typeof raw[k] === 'string' && raw[k] !== '' ? raw[k] : undefined);
  const endpoint = str('endpoint');
  const accessKeyId = str('access_key');
  const secretAccessKey = str('secret_key');
  return {
    ...(endpoint === undefined ? {} : { endpoint: endpoint.includes('://') ? endpoint : `${raw.insecure === true ? 'http' : 'https'}://${endpoint}` }),
    ...(str('region') === undefined ? {} : { region: str('region') }),
    ...(raw.s3_force_path_style === true ? { forcePathStyle: true } : {}),
    ...(accessKeyId !== undefined && secretAccessKey !== undefined ? { credentials: { accessKeyId, secretAccessKey } } : {}),
  } as OpenStoreOptions['s3'];
}

/** Where one build uploads: the open store, and the build directory and pointers as keys in it. */
export interface BuildDestination {
  store: ObjectStore | undefined;
  /** The build directory in the store ('' when copying to local_output_dir). */
  dir: string;
  /** `latest-build.txt` pointers and the presubmit alias, with their contents; none for local_output_dir. */
  pointers: Map<string, string>;
  /** The build directory as one URL, for logs. */
  url: string;
}

/** Opens the store the options name and works out the build's keys, as Prow's gcsupload does. */
export async function openBuildDestination(spec: JobSpec, options: GcsUploadOptions, openOptions: OpenStoreOptions = {}): Promise<BuildDestination> {
  if (options.local_output_dir !== undefined && options.local_output_dir !== '') {
    // Prow's local mode copies files straight into the directory, without the bucket layout or pointers.
    const store = options.dry_run === true ? undefined : await openObjectStore(storeLocationOf(options.local_output_dir), openOptions);
    return { store, dir: options.sub_dir ?? '', pointers: new Map(), url: options.local_output_dir };
  }
  const job = layoutJob(spec, options);
  const { dir } = jobStoragePath(job);
  const url = jobStorageUrl(job);
  const pointers = new Map<string, string>(latestBuildPaths(job).map((p) => [p, spec.buildid]));
  const alias = aliasPath(job);
  if (alias !== undefined) pointers.set(alias, url);
  const location = storeLocationOf(options.bucket ?? '');
  let store: ObjectStore | undefined;
  if (options.dry_run !== true) {
    const s3 = await s3Options(options.s3_credentials_file);
    store = await openObjectStore(location, {
      ...openOptions,
      ...(s3 === undefined ? {} : { s3: { ...openOptions.s3, ...s3 } }),
      ...(options.gcs_credentials_file ? { gcs: { ...openOptions.gcs, keyFilename: options.gcs_credentials_file } } : {}),
    });
  }
  return { store, dir: options.sub_dir ? posix.join(dir, options.sub_dir) : dir, pointers, url };
}

/** Every file under `root`, depth first in name order. */
async function* walk(root: string): AsyncGenerator<string> {
  const entries = await readdir(root, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

/** The files `items` name, keyed as Prow's gcsupload keys them: a directory under its own base name. */
export async function gatherItems(items: readonly string[], log?: Logger): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const item of items) {
    let files: string[];
    try {
      files = [];
      for await (const file of walk(item)) files.push(file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') {
        found.set(basename(item), item);
      } else {
        log?.warn({ item, err: (err as Error).message }, 'Encountered error in resolving items to upload');
      }
      continue;
    }
    for (const file of files) {
      // GCS object names cannot hold '#' as a plain character.
      const key = posix.join(basename(item), ...relative(item, file).split(/[\\/]/)).replace(/#/g, '%23');
      if (found.has(key)) log?.warn({ key }, 'Encountered duplicate upload, skipping');
      else found.set(key, file);
    }
  }
  return found;
}

/** What `uploadBuild` uploads, keyed relative to the build directory. */
export interface UploadPlan {
  targets: Map<string, UploadSource>;
  /** A censoring stream for the target of this key (relative to the build directory); undefined uploads it as it is. */
  censor?: ((key: string) => Transform | undefined) | undefined;
}

function shouldCompress(key: string, types: readonly string[] | undefined): boolean {
  if (types === undefined || types.length === 0) return false;
  const ext = extname(key).slice(1);
  return types.includes('*') || types.includes(ext);
}

/**
 * Uploads the plan's targets into the build directory and refreshes the pointers, as Prow's gcsupload Run:
 * every target is tried even when one fails, and the first failure is thrown at the end.
 */
export async function uploadBuild(dest: BuildDestination, options: GcsUploadOptions, plan: UploadPlan, log?: Logger): Promise<string[]> {
  const uploaded: string[] = [];
  let firstError: Error | undefined;
  const put = async (key: string, source: UploadSource, planKey?: string): Promise<void> => {
    if (dest.store === undefined) {
      log?.info({ dest: key }, 'Would upload');
      return;
    }
    let body: ObjectBody = 'text' in source ? source.text : createReadStream(source.file);
    const censor = planKey === undefined ? undefined : plan.censor?.(planKey);
    if (censor !== undefined) body = (typeof body === 'string' || Buffer.isBuffer(body) ? streamOf(body) : body).pipe(censor);
    const contentType = contentTypeFor(key, options.mediaTypes);
    const gzip = shouldCompress(key, options.compress_file_types);
    if (gzip) body = (typeof body === 'string' || Buffer.isBuffer(body) ? streamOf(body) : body).pipe(createGzip());
    try {
      await dest.store.put(key, body, { ...(contentType === undefined ? {} : { contentType }), ...(gzip ? { contentEncoding: 'gzip' } : {}) });
      uploaded.push(key);
    } catch (err) {
      log?.error({ dest: key, err: (err as Error).message }, 'Upload failed');
      firstError ??= err instanceof Error ? err : new Error(String(err));
    }
  };
  for (const [key, source] of plan.targets) await put(dest.dir === '' ? key : `${dest.dir}/${key}`, source, key);
  for (const [key, content] of dest.pointers) await put(key, { text: content });
  if (firstError !== undefined) throw firstError;
  log?.info({ url: dest.url, objects: uploaded.length }, 'Finished upload to blob storage');
  return uploaded;
}

/** A one-chunk stream, so a transform pipes onto text as onto a file. */
function streamOf(body: string | Buffer): Readable {
  return Readable.from([body]);
}
