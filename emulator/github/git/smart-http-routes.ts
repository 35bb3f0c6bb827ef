import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import { createSmartHttpHandler, type SmartHttpOptions } from './smart-http.ts';

/**
 * Mounts git's smart HTTP endpoints (`/:owner/:repo[.git]/info/refs`, `/git-upload-pack`,
 * `/git-receive-pack`) on a fastify instance. The request is hijacked in `onRequest`, before fastify would
 * parse (and refuse) git's binary bodies, and handed to the smart HTTP handler untouched.
 */
export const smartHttpRoutes: FastifyPluginCallback<SmartHttpOptions> = (app, opts, done) => {
  const handle = createSmartHttpHandler(opts);
  const onRequest = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    reply.hijack();
    if (!(await handle(request.raw, reply.raw))) reply.raw.writeHead(404).end();
  };
  const unreachable = (): void => undefined;
  app.get('/:owner/:repo/info/refs', { onRequest }, unreachable);
  app.post('/:owner/:repo/git-upload-pack', { onRequest }, unreachable);
  app.post('/:owner/:repo/git-receive-pack', { onRequest }, unreachable);
  done();
};
