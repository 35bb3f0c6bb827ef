import fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { coreVersions, group, groupList, resourceList } from './discovery.ts';
import type { KubeStore, Subresource, WatchEvent, WatchHandle } from './kube-store.ts';
import { badRequest, KubeStatusError, methodNotAllowed, unauthorized, unsupportedMediaType } from './kube-status.ts';
import { apiVersionOf, type ResourceType } from './resource-type.ts';

/** What the API app is built from. */
export interface KubeApiDeps {
  store: KubeStore;
  /** The bearer token every request but /version and the health checks must carry. */
  token: string;
  /** How often a watch with allowWatchBookmarks gets a BOOKMARK (Kubernetes: about a minute). */
  bookmarkIntervalMs: number;
  /** The longest a watch stays open when the client names no timeoutSeconds (undefined: until closed). */
  watchTimeoutSeconds: number | undefined;
  /** Holds back the answer to every POST by this long after the write is done (and watchers told). */
  createResponseDelayMs?: number | undefined;
}

type Query = Record<string, string | undefined>;

/** A request's target, parsed from a Kubernetes REST path. */
interface Target {
  type: ResourceType;
  namespace: string | undefined;
  name: string | undefined;
  subresource: string | undefined;
}

const patchTypes = new Set(['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json']);

function parseJson(raw: unknown): unknown {
  if (typeof raw !== 'string' || raw === '') throw badRequest('the request has no body');
  try {
    return JSON.parse(raw) as unknown;
  } catch (err) {
    throw badRequest(`the body of the request is not JSON: ${(err as Error).message}`);
  }
}

function contentType(req: FastifyRequest): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '';
}

function positiveInt(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`${name}: invalid value "${value}"`);
  return n;
}

/**
 * The resource part of a path, after `/api/v1` or `/apis/GROUP/VERSION`:
 * `namespaces/NS/PLURAL[/NAME[/SUB]]`, `PLURAL[/NAME[/SUB]]`, with `namespaces/NAME[/status]` being a Namespace.
 */
function target(store: KubeStore, groupName: string, version: string, rest: string[]): Target {
  const [a, b, c, d, e] = rest;
  if (a === 'namespaces' && b !== undefined && c !== undefined && c !== 'status' && c !== 'finalize') {
    const type = store.typeFor(groupName, version, c);
    if (!type.namespaced) throw new KubeStatusError(404, 'NotFound', 'the server could not find the requested resource');
    return { type, namespace: b, name: d, subresource: e };
  }
  if (a === undefined) throw new KubeStatusError(404, 'NotFound', 'the server could not find the requested resource');
  return { type: store.typeFor(groupName, version, a), namespace: undefined, name: b, subresource: c };
}

/**
 * The Kubernetes REST API over a KubeStore: discovery, list/watch/create/get/replace/patch/delete for every
 * registered type (namespaced and cluster-wide), the status subresource, Pod logs and bindings. Every error
 * is a Kubernetes Status.
 */
export function buildKubeApiApp(deps: KubeApiDeps): FastifyInstance {
  const { store } = deps;
  const app = fastify({ logger: false, bodyLimit: 16 << 20, forceCloseConnections: true });
  const openWatches = new Set<() => void>();
  app.addHook('onClose', (_app, done) => {
    for (const end of [...openWatches]) end();
    done();
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => {
    done(null, body);
  });

  app.setErrorHandler((err: unknown, _req, reply) => {
    if (err instanceof KubeStatusError) return reply.code(err.code).send(err.status);
    const code = (err as { statusCode?: number }).statusCode ?? 500;
    const status = new KubeStatusError(code, code >= 500 ? 'InternalError' : 'BadRequest', (err as Error).message);
    return reply.code(code).send(status.status);
  });

  app.setNotFoundHandler((_req, reply) => reply.code(404).send(new KubeStatusError(404, 'NotFound', 'the server could not find the requested resource').status));

  app.addHook('onRequest', (req, _reply, done) => {
    const open = ['/version', '/healthz', '/livez', '/readyz'].includes(req.url.split('?')[0] ?? '');
    if (!open && req.headers.authorization !== `Bearer ${deps.token}`) {
      done(unauthorized());
      return;
    }
    done();
  });

  const delay = deps.createResponseDelayMs ?? 0;
  if (delay > 0) {
    app.addHook('onSend', (req, _reply, payload, done) => {
      if (req.method === 'POST') {
        setTimeout(() => {
          done(null, payload);
        }, delay);
      }
      else done(null, payload);
    });
  }

  for (const path of ['/healthz', '/livez', '/readyz']) app.get(path, (_req, reply) => reply.type('text/plain').send('ok'));
  app.get('/version', () => ({ major: '1', minor: '34', gitVersion: 'v1.34.0-prow-ts-test', platform: 'linux/amd64' }));
  app.get('/api', (req) => coreVersions(req.headers.host ?? ''));
  app.get('/apis', () => groupList(store.types()));

  const serve = (groupName: string, version: string, rest: string[], req: FastifyRequest, reply: FastifyReply): unknown => {
    if (rest.length === 0) {
      if (req.method !== 'GET') throw methodNotAllowed(req.method);
      const list = resourceList(groupName, version, store.types());
      if (list === undefined) throw new KubeStatusError(404, 'NotFound', 'the server could not find the requested resource');
      return list;
    }
    return handle(deps, openWatches, target(store, groupName, version, rest), req, reply);
  };

  app.all('/api/v1', (req, reply) => serve('', 'v1', [], req, reply));
  app.all('/api/v1/*', (req, reply) => serve('', 'v1', (req.params as { '*': string })['*'].split('/').filter(Boolean), req, reply));
  app.all('/apis/:group', (req) => {
    const g = group((req.params as { group: string }).group, store.types());
    if (g === undefined) throw new KubeStatusError(404, 'NotFound', 'the server could not find the requested resource');
    return g;
  });
  app.all('/apis/:group/:version', (req, reply) => {
    const p = req.params as { group: string; version: string };
    return serve(p.group, p.version, [], req, reply);
  });
  app.all('/apis/:group/:version/*', (req, reply) => {
    const p = req.params as { group: string; version: string; '*': string };
    return serve(p.group, p.version, p['*'].split('/').filter(Boolean), req, reply);
  });
  return app;
}

function handle(deps: KubeApiDeps, openWatches: Set<() => void>, t: Target, req: FastifyRequest, reply: FastifyReply): unknown {
  const { store } = deps;
  const q = req.query as Query;
  const { type, namespace, name } = t;
  let sub: Subresource;
  if (t.subresource === 'status') {
    if (!type.statusSubresource) throw new KubeStatusError(404, 'NotFound', 'the server could not find the requested resource');
    sub = 'status';
  } else if (t.subresource === 'log' && type.subresources.includes('log') && name !== undefined && namespace !== undefined) {
    if (req.method !== 'GET') throw methodNotAllowed(req.method);
    return reply.type('text/plain').send(logText(store.podLog(namespace, name, q.container), q));
  } else if (t.subresource === 'binding' && type.subresources.includes('binding') && name !== undefined) {
    if (req.method !== 'POST') throw methodNotAllowed(req.method);
    const binding = parseJson(req.body) as { target?: { name?: string } };
    store.mutate(type, namespace, name, (pod) => {
      pod.spec = { ...(pod.spec as Record<string, unknown>), nodeName: binding.target?.name ?? '' };
    });
    return reply.code(201).send({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
  } else if (t.subresource !== undefined) throw new KubeStatusError(404, 'NotFound', 'the server could not find the requested resource');

  if (name === undefined) {
    switch (req.method) {
      case 'GET':
        if (q.watch === 'true' || q.watch === '1') return watch(deps, openWatches, type, namespace, q, reply);
        return store.list(type, namespace, { labelSelector: q.labelSelector, fieldSelector: q.fieldSelector, limit: positiveInt(q.limit, 'limit'), continue: q.continue });
      case 'POST':
        return reply.code(201).send(store.create(type, namespace, parseJson(req.body), { owned: true }));
      case 'DELETE': {
        const list = store.list(type, namespace, { labelSelector: q.labelSelector, fieldSelector: q.fieldSelector });
        for (const item of list.items) store.delete(type, namespace ?? item.metadata.namespace, item.metadata.name ?? '');
        return list;
      }
      default:
        throw methodNotAllowed(req.method);
    }
  }
  switch (req.method) {
    case 'GET':
      return store.get(type, namespace, name);
    case 'PUT':
      return store.replace(type, namespace, name, parseJson(req.body), sub, { owned: true });
    case 'PATCH': {
      const ct = contentType(req);
      if (!patchTypes.has(ct)) throw unsupportedMediaType(ct);
      return store.patch(type, namespace, name, ct, parseJson(req.body), sub);
    }
    case 'DELETE': {
      if (sub !== undefined) throw methodNotAllowed('DELETE');
      const options = typeof req.body === 'string' && req.body !== '' ? (parseJson(req.body) as { preconditions?: { uid?: string; resourceVersion?: string } }) : {};
      const gone = store.delete(type, namespace, name, options.preconditions ?? {});
      if (type.returnDeletedObject) return gone;
      return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name, group: type.group, kind: type.plural, uid: gone.metadata.uid } };
    }
    default:
      throw methodNotAllowed(req.method);
  }
}

function logText(text: string, q: Query): string {
  let out = text;
  const tail = positiveInt(q.tailLines, 'tailLines');
  if (tail !== undefined) {
    const lines = out.split('\n');
    if (lines.at(-1) === '') lines.pop();
    out = lines.slice(Math.max(0, lines.length - tail)).join('\n') + (lines.length > 0 && out.endsWith('\n') ? '\n' : '');
  }
  const limit = positiveInt(q.limitBytes, 'limitBytes');
  if (limit !== undefined) out = Buffer.from(out).subarray(0, limit).toString('utf8');
  return out;
}

function bookmark(type: ResourceType, rv: string): string {
  return `${JSON.stringify({ type: 'BOOKMARK', object: { kind: type.kind, apiVersion: apiVersionOf(type), metadata: { resourceVersion: rv } } })}\n`;
}

/**
 * A watch as newline-delimited JSON over one chunked response. Events replayed while the watch starts are
 * held until the head is written, so a bad selector or resourceVersion is still an ordinary error answer.
 */
function watch(deps: KubeApiDeps, openWatches: Set<() => void>, type: ResourceType, namespace: string | undefined, q: Query, reply: FastifyReply): FastifyReply {
  const { store } = deps;
  const raw = reply.raw;
  const pending: string[] = [];
  // Mutable from callbacks, so kept in one object the type checker does not narrow.
  const st: { started: boolean; ended: boolean; handle: WatchHandle | undefined } = { started: false, ended: false, handle: undefined };
  const timers: (NodeJS.Timeout | undefined)[] = [undefined, undefined];
  const timeout = positiveInt(q.timeoutSeconds, 'timeoutSeconds') ?? deps.watchTimeoutSeconds;
  const bookmarks = q.allowWatchBookmarks === 'true' || q.allowWatchBookmarks === '1';

  const write = (line: string): void => {
    if (st.ended) return;
    if (st.started) raw.write(line);
    else pending.push(line);
  };
  const end = (): void => {
    if (st.ended) return;
    st.ended = true;
    for (const t of timers) clearTimeout(t);
    st.handle?.stop();
    openWatches.delete(end);
    if (st.started) raw.end();
  };

  st.handle = store.watch(type, namespace, {
    labelSelector: q.labelSelector,
    fieldSelector: q.fieldSelector,
    resourceVersion: q.resourceVersion,
    onEvent: (e: WatchEvent) => {
      write(e.line());
    },
    onEnd: (error) => {
      if (error !== undefined) write(`${JSON.stringify({ type: 'ERROR', object: error })}\n`);
      if (st.started) end();
      else st.ended = true;
    },
  });

  void reply.hijack();
  raw.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private' });
  // A client's watch() resolves on the head; an idle watch would otherwise not send it until its first event.
  raw.flushHeaders();
  st.started = true;
  for (const line of pending) raw.write(line);
  if (st.ended) {
    st.ended = false;
    end();
    return reply;
  }
  openWatches.add(end);
  raw.on('close', end);
  if (timeout !== undefined) {
    timers[0] = setTimeout(() => {
      if (bookmarks) write(bookmark(type, store.resourceVersion));
      end();
    }, timeout * 1000);
  }
  if (bookmarks) {
    const tick = (): void => {
      write(bookmark(type, store.resourceVersion));
      timers[1] = setTimeout(tick, deps.bookmarkIntervalMs);
    };
    timers[1] = setTimeout(tick, deps.bookmarkIntervalMs);
  }
  return reply;
}
