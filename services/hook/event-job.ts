/**
 * One webhook delivery as hook's intake stores it and its workers take it: the raw body as received (so
 * external plugins get exactly what GitHub signed) and the headers that matter. BullMQ job name = event,
 * job id = delivery.
 */
export interface EventJob {
  /** X-GitHub-Event. */
  event: string;
  /** X-GitHub-Delivery. */
  delivery: string;
  /** The request body, byte for byte as received (UTF-8). */
  body: string;
  /** Headers to forward to external plugins: X-GitHub-*, X-Hub-Signature-256, content-type, user-agent. */
  headers: Record<string, string>;
  /** When intake accepted it, ms since the epoch. */
  receivedAt: number;
}
