import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/**
 * Request logging for every service: one line per request at debug (health probes and scrapes would
 * drown anything else at info), server errors at error with the error itself. Headers are never logged.
 */
export class RequestLogging extends LogController {
  override incomingRequest(): void {
    // One line per request is enough; it is written when the request completes.
  }

  override requestCompleted(error: Error | null | undefined, req: FastifyRequest, reply: FastifyReply): void {
    const line = { method: req.method, url: req.url, code: reply.statusCode, ms: Math.round(reply.elapsedTime) };
    if (error || reply.statusCode >= 500) reply.log.error({ ...line, err: error }, 'request failed');
    else reply.log.debug(line, 'request');
  }
}
