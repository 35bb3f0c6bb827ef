import { randomUUID } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import { fromWire, type Metric, type Resource } from './ranch/resource.ts';

/** How Boskos refused, from its status code (and, for 404, the wording clients have always matched). */
export type BoskosRefusal = 'not-found' | 'type-not-found' | 'owner-mismatch' | 'state-mismatch' | 'bad-request' | 'server';

/** Boskos answered with something other than 200. */
export class BoskosHttpError extends Error {
  readonly status: number;
  readonly kind: BoskosRefusal;
  readonly body: string;

  constructor(path: string, status: number, body: string) {
    const text = body.trim();
    super(`${path}: Boskos answered ${status}${text === '' ? '' : `: ${text}`}`);
    this.name = 'BoskosHttpError';
    this.status = status;
    this.body = text;
    this.kind =
      status === 401 ? 'owner-mismatch'
      : status === 404 ? (text.includes('does not exist') ? 'type-not-found' : 'not-found')
      : status === 409 ? 'state-mismatch'
      : status >= 500 ? 'server'
      : 'bad-request';
  }
}

/** Boskos did not answer at all (refused, reset, timed out). */
export class BoskosUnreachableError extends Error {
  constructor(url: string, cause: string) {
    super(`cannot reach Boskos at ${url} (${cause}); check --server-url (or BOSKOS_URL) and that Boskos is running`);
    this.name = 'BoskosUnreachableError';
  }
}

function aborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}

/** True for failures worth trying again: no answer, or a 5xx. */
export function isTransient(err: unknown): boolean {
  return err instanceof BoskosUnreachableError || (err instanceof BoskosHttpError && err.kind === 'server');
}

export interface BoskosClientOptions {
  /** Boskos' base URL, e.g. http://boskos or http://127.0.0.1:8080. */
  url: string;
  /** Who leases: every call is made as this owner. */
  owner: string;
  /** Basic auth, for a Boskos behind a proxy (Boskos' --username/--password-file). */
  username?: string | undefined;
  password?: string | undefined;
  /** Per request, 30 s by default. */
  timeoutMs?: number | undefined;
  /** Keep-alive agent to share; one of the client's own otherwise. */
  agent?: http.Agent | undefined;
  userAgent?: string | undefined;
}

export interface AcquireWaitOptions {
  type: string;
  state: string;
  dest: string;
  /** Give up after this long. */
  timeoutMs: number;
  /** Boskos' client polls every 3 s; a gap over the request TTL (30 s) loses the place in line. */
  pollMs?: number | undefined;
  /** The place in line; a fresh UUID by default. */
  requestId?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** Boskos' HTTP API from TypeScript: what boskosctl's client does, plus a blocking acquire that keeps its place. */
export class BoskosClient {
  readonly owner: string;
  readonly #url: URL;
  readonly #agent: http.Agent;
  readonly #ownAgent: boolean;
  readonly #timeoutMs: number;
  readonly #headers: Record<string, string>;

  constructor(opts: BoskosClientOptions) {
    this.owner = opts.owner;
    this.#url = new URL(opts.url);
    const secure = this.#url.protocol === 'https:';
    this.#ownAgent = opts.agent === undefined;
    this.#agent = opts.agent ?? (secure ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true }));
    this.#timeoutMs = opts.timeoutMs ?? 30_000;
    this.#headers = { 'user-agent': opts.userAgent ?? 'prow-boskos-client' };
    if (opts.username !== undefined && opts.password !== undefined) {
      this.#headers.authorization = `Basic ${Buffer.from(`${opts.username}:${opts.password}`).toString('base64')}`;
    }
  }

  #request(method: 'GET' | 'POST', path: string, params: Record<string, string>, body?: string): Promise<string> {
    const target = new URL(path, this.#url);
    for (const [k, v] of Object.entries(params)) target.searchParams.set(k, v);
    const lib = target.protocol === 'https:' ? https : http;
    const headers: Record<string, string> = { ...this.#headers };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    return new Promise((resolve, reject) => {
      const req = lib.request(target, { method, agent: this.#agent, headers, timeout: this.#timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => {
          reject(new BoskosUnreachableError(this.#url.origin, err.message));
        });
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode === 200) resolve(text);
          else reject(new BoskosHttpError(path, res.statusCode ?? 0, text));
        });
      });
      req.on('timeout', () => {
        req.destroy(new Error(`no answer within ${this.#timeoutMs} ms`));
      });
      req.on('error', (err) => {
        reject(new BoskosUnreachableError(this.#url.origin, err.message));
      });
      req.end(body);
    });
  }

  #resource(path: string, text: string): Resource {
    const r = fromWire(JSON.parse(text));
    if (r === undefined) throw new BoskosHttpError(path, 500, `not a resource: ${text.slice(0, 200)}`);
    return r;
  }

  /** One `/acquire`: a resource of `type` in `state`, now `dest` and ours, or a BoskosHttpError (404: none free). */
  async acquire(type: string, state: string, dest: string, requestId?: string): Promise<Resource> {
    const params: Record<string, string> = { type, state, dest, owner: this.owner };
    if (requestId !== undefined) params.request_id = requestId;
    return this.#resource('/acquire', await this.#request('POST', '/acquire', params));
  }

  /** Polls `/acquire` with one request id until a resource is ours or the time is up (throws the last refusal). */
  async acquireWait(opts: AcquireWaitOptions): Promise<Resource> {
    const requestId = opts.requestId ?? randomUUID();
    const deadline = Date.now() + opts.timeoutMs;
    for (;;) {
      try {
        return await this.acquire(opts.type, opts.state, opts.dest, requestId);
      } catch (err) {
        const retry = isTransient(err) || (err instanceof BoskosHttpError && (err.kind === 'not-found' || err.kind === 'owner-mismatch'));
        const wait = Math.min(opts.pollMs ?? 3_000, deadline - Date.now());
        if (!retry || wait <= 0 || aborted(opts.signal)) throw err;
        await sleep(wait, undefined, { signal: opts.signal }).catch(() => undefined);
        if (aborted(opts.signal)) throw err;
      }
    }
  }

  async acquireByState(state: string, dest: string, names: string[]): Promise<Resource[]> {
    const text = await this.#request('POST', '/acquirebystate', { state, dest, owner: this.owner, names: names.join(',') });
    const list: unknown = JSON.parse(text);
    return (Array.isArray(list) ? list : []).map((r) => this.#resource('/acquirebystate', JSON.stringify(r)));
  }

  async release(name: string, dest: string): Promise<void> {
    await this.#request('POST', '/release', { name, dest, owner: this.owner });
  }

  /** The heartbeat: `/update` with the resource's current state, merging `userData` ("" deletes a key). */
  async update(name: string, state: string, userData?: Record<string, string>): Promise<void> {
    await this.#request('POST', '/update', { name, owner: this.owner, state }, userData === undefined ? undefined : JSON.stringify(userData));
  }

  async reset(type: string, state: string, expire: string, dest: string): Promise<Record<string, string>> {
    return JSON.parse(await this.#request('POST', '/reset', { type, state, expire, dest })) as Record<string, string>;
  }

  async metric(type: string): Promise<Metric> {
    return JSON.parse(await this.#request('GET', '/metric', { type })) as Metric;
  }

  /** Closes the keep-alive connections of the client's own agent. */
  close(): void {
    if (this.#ownAgent) this.#agent.destroy();
  }
}
