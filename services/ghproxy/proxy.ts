import type { IncomingHttpHeaders } from 'node:http';
import { PassThrough, Readable } from 'node:stream';
import type { Logger } from '../../lib/log.ts';
import type { AppTokenEqualizer } from './app-token-equalizer.ts';
import type { CacheMode } from './cache-mode.ts';
import type { CacheEntry } from './cache/cache-entry.ts';
import { cacheKeyOf, varyMatches, varyValues } from './cache/cache-key.ts';
import type { CacheStore } from './cache/cache-store.ts';
import { Coalescer } from './coalescer.ts';
import type { GhproxyMetrics } from './ghproxy-metrics.ts';
import { budgetHeader, clientResponseHeaders, headerValue, revalidatedHeaders, storedResponseHeaders, tokenExpiresHeader, upstreamRequestHeaders, type HeaderMap } from './headers.ts';
import { metricPath, metricUserAgent } from './metric-path.ts';
import { callerOf, partitionOfToken, type Caller } from './partition.ts';
import { failureAnswer, type BufferedAnswer, type ProxyAnswer } from './proxy-answer.ts';
import { secondaryLimitWait } from './upstream/secondary-limit.ts';
import type { Throttle, ThrottleKind } from './upstream/throttle.ts';
import { isGraphqlPath, readBody, UpstreamError, type Upstream, type UpstreamAnswer, type UpstreamCall } from './upstream/upstream.ts';

/** The knobs of the caching path. */
export interface ProxySettings {
  /** Milliseconds a request may take until its response headers, waits included (Prow's `--request-timeout`). */
  requestTimeoutMs: number;
  /** Largest body kept in the cache; larger ones are streamed through. */
  maxEntryBytes: number;
  /** Times a request is sent again after a secondary rate limit it could wait out. */
  secondaryRetries: number;
  /** Milliseconds per second of `retry-after`: 1000, except in tests. */
  retryAfterUnitMs: number;
}

export interface GhProxyDeps {
  upstream: Upstream;
  store: CacheStore;
  throttle: Throttle;
  metrics: GhproxyMetrics;
  logger: Logger;
  /** Hands every client of an installation the same token (Prow's apptokenequalizer); off when undefined. */
  equalizer?: AppTokenEqualizer | undefined;
  settings: ProxySettings;
  now?: (() => number) | undefined;
}

/** A client's request as the proxy sees it: the raw path and query, the headers, the body of a write. */
export interface ProxyRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body?: Buffer | undefined;
}

/** One request's bookkeeping while it is answered. */
interface Exchange {
  caller: Caller;
  budget: string;
  deadline: number;
  labels: { path: string; user_agent: string; token_hash: string };
  upstreamMs: number;
  waitedMs: number;
}

const empty = Buffer.alloc(0);
/** Statuses after which a stored entry describes nothing any more. */
const gone = new Set([404, 410]);

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

function cacheControl(headers: IncomingHttpHeaders): { noStore: boolean; noCache: boolean } {
  const directives = `${headers['cache-control'] ?? ''},${headers.pragma ?? ''}`
    .toLowerCase()
    .split(',')
    .map((d) => d.trim());
  return { noStore: directives.includes('no-store'), noCache: directives.includes('no-cache') || directives.includes('max-age=0') };
}

function buffered(status: number, headers: HeaderMap, body: Buffer, mode: CacheMode): BufferedAnswer {
  const rest = { ...headers };
  delete rest['content-length'];
  return { kind: 'buffered', status, headers: rest, body, mode };
}

/** A stream that yields `head` and then the rest of `rest`. */
export function prepend(head: Buffer[], rest: Readable): Readable {
  if (head.length === 0) return rest;
  const out = new PassThrough();
  for (const chunk of head) out.write(chunk);
  rest.once('error', (err) => out.destroy(err));
  rest.pipe(out);
  return out;
}

/**
 * ghproxy's request path, Prow's RoundTripper stack as one class: partition by token, coalesce identical
 * GETs, serve the cache only after GitHub answered 304 to the stored validators, pass writes and GraphQL
 * through, and throttle everything that goes upstream.
 */
export class GhProxy {
  readonly coalescer = new Coalescer<ProxyAnswer>();
  readonly #deps: GhProxyDeps;
  readonly #now: () => number;
  /** Per partition, the generation of its last write: a GET joins only a request started after it. */
  readonly #writes = new Map<string, { generation: number; at: number }>();
  #generations = 0;
  #lastStoreWarning = 0;

  constructor(deps: GhProxyDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
  }

  async handle(req: ProxyRequest): Promise<ProxyAnswer> {
    const started = this.#now();
    const clock = performance.now();
    const path = pathOf(req.url);
    const caller = callerOf(headerValue(req.headers, 'authorization'));
    const x: Exchange = {
      caller,
      budget: headerValue(req.headers, budgetHeader) ?? caller.partition,
      deadline: started + this.#deps.settings.requestTimeoutMs,
      labels: { path: metricPath(path), user_agent: metricUserAgent(headerValue(req.headers, 'user-agent')), token_hash: caller.tokenHash },
      upstreamMs: 0,
      waitedMs: 0,
    };
    const expires = Date.parse(headerValue(req.headers, tokenExpiresHeader) ?? '');
    this.#deps.store.touchPartition(caller.partition, started, Number.isNaN(expires) ? undefined : expires);
    let answer: ProxyAnswer;
    try {
      if (req.method === 'GET' && !isGraphqlPath(path)) answer = await this.#get(req, path, x);
      else answer = await this.#passThrough(req, path, x, req.method === 'GET' || isGraphqlPath(path) ? 'NO-STORE' : 'SKIP');
    } catch (err) {
      answer = this.#failed(err, req, x, started);
    }
    this.#deps.metrics.response(answer.mode, x.labels);
    if (answer.mode !== 'COALESCED') this.#deps.metrics.overhead.observe({ mode: answer.mode }, Math.max(0, performance.now() - clock - x.upstreamMs - x.waitedMs) / 1000);
    return answer;
  }

  async #get(req: ProxyRequest, path: string, x: Exchange): Promise<ProxyAnswer> {
    const cc = cacheControl(req.headers);
    // GitHub does not count /rate_limit, and its answer changes with every call: nothing to keep.
    if (cc.noStore || path === '/rate_limit') return this.#passThrough(req, path, x, 'NO-STORE');
    const key = cacheKeyOf(req.url, req.headers);
    // A client that asks for no-cache gets a request of its own, begun after it asked.
    if (cc.noCache) return this.#fetch(req, x, key);
    const flight = `${x.caller.credentialHash}:${key}:${String(this.#writes.get(x.caller.partition)?.generation ?? 0)}`;
    const { outcome, joined } = this.coalescer.run(flight, () => this.#fetch(req, x, key));
    const answer = await outcome;
    if (!joined) return answer;
    if (answer.kind === 'buffered') return { ...answer, mode: 'COALESCED' };
    // A streamed body can be read once, by the request that asked for it.
    return this.#fetch(req, x, key);
  }

  async #fetch(req: ProxyRequest, x: Exchange, key: string): Promise<ProxyAnswer> {
    const { partition } = x.caller;
    let entry = await this.#storeGet(partition, key);
    if (entry !== undefined && !varyMatches(entry.vary, req.headers)) entry = undefined;
    const headers = upstreamRequestHeaders(req.headers);
    if (entry !== undefined) {
      delete headers['if-none-match'];
      delete headers['if-modified-since'];
      const etag = headerValue(entry.headers, 'etag');
      const modified = headerValue(entry.headers, 'last-modified');
      if (etag !== undefined) headers['if-none-match'] = etag;
      if (modified !== undefined) headers['if-modified-since'] = modified;
    }
    const answer = await this.#exchange({ method: 'GET', url: this.#deps.upstream.urlFor(req.url), headers, deadline: x.deadline, decompress: true }, x, { get: true, api: 'v3' });
    if (answer.status === 304) {
      answer.body.resume();
      if (entry === undefined) return buffered(304, clientResponseHeaders(answer.headers), empty, 'REVALIDATED');
      this.#deps.metrics.entryAge.observe(x.labels, Math.max(0, this.#now() - entry.storedAt) / 1000);
      return buffered(200, revalidatedHeaders(entry.headers, answer.headers), entry.body, 'REVALIDATED');
    }
    const t0 = performance.now();
    const read = await readBody(answer.body, this.#deps.settings.maxEntryBytes);
    x.upstreamMs += performance.now() - t0;
    if (!read.complete) {
      answer.release();
      if (entry !== undefined) await this.#storeDelete(partition, key);
      return { kind: 'stream', status: answer.status, headers: clientResponseHeaders(answer.headers), head: read.head, rest: answer.body, mode: 'NO-STORE' };
    }
    const out = clientResponseHeaders(answer.headers);
    const validated = answer.headers.etag !== undefined || answer.headers['last-modified'] !== undefined;
    if (answer.status === 200 && validated) {
      const stored: CacheEntry = { headers: storedResponseHeaders(answer.headers), body: read.body, storedAt: this.#now(), vary: varyValues(answer.headers.vary, req.headers) };
      await this.#storePut(partition, key, stored);
      return buffered(200, out, read.body, entry === undefined ? 'MISS' : 'CHANGED');
    }
    if (entry !== undefined && (answer.status === 200 || gone.has(answer.status))) await this.#storeDelete(partition, key);
    return buffered(answer.status, out, read.body, 'NO-STORE');
  }

  async #passThrough(req: ProxyRequest, path: string, x: Exchange, mode: CacheMode): Promise<ProxyAnswer> {
    const graphql = isGraphqlPath(path);
    const installation = this.#deps.equalizer?.installationOf(req.method, path, req.body);
    const call: UpstreamCall = {
      method: req.method,
      url: this.#deps.upstream.urlFor(req.url),
      headers: upstreamRequestHeaders(req.headers),
      body: req.body,
      deadline: x.deadline,
      decompress: installation !== undefined,
    };
    const reads = req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS';
    const answer = await this.#exchange(call, x, { get: reads, api: graphql ? 'v4' : 'v3' });
    // The write is done upstream: GETs from now on must not join a request that began before it.
    if (!reads) this.#wrote(x.caller.partition);
    if (installation !== undefined && answer.status === 201) return this.#equalize(installation, answer, mode);
    answer.release();
    return { kind: 'stream', status: answer.status, headers: clientResponseHeaders(answer.headers), head: [], rest: answer.body, mode };
  }

  async #equalize(installation: string, answer: UpstreamAnswer, mode: CacheMode): Promise<ProxyAnswer> {
    const read = await readBody(answer.body, 1 << 20);
    const body = read.complete ? read.body : Buffer.concat(read.head);
    const equalized = this.#deps.equalizer?.equalize(installation, body);
    if (equalized === undefined) return buffered(201, clientResponseHeaders(answer.headers), body, mode);
    if (equalized.shared) this.#deps.metrics.sharedAppTokens.inc();
    this.#deps.store.touchPartition(partitionOfToken(equalized.token), this.#now(), equalized.expiresAt);
    return buffered(201, clientResponseHeaders(answer.headers), equalized.body, mode);
  }

  /** One request upstream through the throttle, sent again after a secondary rate limit it can wait out. */
  async #exchange(call: UpstreamCall, x: Exchange, kind: ThrottleKind): Promise<UpstreamAnswer> {
    const { metrics, throttle, upstream, settings, logger } = this.#deps;
    for (let attempt = 0; ; attempt++) {
      const slot = await throttle.acquire(x.budget, kind, x.deadline);
      if (slot.waitedMs > 0) {
        x.waitedMs += slot.waitedMs;
        metrics.waitDuration.observe({ token_hash: x.labels.token_hash, request_type: kind.get ? 'GET' : 'non-GET', api: kind.api }, slot.waitedMs / 1000);
      }
      const t0 = performance.now();
      let answer: UpstreamAnswer;
      try {
        answer = await upstream.send(call);
      } finally {
        slot.release();
      }
      const ms = performance.now() - t0;
      x.upstreamMs += ms;
      metrics.requestDuration.observe({ token_hash: x.labels.token_hash, path: x.labels.path, status: String(answer.status), user_agent: x.labels.user_agent }, ms / 1000);
      this.#recordRateLimit(answer.headers, x, kind.api);
      if (answer.status !== 403 && answer.status !== 429) return answer;
      const read = await readBody(answer.body, 1 << 20);
      const text = read.complete ? read.body : Buffer.concat(read.head);
      const again: UpstreamAnswer = { ...answer, body: read.complete ? Readable.from([read.body]) : prepend(read.head, answer.body) };
      const wait = secondaryLimitWait(answer.status, answer.headers, text.toString('utf8'));
      if (wait === undefined) return again;
      metrics.secondaryLimits.inc({ token_hash: x.labels.token_hash });
      const waitMs = wait * settings.retryAfterUnitMs;
      throttle.block(x.budget, this.#now() + waitMs);
      const retry = attempt < settings.secondaryRetries && this.#now() + waitMs < x.deadline;
      logger.warn(
        { path: x.labels.path, method: call.method, tokenHash: x.labels.token_hash, retryAfter: wait, attempt, retry },
        retry ? 'GitHub secondary rate limit: holding this token\'s requests, then sending again' : 'GitHub secondary rate limit: the wait outlasts the request, answering the caller',
      );
      if (!retry) return again;
    }
  }

  #recordRateLimit(headers: IncomingHttpHeaders, x: Exchange, api: 'v3' | 'v4'): void {
    const remaining = Number(headers['x-ratelimit-remaining']);
    if (headers['x-ratelimit-remaining'] === undefined || Number.isNaN(remaining)) return;
    const resource = headerValue(headers, 'x-ratelimit-resource') ?? (api === 'v4' ? 'graphql' : 'core');
    const labels = { token_hash: x.labels.token_hash, api_version: api, ratelimit_resource: resource };
    this.#deps.metrics.tokenUsage.set(labels, remaining);
    const reset = Number(headers['x-ratelimit-reset']);
    if (!Number.isNaN(reset)) this.#deps.metrics.tokenReset.set(labels, reset);
  }

  #failed(err: unknown, req: ProxyRequest, x: Exchange, started: number): ProxyAnswer {
    const origin = this.#deps.upstream.target.rest.origin;
    if (err instanceof UpstreamError && err.kind === 'timeout') this.#deps.metrics.requestTimeouts.observe(x.labels, (this.#now() - started) / 1000);
    const answer = failureAnswer(err, origin);
    const level = answer.status === 403 ? 'info' : 'warn';
    this.#deps.logger[level]({ method: req.method, path: x.labels.path, tokenHash: x.labels.token_hash, status: answer.status, err: err instanceof Error ? err.message : String(err) }, 'ghproxy could not answer from GitHub');
    return answer;
  }

  #wrote(partition: string): void {
    const now = this.#now();
    this.#generations += 1;
    this.#writes.set(partition, { generation: this.#generations, at: now });
    if (this.#writes.size <= 1000) return;
    // A write older than any request in flight can no longer be raced; forgetting it keeps the map small.
    const horizon = now - 2 * this.#deps.settings.requestTimeoutMs;
    for (const [p, w] of this.#writes) if (w.at < horizon) this.#writes.delete(p);
  }

  async #storeGet(partition: string, key: string): Promise<CacheEntry | undefined> {
    try {
      return await this.#deps.store.get(partition, key);
    } catch (err) {
      this.#storeFailed('get', err);
      return undefined;
    }
  }

  async #storePut(partition: string, key: string, entry: CacheEntry): Promise<void> {
    try {
      await this.#deps.store.put(partition, key, entry);
    } catch (err) {
      this.#storeFailed('put', err);
    }
  }

  async #storeDelete(partition: string, key: string): Promise<void> {
    try {
      await this.#deps.store.delete(partition, key);
    } catch (err) {
      this.#storeFailed('delete', err);
    }
  }

  /** A store that fails costs tokens, not answers: count it, and say so at most once a minute. */
  #storeFailed(op: string, err: unknown): void {
    this.#deps.metrics.storeErrors.inc({ op });
    const now = this.#now();
    if (now - this.#lastStoreWarning < 60_000) return;
    this.#lastStoreWarning = now;
    this.#deps.logger.warn({ op, store: this.#deps.store.kind, err: err instanceof Error ? err.message : String(err) }, 'ghproxy cache store failed: answering from GitHub without it');
  }
}
