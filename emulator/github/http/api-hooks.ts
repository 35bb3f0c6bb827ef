import { createHash, randomUUID } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isGraphqlPath, isInternalPath, pathOf } from './api-paths.ts';
import { authenticate } from './authenticate.ts';
import { GitHubError } from './github-error.ts';

function send(reply: FastifyReply, err: GitHubError): FastifyReply {
  return reply.code(err.status).headers(err.headers).send(err.body());
}

function etagMatches(header: string | string[] | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const strip = (t: string): string => t.trim().replace(/^W\//, '');
  const want = strip(etag);
  return (Array.isArray(header) ? header : header.split(',')).some((t) => t.trim() === '*' || strip(t) === want);
}

function lastModified(payload: string): string | undefined {
  if (!payload.startsWith('{')) return undefined;
  try {
    const updated = (JSON.parse(payload) as { updated_at?: unknown }).updated_at;
    return typeof updated === 'string' ? new Date(updated).toUTCString() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Makes the app answer like api.github.com around the route handlers: injected faults, token auth,
 * the primary rate limit, the OpenAPI check (unknown route 404, unimplemented 501, bad body 422), ETags with
 * free 304s, and GitHub's error bodies.
 */
export function registerApiHooks(app: FastifyInstance): void {
  app.decorateRequest('actor', undefined);
  app.decorateRequest('jwtApp', undefined);
  app.decorateRequest('rate', undefined);

  app.addHook('onRequest', async (req, reply) => {
    const path = pathOf(req.url);
    if (isInternalPath(path)) return;
    const { emu } = app;
    const fault = emu.faults.take(req.method, path);
    if (fault) return reply.code(fault.status).headers(fault.headers).send(fault.body);
    const id = authenticate(emu.state, req.headers.authorization);
    req.actor = id.actor;
    req.jwtApp = id.jwtApp;
    const resource = isGraphqlPath(path) ? 'graphql' : path.startsWith('/search/') ? 'search' : 'core';
    const key = id.key ?? `anon:${req.ip}`;
    if (emu.limits.exhausted(key)) {
      const who = id.actor ? `user ID ${id.actor.account.id}` : req.ip;
      return reply
        .code(403)
        .headers(emu.limits.headers(key, resource))
        .send({
          message: `API rate limit exceeded for ${who}. If you reach out to GitHub Support for help, please include the request ID ${req.id}.`,
          documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-rate-limits',
        });
    }
    req.rate = { key, resource };
    return undefined;
  });

  app.addHook('preValidation', (req, _reply, done) => {
    const path = pathOf(req.url);
    if (isInternalPath(path) || isGraphqlPath(path)) {
      done();
      return;
    }
    const op = app.emu.openapi.match(req.method, path);
    if (!op) {
      done(new GitHubError(404, 'Not Found'));
      return;
    }
    const problems = app.emu.openapi.validateBody(op, req.body);
    done(problems.length > 0 ? new GitHubError(422, `Invalid request.\n\n${problems.join('\n')}`) : undefined);
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (!req.rate) return payload;
    reply.header('x-github-request-id', randomUUID().toUpperCase());
    reply.header('x-github-media-type', 'github.v3; format=json');
    reply.header('x-github-api-version-selected', '2022-11-28');
    reply.header('x-oauth-scopes', req.actor?.token.kind === 'personal' ? 'repo, read:org' : '');
    let notModified = false;
    if (req.method === 'GET' && reply.statusCode === 200 && typeof payload === 'string') {
      const etag = `W/"${createHash('sha256').update(payload).digest('hex')}"`;
      reply.header('etag', etag);
      const modified = lastModified(payload);
      if (modified) reply.header('last-modified', modified);
      if (etagMatches(req.headers['if-none-match'], etag)) notModified = true;
    }
    // GET /rate_limit is free on GitHub.
    if (pathOf(req.url) !== '/rate_limit') app.emu.limits.record(req.rate.key, notModified, req.rate.resource);
    reply.headers(app.emu.limits.headers(req.rate.key, req.rate.resource));
    if (!notModified) return payload;
    reply.code(304);
    reply.removeHeader('content-length');
    return '';
  });

  app.setErrorHandler((err: FastifyError | GitHubError, req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof GitHubError) return send(reply, err);
    if (err.code === 'FST_ERR_CTP_INVALID_JSON' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err instanceof SyntaxError) {
      return send(reply, new GitHubError(400, 'Problems parsing JSON'));
    }
    if (typeof err.statusCode === 'number' && err.statusCode < 500) return send(reply, new GitHubError(err.statusCode, err.message));
    req.log.error({ err }, 'emulator route failed');
    return send(reply, new GitHubError(500, 'Server Error'));
  });

  app.setNotFoundHandler((req, reply) => {
    const path = pathOf(req.url);
    const op = isInternalPath(path) ? undefined : app.emu.openapi.match(req.method, path);
    if (!op) return send(reply, new GitHubError(404, 'Not Found'));
    return send(
      reply,
      new GitHubError(501, `The emulator does not implement ${op.operationId} (${op.method} ${op.path}) yet`, {
        documentationUrl: `https://docs.github.com/rest?operationId=${encodeURIComponent(op.operationId)}`,
      }),
    );
  });
}
