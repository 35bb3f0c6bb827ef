import { createHmac } from 'node:crypto';

/** `X-Hub-Signature-256` of a body: `sha256=` and the hex HMAC with the hook's secret. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
