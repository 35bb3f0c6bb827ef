import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import type { Logger } from '../../../lib/log.ts';
import type { RefUpdate } from './types.ts';
import { repoPath } from './git-store.ts';
import { ZERO_SHA } from './plumbing.ts';
import { withRepoLock } from './repo-lock.ts';
import { gitEnv, gitText } from './run-git.ts';

/** The two smart HTTP services: fetch/clone and push. */
export type GitService = 'git-upload-pack' | 'git-receive-pack';

/** A request path of the smart HTTP protocol, split into its parts. */
export interface GitHttpPath {
  owner: string;
  repo: string;
  service: GitService;
  /** `info/refs` (the ref advertisement, GET) or the service's RPC endpoint (POST). */
  endpoint: 'info/refs' | GitService;
}

/** What the smart HTTP handler serves and whom it asks. */
export interface SmartHttpOptions {
  /** The GitStore's root: repositories live at `<root>/<owner>/<repo>.git`. */
  root: string;
  /**
   * Decides who may use `service` on the repo, given the request's Authorization header: answers the user's
   * login, undefined for an anonymous user who may proceed, or false (or throws) to refuse with 401.
   * Without it everyone may fetch and push.
   */
  authorize?:
    | ((
        owner: string,
        repo: string,
        service: GitService,
        authorization: string | undefined,
      ) => Promise<string | false | undefined> | string | false | undefined)
    | undefined;
  /** Called after a push that changed refs, with each change (`before` or `after` is the zero sha for created or deleted refs). */
  onPush?: ((owner: string, repo: string, updates: RefUpdate[], pusher: string | undefined) => Promise<void> | void) | undefined;
  logger?: Logger | undefined;
}

/** Answers a smart HTTP request and resolves true, or resolves false without touching `res` when the path is not a git one. */
export type SmartHttpHandler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

const pathPattern = /^\/([^/]+)\/([^/]+?)(?:\.git)?\/(info\/refs|git-upload-pack|git-receive-pack)$/;

/** Parses `/<owner>/<repo>[.git]/info/refs?service=...` and `/<owner>/<repo>[.git]/git-(upload|receive)-pack`. */
export function parseGitHttpPath(url: string): GitHttpPath | undefined {
  const parsed = new URL(url, 'http://localhost');
  const m = pathPattern.exec(parsed.pathname);
  if (!m) return undefined;
  const [, rawOwner = '', rawRepo = '', endpoint = ''] = m;
  let owner: string;
  let repo: string;
  try {
    owner = decodeURIComponent(rawOwner);
    repo = decodeURIComponent(rawRepo);
  } catch {
    return undefined;
  }
  if (endpoint === 'info/refs') {
    const service = parsed.searchParams.get('service');
    if (service !== 'git-upload-pack' && service !== 'git-receive-pack') return undefined;
    return { owner, repo, service, endpoint };
  }
  const service = endpoint as GitService;
  return { owner, repo, service, endpoint: service };
}

function plain(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
  res.end(`${text}\n`);
}

async function snapshotRefs(gitDir: string): Promise<Map<string, string>> {
  const out = await gitText(gitDir, ['for-each-ref', '--format=%(objectname) %(refname)']);
  return new Map(out === '' ? [] : out.split('\n').map((line) => [line.slice(41), line.slice(0, 40)] as const));
}

function refChanges(before: Map<string, string>, after: Map<string, string>): RefUpdate[] {
  const refs = [...new Set([...before.keys(), ...after.keys()])].sort();
  return refs.flatMap((ref) => {
    const was = before.get(ref) ?? ZERO_SHA;
    const now = after.get(ref) ?? ZERO_SHA;
    return was === now ? [] : [{ ref, before: was, after: now }];
  });
}

interface CgiRequest {
  root: string;
  pathInfo: string;
  user: string | undefined;
  req: IncomingMessage;
  res: ServerResponse;
}

/**
 * Runs `git http-backend` as a CGI: the request body streams to its stdin, its headers become ours, its body
 * streams back. Leaves `res` open so the caller can finish its own work before the client sees the end.
 */
function runHttpBackend({ root, pathInfo, user, req, res }: CgiRequest): Promise<void> {
  const header = (name: string): string | undefined => {
    const v = req.headers[name];
    return Array.isArray(v) ? v.join(', ') : v;
  };
  const url = new URL(req.url ?? '/', 'http://localhost');
  const cgi: Record<string, string> = {
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: pathInfo,
    REQUEST_METHOD: req.method ?? 'GET',
    QUERY_STRING: url.search.replace(/^\?/, ''),
    REMOTE_ADDR: req.socket.remoteAddress ?? '',
  };
  const optional: Record<string, string | undefined> = {
    CONTENT_TYPE: header('content-type'),
    CONTENT_LENGTH: header('content-length'),
    // http-backend inflates gzip request bodies itself when told the encoding.
    HTTP_CONTENT_ENCODING: header('content-encoding'),
    HTTP_GIT_PROTOCOL: header('git-protocol'),
    REMOTE_USER: user,
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) cgi[k] = v;

  return new Promise((resolve, reject) => {
    // GitHub refuses pushes to refs/pull/*, which only it may write; hiding them from receive-pack does the same.
    const config = ['http.receivepack=true', 'http.uploadpack=true', 'receive.hideRefs=refs/pull'];
    const child = spawn('git', [...config.flatMap((c) => ['-c', c]), 'http-backend'], {
      env: gitEnv(cgi),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    // A client that goes away mid-request leaves the backend waiting for input; it must not hold the repo lock.
    res.on('close', () => {
      if (child.exitCode === null && child.signalCode === null) child.kill();
    });
    let stderr = '';
    let head = Buffer.alloc(0);
    let headersDone = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const text = head.toString('latin1');
      const m = /\r?\n\r?\n/.exec(text);
      if (!m) return;
      headersDone = true;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of text.slice(0, m.index).split(/\r?\n/)) {
        const colon = line.indexOf(':');
        if (colon === -1) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 200;
        else headers[name] = value;
      }
      res.writeHead(status, headers);
      const rest = head.subarray(m.index + m[0].length);
      if (rest.length > 0) res.write(rest);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (!headersDone) {
        plain(res, 500, 'git http-backend failed');
        reject(new Error(`git http-backend exited with ${code ?? 'a signal'} before any output: ${stderr.trim()}`));
        return;
      }
      resolve();
    });
    child.stdin.on('error', () => undefined);
    req.pipe(child.stdin);
  });
}

/**
 * Serves git's smart HTTP protocol for the store's repositories through `git http-backend`, so real
 * `git clone`, `git fetch` and `git push` work against the emulator. Pushes are serialized with the store's
 * writes to the same repo, and their ref changes go to `onPush` once the push is done.
 */
export function createSmartHttpHandler(opts: SmartHttpOptions): SmartHttpHandler {
  // Absolute, so the repo lock key matches the store's and http-backend gets the project root it requires.
  const root = path.resolve(opts.root);
  return async (req, res) => {
    const target = parseGitHttpPath(req.url ?? '/');
    if (!target) return false;
    const { owner, repo, service, endpoint } = target;
    const expectedMethod = endpoint === 'info/refs' ? 'GET' : 'POST';
    if (req.method !== expectedMethod) {
      plain(res, 405, `use ${expectedMethod}`, { Allow: expectedMethod });
      return true;
    }
    let dir: string;
    try {
      dir = repoPath(root, owner, repo);
      if (!(await stat(dir)).isDirectory()) throw new Error('not a directory');
    } catch {
      plain(res, 404, 'Repository not found.');
      return true;
    }

    let user: string | undefined;
    try {
      const answer = opts.authorize ? await opts.authorize(owner, repo, service, req.headers.authorization) : undefined;
      if (answer === false) throw new Error('refused');
      user = answer;
    } catch {
      plain(res, 401, 'Authentication failed.', { 'WWW-Authenticate': 'Basic realm="GitHub"' });
      return true;
    }

    const pathInfo = `/${owner}/${repo}.git/${endpoint}`;
    const cgi = { root, pathInfo, user, req, res };
    try {
      if (endpoint !== 'git-receive-pack') {
        await runHttpBackend(cgi);
        return true;
      }
      // The push's refs are reported before the response ends, so a client that sees its push done can rely on the report.
      const updates = await withRepoLock(dir, async () => {
        const before = await snapshotRefs(dir);
        await runHttpBackend(cgi);
        return refChanges(before, await snapshotRefs(dir));
      });
      if (updates.length > 0 && opts.onPush) {
        try {
          await opts.onPush(owner, repo, updates, user);
        } catch (err) {
          opts.logger?.error({ err, owner, repo }, 'push handler failed');
        }
      }
    } catch (err) {
      opts.logger?.error({ err, owner, repo, service }, 'git smart HTTP request failed');
    } finally {
      res.end();
    }
    return true;
  };
}
