import { createHmac, randomUUID } from 'node:crypto';
import examples from '@octokit/webhooks-examples' with { type: 'json' };

/** The first `issue_comment.created` example from @octokit/webhooks-examples (about 12.7 KB), as JSON text. */
export function issueCommentBody(): string {
  const definitions = examples as unknown as { name: string; examples: unknown[] }[];
  const payload = definitions.find((e) => e.name === 'issue_comment')?.examples[0];
  if (payload === undefined) throw new Error('@octokit/webhooks-examples has no issue_comment example');
  return JSON.stringify(payload);
}

/** `sha256=<hex>` of `body` under `secret`, as GitHub signs. */
export function sign(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Headers GitHub sends with a delivery, signed with `secret`; override any of them. */
export function deliveryHeaders(secret: string, body: string, over: Record<string, string> = {}): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-github-event': 'issue_comment',
    'x-github-delivery': randomUUID(),
    'x-hub-signature-256': sign(secret, body),
    'user-agent': 'GitHub-Hookshot/test',
    ...over,
  };
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined>, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
