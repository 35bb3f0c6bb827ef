import type { FastifyInstance } from 'fastify';
import { createServer, type HealthCheck } from '../../lib/http/server.ts';
import type { Logger } from '../../lib/log.ts';
import { digestsOf, signatureMatches } from '../../lib/webhooks/signature.ts';
import type { WebhookSecrets } from '../../lib/webhooks/webhook-secrets.ts';
import type { HistoryRecord, PoolStore } from './pool-store.ts';

export interface TideAppOptions {
  logger: Logger;
  store: PoolStore;
  /** The webhook secrets hook checks; a delivery hook forwards here must carry a valid signature. */
  secrets: WebhookSecrets;
  /** Called for every accepted delivery: the next sync comes sooner. */
  nudge: (event: string) => void;
  health?: Record<string, HealthCheck> | undefined;
  processMetrics?: boolean | undefined;
}

const maxDeliveryBytes = 25 * 1024 * 1024;

/**
 * Tide's HTTP side: `GET /` (the pools, in Tide's JSON with the queue's own fields), `GET /history` (records
 * per pool, newest first), and `POST /hook`, where hook forwards webhooks (Tide as an external plugin) so
 * Tide reacts to events instead of waiting for its period. A delivery only hastens the next sync; what Tide
 * does is always decided from GitHub's state, so a lost delivery costs at most one `sync_period`.
 */
export function createTideApp(o: TideAppOptions): FastifyInstance {
  const app = createServer({ name: 'tide', logger: o.logger, health: o.health, processMetrics: o.processMetrics });
  app.get('/', async () => o.store.view());
  app.get('/history', async () => {
    const history: Record<string, HistoryRecord[]> = {};
    for (const key of await o.store.keys()) history[key] = await o.store.history(key);
    return history;
  });
  void app.register((scope, _opts, done) => {
    scope.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: maxDeliveryBytes }, (_req, body, parsed) => {
      parsed(null, body);
    });
    scope.post('/hook', async (req, reply) => {
      const event = req.headers['x-github-event'];
      const signature = req.headers['x-hub-signature-256'];
      if (typeof event !== 'string' || event === '') return reply.code(400).send({ error: 'missing X-GitHub-Event header' });
      if (typeof signature !== 'string') return reply.code(403).send({ error: 'missing X-Hub-Signature-256 header: sign the delivery with the webhook secret' });
      const body = req.body;
      if (!Buffer.isBuffer(body)) return reply.code(400).send({ error: 'the body must be the delivery JSON (Content-Type: application/json)' });
      let payload: Record<string, unknown>;
      try {
        payload = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      } catch {
        return reply.code(400).send({ error: 'the body is not JSON' });
      }
      if (!signatureMatches(signature, digestsOf(body, o.secrets.keys), o.secrets.allowedFor(payload))) {
        return reply.code(403).send({ error: 'invalid X-Hub-Signature-256: the delivery was not signed with the webhook secret' });
      }
      o.nudge(event);
      return reply.send('Event received. Have a nice day.');
    });
    done();
  });
  return app;
}
