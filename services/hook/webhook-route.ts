import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { EventJob } from './event-job.ts';
import type { HookMetrics } from './hook-metrics.ts';
import type { Intake } from './intake-journal.ts';
import { signatureMatches } from '../../lib/webhooks/signature.ts';
import { maxWebhookBytes, readSignedBody, type SignedBody } from './signed-body.ts';
import type { WebhookSecrets } from '../../lib/webhooks/webhook-secrets.ts';

export interface WebhookRouteOptions {
  /** Webhook path, `/hook` as in Prow. */
  path: string;
  secrets: WebhookSecrets;
  intake: Intake;
  metrics: HookMetrics;
  maxBodyBytes?: number | undefined;
}

/** Headers kept with a delivery, for external plugins that get it re-posted as GitHub sent it. */
const forwarded = (name: string): boolean =>
  name.startsWith('x-github-') || name === 'x-hub-signature-256' || name === 'x-hub-signature' || name === 'content-type' || name === 'user-agent';

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Answers the way Prow does: `<code> <status text>: <why>` in plain text. */
function refuse(reply: FastifyReply, code: number, why: string): FastifyReply {
  const text = { 400: 'Bad Request', 403: 'Forbidden', 405: 'Method Not Allowed', 413: 'Payload Too Large', 503: 'Service Unavailable' }[code] ?? 'Error';
  return reply.code(code).type('text/plain; charset=utf-8').send(`${code} ${text}: ${why}`);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The webhook route, as an encapsulated plugin so its raw-body parser touches no other route. It refuses in
 * Prow's order (method 405; X-GitHub-Event, X-GitHub-Delivery 400; X-Hub-Signature-256 403; content type
 * 400; signature 403; size 413; JSON 400) and answers 200 only once the intake has the delivery durably;
 * 503 when it cannot, so GitHub marks the delivery failed and it can be redelivered.
 */
export const webhookRoute: FastifyPluginAsync<WebhookRouteOptions> = (app, opts) => {
  const limit = opts.maxBodyBytes ?? maxWebhookBytes;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, payload, done) => {
    readSignedBody(payload, opts.secrets.keys, limit).then(
      (body) => {
        done(null, body);
      },
      (err: unknown) => {
        done(err instanceof Error ? err : new Error(String(err)), undefined);
      },
    );
  });

  app.addHook('onResponse', (_req, reply, done) => {
    opts.metrics.responses.inc({ response_code: String(reply.statusCode) });
    done();
  });

  // The header checks run before the body is read, so a refused request costs no body parsing.
  app.addHook('onRequest', (req, reply, done) => {
    if (req.method !== 'POST') {
      void refuse(reply.header('allow', 'POST'), 405, 'Method not allowed');
      return;
    }
    if (header(req, 'x-github-event') === undefined) {
      void refuse(reply, 400, 'Missing X-GitHub-Event Header');
      return;
    }
    if (header(req, 'x-github-delivery') === undefined) {
      void refuse(reply, 400, 'Missing X-GitHub-Delivery Header');
      return;
    }
    if (header(req, 'x-hub-signature-256') === undefined) {
      void refuse(reply, 403, 'Missing X-Hub-Signature-256');
      return;
    }
    if (req.headers['content-type'] !== 'application/json') {
      void refuse(reply, 400, 'Hook only accepts content-type: application/json - please reconfigure this hook on GitHub');
      return;
    }
    done();
  });

  app.all(opts.path, async (req, reply) => {
    const body = req.body as SignedBody | undefined;
    const raw = body?.raw;
    const text = raw?.toString('utf8');
    let payload: unknown;
    if (text !== undefined) {
      try {
        payload = JSON.parse(text);
      } catch {
        payload = undefined;
      }
    }
    // Which keys may sign depends on the payload's repository; a body that cannot be read may match any.
    const allowed = isRecord(payload) ? opts.secrets.allowedFor(payload) : opts.secrets.all;
    if (!body || !signatureMatches(header(req, 'x-hub-signature-256') ?? '', body.digests, allowed)) {
      return refuse(reply, 403, 'Invalid X-Hub-Signature-256');
    }
    if (text === undefined) return refuse(reply, 413, `payload is larger than ${limit} bytes`);
    if (!isRecord(payload)) return refuse(reply, 400, 'payload is not a JSON object');

    const event = header(req, 'x-github-event') ?? '';
    const delivery = header(req, 'x-github-delivery') ?? '';
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string' && forwarded(name)) headers[name] = value;
    const job: EventJob = { event, delivery, body: text, headers, receivedAt: Date.now() };
    try {
      await opts.intake.append(job, raw);
    } catch (err) {
      req.log.warn({ delivery, event, err: err instanceof Error ? err.message : String(err) }, 'webhook not stored: answering 503 so GitHub can redeliver it');
      return refuse(reply, 503, 'cannot store the event right now; redeliver it later');
    }
    opts.metrics.webhooks.inc({ event_type: event });
    return reply.code(200).type('text/plain; charset=utf-8').send('Event received. Have a nice day.');
  });
  return Promise.resolve();
};
