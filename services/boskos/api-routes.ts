import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { parseGoDuration } from '../../lib/config/go/go-duration.ts';
import type { BoskosMetrics } from './boskos-metrics.ts';
import { userAgentLabel } from './boskos-metrics.ts';
import type { Ranch } from './ranch/ranch.ts';
import { isRanchError } from './ranch/ranch-errors.ts';
import { toWire } from './ranch/resource.ts';

export interface BoskosRoutesOptions {
  ranch: Ranch;
  metrics: BoskosMetrics;
}

/** Boskos' paths, as its handlers name them in `path` labels. */
const paths = ['acquire', 'acquirebystate', 'release', 'reset', 'update', 'metric'] as const;

function param(req: FastifyRequest, name: string): string {
  const v = (req.query as Record<string, string | string[] | undefined>)[name];
  // Go's url.Values.Get: the first value when a parameter is repeated.
  return (Array.isArray(v) ? v[0] : v) ?? '';
}

/** Go's http.Error: a text body ending in a newline. */
function refuse(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).header('content-type', 'text/plain; charset=utf-8').header('x-content-type-options', 'nosniff').send(`${message}\n`);
}

function failed(req: FastifyRequest, reply: FastifyReply, err: unknown, context: string): FastifyReply {
  if (isRanchError(err)) {
    // Redis being away is logged once by the connection, not once per refused request.
    if (err.status >= 500) req.log.debug({ err: err.message }, `boskos: ${context}`);
    return refuse(reply, err.status, `${context}: ${err.message}`);
  }
  req.log.error({ err }, `boskos: ${context}`);
  return refuse(reply, 500, `${context}: ${err instanceof Error ? err.message : String(err)}`);
}

function onlyPost(req: FastifyRequest, reply: FastifyReply, path: string): boolean {
  if (req.method === 'POST') return true;
  void refuse(reply, 405, `Method ${req.method}, /${path} only accepts POST.`);
  return false;
}

/** `/update`'s body as Go decodes it into UserData: empty or null for none, else an object of strings. */
function userDataOf(body: unknown): { ok: true; value: Record<string, string> | undefined } | { ok: false; message: string } {
  const text = typeof body === 'string' ? body.trim() : '';
  if (text === '') return { ok: true, value: undefined };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `the body is not JSON (${err instanceof Error ? err.message : String(err)}); send the userdata to merge as {"key": "value"}, or no body` };
  }
  if (value === null) return { ok: true, value: undefined };
  if (typeof value !== 'object' || Array.isArray(value)) return { ok: false, message: 'the body must be a JSON object of strings, {"key": "value"} ("" deletes a key)' };
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') return { ok: false, message: `userdata "${k}" is a ${v === null ? 'null' : typeof v}, not a string; encode complex values as a JSON or YAML string` };
  }
  return { ok: true, value: value as Record<string, string> };
}

/**
 * Boskos' HTTP API (`handlers/handlers.go`): the same paths, query parameters, JSON and status codes, with
 * Boskos' messages, so boskosctl, kubetest2 and scripts work unchanged. An encapsulated plugin: the body
 * parser that accepts any content type (Go's client sends `application/json` with no body) stays inside.
 */
export const boskosRoutes: FastifyPluginAsync<BoskosRoutesOptions> = (app, { ranch, metrics }) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    done(null, body);
  });

  app.addHook('onResponse', (req, reply, done) => {
    const path = (req.routeOptions.url ?? '').replace(/^\//, '');
    const labels = { path: (paths as readonly string[]).includes(path) ? path : '', method: req.method, status: String(reply.statusCode), user_agent: userAgentLabel(req.headers['user-agent']) };
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
    metrics.responseSize.observe(labels, Number(reply.getHeader('content-length') ?? 0));
    done();
  });

  app.all('/', (_req, reply) => reply.code(200).send(''));

  app.all('/acquire', async (req, reply) => {
    if (!onlyPost(req, reply, 'acquire')) return reply;
    const [type, state, dest, owner, requestId] = ['type', 'state', 'dest', 'owner', 'request_id'].map((n) => param(req, n)) as [string, string, string, string, string];
    if (type === '' || state === '' || dest === '' || owner === '') {
      return refuse(reply, 400, `Bad request: Type: ${type}, state: ${state}, dest: ${dest}, owner: ${owner}, all of them must be set in the request.`);
    }
    let acquired;
    try {
      acquired = await ranch.acquire({ type, state, dest, owner, requestId: requestId === '' ? undefined : requestId });
    } catch (err) {
      return failed(req, reply, err, 'Acquire failed');
    }
    req.log.debug({ resource: acquired.resource.name, type, owner, dest }, 'boskos: resource leased');
    metrics.acquireDuration.observe({ type, state, dest, has_request_id: String(requestId !== '') }, Math.max(0, Date.now() - acquired.requestedAt) / 1000);
    return reply.type('application/json').send(JSON.stringify(toWire(acquired.resource)));
  });

  app.all('/acquirebystate', async (req, reply) => {
    if (!onlyPost(req, reply, 'acquirebystate')) return reply;
    const [state, dest, owner, names] = ['state', 'dest', 'owner', 'names'].map((n) => param(req, n)) as [string, string, string, string];
    if (state === '' || dest === '' || owner === '' || names === '') {
      return refuse(reply, 400, `state: ${state}, dest: ${dest}, owner: ${owner}, names: ${names} - all of them must be set in the request.`);
    }
    let resources;
    try {
      resources = await ranch.acquireByState({ state, dest, owner, names: names.split(',') });
    } catch (err) {
      return failed(req, reply, err, 'AcquireByState');
    }
    return reply.type('application/json').send(`${JSON.stringify(resources.map(toWire))}\n`);
  });

  app.all('/release', async (req, reply) => {
    if (!onlyPost(req, reply, 'release')) return reply;
    const [name, dest, owner] = ['name', 'dest', 'owner'].map((n) => param(req, n)) as [string, string, string];
    if (name === '' || dest === '' || owner === '') {
      return refuse(reply, 400, `Name: ${name}, dest: ${dest}, owner: ${owner}, all of them must be set in the request.`);
    }
    try {
      await ranch.release({ name, dest, owner });
    } catch (err) {
      return failed(req, reply, err, `Done failed: ${name} - ${dest} (from ${owner})`);
    }
    req.log.debug({ resource: name, dest, owner }, 'boskos: resource released');
    return reply.code(200).send('');
  });

  app.all('/reset', async (req, reply) => {
    if (!onlyPost(req, reply, 'reset')) return reply;
    const [type, state, expire, dest] = ['type', 'state', 'expire', 'dest'].map((n) => param(req, n)) as [string, string, string, string];
    if (type === '' || state === '' || expire === '' || dest === '') {
      return refuse(reply, 400, `Type: ${type}, state: ${state}, expire: ${expire}, dest: ${dest}, all of them must be set in the request.`);
    }
    const expireMs = parseGoDuration(expire);
    if (expireMs === undefined) return refuse(reply, 400, `time: invalid duration ${JSON.stringify(expire)}; give expire as a Go duration such as 30m or 1h`);
    let moved;
    try {
      moved = await ranch.reset({ type, state, expireMs, dest });
    } catch (err) {
      return failed(req, reply, err, 'could not reset states');
    }
    if (Object.keys(moved).length > 0) req.log.info({ type, state, dest, moved }, 'boskos: stale leases reset');
    return reply.type('application/json').send(JSON.stringify(moved));
  });

  app.all('/update', async (req, reply) => {
    if (!onlyPost(req, reply, 'update')) return reply;
    const [name, owner, state] = ['name', 'owner', 'state'].map((n) => param(req, n)) as [string, string, string];
    if (name === '' || owner === '' || state === '') {
      return refuse(reply, 400, `Name: ${name}, owner: ${owner}, state : ${state}, all of them must be set in the request.`);
    }
    const userData = userDataOf(req.body);
    if (!userData.ok) return refuse(reply, 400, userData.message);
    try {
      await ranch.update({ name, owner, state, userData: userData.value });
    } catch (err) {
      return failed(req, reply, err, `Update failed: ${name} - ${state} (${owner})`);
    }
    return reply.code(200).send('');
  });

  app.all('/metric', async (req, reply) => {
    if (req.method !== 'GET') return refuse(reply, 405, '/metric only accepts GET');
    const type = param(req, 'type');
    if (type === '') return refuse(reply, 400, 'Type must be set in the request.');
    let metric;
    try {
      metric = await ranch.metric(type);
    } catch (err) {
      if (isRanchError(err)) return refuse(reply, err.status, err.message);
      return failed(req, reply, err, `Metric for ${type} failed`);
    }
    return reply.type('application/json').send(JSON.stringify(metric));
  });
  return Promise.resolve();
};
