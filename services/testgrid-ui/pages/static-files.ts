import { readFileSync } from 'node:fs';
import type { FastifyPluginCallback } from 'fastify';
import { autosubmitScript, buildLogScript } from '../static/client-scripts.ts';

const js = 'text/javascript; charset=utf-8';

/** `GET /static/<file>`: the stylesheet and the two scripts filtering and long logs need. */
export const staticFiles: FastifyPluginCallback = (app, _opts, done) => {
  const files = new Map<string, { type: string; body: string | Buffer }>([
    ['app.css', { type: 'text/css; charset=utf-8', body: readFileSync(new URL('../static/app.css', import.meta.url)) }],
    ['autosubmit.js', { type: js, body: autosubmitScript }],
    ['build-log.js', { type: js, body: buildLogScript }],
  ]);
  app.get('/static/:file', (req, reply) => {
    const name = (req.params as { file: string }).file;
    const file = files.get(name);
    if (file === undefined) return reply.code(404).type('text/plain').send(`no static file ${name}`);
    return reply.type(file.type).header('cache-control', 'public, max-age=300').send(file.body);
  });
  done();
};
