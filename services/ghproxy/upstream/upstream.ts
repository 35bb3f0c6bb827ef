import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** Why an upstream exchange produced no response: GitHub was silent past the deadline, or not reachable. */
export class UpstreamError extends Error {
  readonly kind: 'timeout' | 'unreachable';

  constructor(kind: 'timeout' | 'unreachable', message: string) {
    super(message);
    this.name = 'UpstreamError';
    this.kind = kind;
  }
}

/** One request to GitHub. */
export interface UpstreamCall {
  method: string;
  url: URL;
  headers: OutgoingHttpHeaders;
  body?: Buffer | undefined;
  /** Unix milliseconds by which the response headers must have arrived (and a buffered body been read). */
  deadline: number;
  /** Ask for gzip and hand back the body uncompressed (for responses the cache keeps). */
  decompress?: boolean | undefined;
}

/** GitHub's answer: status and headers as they came, the body as a stream. */
export interface UpstreamAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Readable;
  /** Lets the body outlive the deadline, for a response streamed to the client (only socket idleness ends it then). */
  release(): void;
}

/** Where GitHub's REST and GraphQL APIs are, from the REST base (api.github.com, a GitHub Enterprise `/api/v3`, the emulator). */
export interface UpstreamTarget {
  rest: URL;
  graphql: URL;
}

/** The REST base and its GraphQL endpoint, as Octokit derives them: `/api/v3` bases answer GraphQL at `/api/graphql`. */
export function upstreamTarget(base: string): UpstreamTarget {
  const rest = new URL(base.replace(/\/+$/, ''));
  const graphql = new URL(rest.href);
  graphql.pathname = rest.pathname.endsWith('/api/v3') ? rest.pathname.replace(/\/v3$/, '/graphql') : `${rest.pathname.replace(/\/$/, '')}/graphql`;
  return { rest, graphql };
}

/** True for a client's GraphQL path: `/graphql` (a REST base at the root) or `/api/graphql` (an Enterprise-style base). */
export function isGraphqlPath(path: string): boolean {
  return path === '/graphql' || path === '/api/graphql';
}

function errorCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The proxy's one HTTP client for GitHub: keep-alive connections without a per-host cap (the throttle caps
 * them), a deadline per exchange, and one silent retry of an idempotent request that died on a reused
 * connection the server had just closed.
 */
export class Upstream {
  readonly target: UpstreamTarget;
  readonly #agent: HttpAgent;
  readonly #request: typeof httpRequest;
  /** Milliseconds a streamed body may stall before the exchange is cut. */
  readonly #idleMs: number;

  constructor(base: string, opts: { idleMs: number }) {
    this.target = upstreamTarget(base);
    const https = this.target.rest.protocol === 'https:';
    const agentOptions = { keepAlive: true, maxSockets: Infinity, maxFreeSockets: 256, scheduling: 'lifo' as const };
    this.#agent = https ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
    this.#request = https ? httpsRequest : httpRequest;
    this.#idleMs = opts.idleMs;
  }

  /** The upstream URL of a client's path and query: GraphQL to the GraphQL endpoint, the rest under the REST base. */
  urlFor(pathAndQuery: string): URL {
    const query = pathAndQuery.indexOf('?');
    const path = query === -1 ? pathAndQuery : pathAndQuery.slice(0, query);
    const search = query === -1 ? '' : pathAndQuery.slice(query);
    if (isGraphqlPath(path)) return new URL(`${this.target.graphql.href}${search}`);
    const rest = path.startsWith('/api/v3/') ? path.slice('/api/v3'.length) : path;
    return new URL(`${this.target.rest.origin}${this.target.rest.pathname.replace(/\/$/, '')}${rest}${search}`);
  }

  async send(call: UpstreamCall): Promise<UpstreamAnswer> {
    try {
      return await this.#attempt(call);
    } catch (err) {
      const idempotent = call.method === 'GET' || call.method === 'HEAD';
      if (idempotent && err instanceof StaleSocketError && Date.now() < call.deadline) return this.#attempt(call);
      throw err instanceof StaleSocketError ? err.cause : err;
    }
  }

  close(): void {
    this.#agent.destroy();
  }

  #attempt(call: UpstreamCall): Promise<UpstreamAnswer> {
    const headers: OutgoingHttpHeaders = { ...call.headers };
    if (call.decompress) headers['accept-encoding'] = 'gzip';
    if (call.body !== undefined && call.body.length > 0) headers['content-length'] = call.body.length;
    return new Promise((resolve, reject) => {
      const req = this.#request(call.url, { method: call.method, headers, agent: this.#agent });
      const wait = call.deadline - Date.now();
      const timer = setTimeout(() => {
        req.destroy(new UpstreamError('timeout', `GitHub at ${call.url.origin} did not answer within the request timeout`));
      }, Math.max(0, wait));
      let answered = false;
      req.once('error', (err) => {
        clearTimeout(timer);
        if (answered) return;
        if (err instanceof UpstreamError) reject(err);
        else if (req.reusedSocket && (errorCode(err) === 'ECONNRESET' || errorCode(err) === 'EPIPE')) reject(new StaleSocketError(this.#unreachable(call, err)));
        else reject(this.#unreachable(call, err));
      });
      req.once('response', (res: IncomingMessage) => {
        answered = true;
        let body: Readable = res;
        if (call.decompress && res.headers['content-encoding'] === 'gzip') {
          const gunzip = createGunzip();
          res.once('error', (err) => gunzip.destroy(err));
          body = res.pipe(gunzip);
          delete res.headers['content-encoding'];
          delete res.headers['content-length'];
        }
        // The deadline still covers the body until the caller streams it; its error reaches the body stream.
        req.once('error', (err) => body.destroy(err));
        res.once('end', () => {
          clearTimeout(timer);
        });
        resolve({
          status: res.statusCode ?? 502,
          headers: res.headers,
          body,
          release: () => {
            clearTimeout(timer);
            // A body already received has handed its socket back to the pool: nothing left to watch.
            if (res.complete) return;
            res.setTimeout(this.#idleMs, () => res.destroy(new UpstreamError('timeout', `GitHub at ${call.url.origin} stalled while sending a body`)));
          },
        });
      });
      req.end(call.body);
    });
  }

  #unreachable(call: UpstreamCall, err: Error): UpstreamError {
    return new UpstreamError('unreachable', `cannot reach GitHub at ${call.url.origin}: ${errorCode(err) ?? err.message}`);
  }
}

/** A request lost to a keep-alive connection the server closed as it was reused; safe to send again when idempotent. */
class StaleSocketError extends Error {
  override readonly cause: UpstreamError;

  constructor(cause: UpstreamError) {
    super(cause.message);
    this.cause = cause;
  }
}

/** Reads a body up to `limit` bytes: all of it, or the chunks so far when it is larger (the stream paused, the rest unread). */
export function readBody(body: Readable, limit: number): Promise<{ complete: true; body: Buffer } | { complete: false; head: Buffer[] }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      body.off('data', onData);
      body.off('end', onEnd);
      body.off('error', onError);
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      size += chunk.length;
      if (size <= limit) return;
      cleanup();
      body.pause();
      resolve({ complete: false, head: chunks });
    };
    const onEnd = (): void => {
      cleanup();
      resolve({ complete: true, body: chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks) });
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    body.on('data', onData);
    body.once('end', onEnd);
    body.once('error', onError);
  });
}
