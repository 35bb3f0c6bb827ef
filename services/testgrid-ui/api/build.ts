import type { FastifyPluginCallback, FastifyReply } from 'fastify';
import { isProwError } from '../../../lib/errors.ts';
import type { ProwJob } from '../../../lib/jobs/index.ts';
import { readText, type ObjectInfo, type ObjectStore } from '../../../lib/storage/index.ts';
import { contentTypeFor } from '../../../pod-utils/upload.ts';
import { defaultPieceBytes, readLogPiece, type LogPiece } from './build-log.ts';
import { param } from './jobs.ts';
import { HttpProblem, messageOf } from './problem.ts';

/** The store a `/view/<provider>/<bucket>/...` URL reads: one per bucket, or local mode's one directory. */
export type BuildStores = (provider: string, bucket: string) => Promise<ObjectStore>;

/** One build directory, as deck's `/view/<provider>/<bucket>/<dir>` names it. */
export interface BuildLocation {
  provider: string;
  bucket: string;
  dir: string;
}

/** One file of the build, relative to its directory, with the URL that serves its bytes. */
export interface Artifact {
  name: string;
  size: number;
  updated: string;
  href: string;
}

/** What the JUnit lens is given: the build's store and directory, and its files. */
export interface JunitLensInput {
  store: ObjectStore;
  dir: string;
  artifacts: readonly ObjectInfo[];
}

/** One test result as the build page shows it. */
export interface JunitTestView {
  name: string;
  status: 'passed' | 'failed' | 'skipped' | 'flaky';
  /** Seconds. */
  duration?: number | undefined;
  /** The failure text, for failed and flaky tests. */
  message?: string | undefined;
}

/** What the JUnit lens answers: the build's tests (the page lists failures and flakes first, then counts). */
export interface JunitLensView {
  tests: JunitTestView[];
}

/**
 * The slot the grid data layer's JUnit reader fills: given a build, its test results, or undefined when it
 * has no JUnit files. The build page renders whatever it answers.
 */
export type JunitLens = (input: JunitLensInput) => Promise<JunitLensView | undefined>;

/** A build as its page shows it: Spyglass' metadata, buildlog, junit and artifact lenses. */
export interface BuildView {
  location: BuildLocation;
  /** This page's path. */
  path: string;
  started: Record<string, unknown> | undefined;
  finished: Record<string, unknown> | undefined;
  prowjob: ProwJob | undefined;
  /** Metadata files that exist but are not JSON. */
  problems: string[];
  /** The first piece of build-log.txt, when there is one. */
  log: LogPiece | undefined;
  artifacts: Artifact[];
  /** The JUnit lens' answer; undefined without a lens or without JUnit files. */
  junit: JunitLensView | { error: string } | undefined;
}

/** The build location of a `/view/` or `/api/view/` request's params. */
export function buildLocationOf(params: unknown): BuildLocation {
  const p = params as Record<string, string | undefined>;
  const dir = (p['*'] ?? '').replace(/^\/+|\/+$/g, '');
  const provider = p.provider ?? '';
  const bucket = p.bucket ?? '';
  if (dir === '' || provider === '' || bucket === '') throw new HttpProblem(400, 'name a build as /view/<provider>/<bucket>/<path to the build directory>');
  return { provider, bucket, dir };
}

const segments = (l: BuildLocation, rest: string): string => ['', l.provider, l.bucket, ...`${l.dir}/${rest}`.split('/').filter((s) => s !== '')].map(encodeURIComponent).join('/');

/** The build page's path. */
export function buildPagePath(l: BuildLocation): string {
  return `/view${segments(l, '')}`;
}

/** Where one file of the build is served. */
export function artifactPath(l: BuildLocation, name: string): string {
  return `/artifact${segments(l, name)}`;
}

async function readJson(store: ObjectStore, key: string, problems: string[]): Promise<Record<string, unknown> | undefined> {
  let text: string;
  try {
    text = await readText(store, key);
  } catch (err) {
    if (isProwError(err, 'PROW_ERR_STORAGE_NOT_FOUND')) return undefined;
    throw err;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    problems.push(`${key.split('/').at(-1) ?? key} is not a JSON object`);
  } catch {
    problems.push(`${key.split('/').at(-1) ?? key} is not JSON`);
  }
  return undefined;
}

/** Reads a build: metadata, its files, the first piece of its log and the JUnit lens' answer. */
export async function readBuild(stores: BuildStores, location: BuildLocation, junitLens?: JunitLens, pieceBytes = defaultPieceBytes): Promise<BuildView> {
  const store = await stores(location.provider, location.bucket);
  const { dir } = location;
  const listing = await store.list(`${dir}/`);
  if (listing.objects.length === 0) throw new HttpProblem(404, `no build at ${dir} in ${location.provider}/${location.bucket}: the job has not uploaded anything yet, or the link is wrong`);
  const problems: string[] = [];
  const [started, finished, prowjob] = await Promise.all([
    readJson(store, `${dir}/started.json`, problems),
    readJson(store, `${dir}/finished.json`, problems),
    readJson(store, `${dir}/prowjob.json`, problems),
  ]);
  const hasLog = listing.objects.some((o) => o.key === `${dir}/build-log.txt`);
  const log = hasLog ? await readLogPiece(store, `${dir}/build-log.txt`, 0, 1, pieceBytes) : undefined;
  let junit: BuildView['junit'];
  if (junitLens !== undefined) {
    try {
      junit = await junitLens({ store, dir, artifacts: listing.objects });
    } catch (err) {
      junit = { error: messageOf(err) };
    }
  }
  return {
    location,
    path: buildPagePath(location),
    started,
    finished,
    prowjob: prowjob as ProwJob | undefined,
    problems,
    log,
    artifacts: listing.objects.map((o) => {
      const name = o.key.slice(dir.length + 1);
      return { name, size: o.size, updated: o.updated.toISOString(), href: artifactPath(location, name) };
    }),
    junit,
  };
}

function whole(text: string | undefined, name: string): number {
  if (text === undefined || text === '') return name === 'line' ? 1 : 0;
  const n = Number(text);
  if (!Number.isInteger(n) || n < (name === 'line' ? 1 : 0)) throw new HttpProblem(400, `?${name}=${text} is not a whole number${name === 'line' ? ' of at least 1' : ''}`);
  return n;
}

async function sendArtifact(stores: BuildStores, params: unknown, reply: FastifyReply): Promise<FastifyReply> {
  const p = params as Record<string, string | undefined>;
  const key = (p['*'] ?? '').replace(/^\/+/, '');
  const store = await stores(p.provider ?? '', p.bucket ?? '');
  const stat = await store.stat(key);
  if (stat === undefined) throw new HttpProblem(404, `no file ${key} in ${p.provider ?? ''}/${p.bucket ?? ''}`);
  // A job's files are the job's, not the dashboard's: an HTML artifact runs sandboxed, in an origin of its own.
  void reply.header('content-security-policy', 'sandbox').header('x-content-type-options', 'nosniff');
  void reply.type(stat.contentType ?? contentTypeFor(key) ?? 'application/octet-stream');
  if (stat.contentEncoding !== undefined) void reply.header('content-encoding', stat.contentEncoding);
  return reply.send(await store.get(key));
}

/**
 * The build's JSON (`GET /api/view/<provider>/<bucket>/<dir>`), further pieces of its log
 * (`GET /api/log/<provider>/<bucket>/<dir>?start=<byte>&line=<number>`), and any of its files' bytes
 * (`GET /artifact/<provider>/<bucket>/<key>`).
 */
export function buildApi(stores: BuildStores, junitLens: JunitLens | undefined, pieceBytes = defaultPieceBytes): FastifyPluginCallback {
  return (app, _opts, done) => {
    app.get('/api/view/:provider/:bucket/*', async (req) => readBuild(stores, buildLocationOf(req.params), junitLens, pieceBytes));
    app.get('/api/log/:provider/:bucket/*', async (req) => {
      const location = buildLocationOf(req.params);
      const store = await stores(location.provider, location.bucket);
      return readLogPiece(store, `${location.dir}/build-log.txt`, whole(param(req.query, 'start'), 'start'), whole(param(req.query, 'line'), 'line'), pieceBytes);
    });
    app.get('/artifact/:provider/:bucket/*', async (req, reply) => sendArtifact(stores, req.params, reply));
    done();
  };
}
