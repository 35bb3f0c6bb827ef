import type { EmitterWebhookEvent, EmitterWebhookEventName } from '@octokit/webhooks';
import type { Plugin, PluginContext, PluginContextBase } from '../plugin.ts';
import type { PluginHarness } from '../testing/plugin-harness.ts';

/**
 * Test helpers shared by the OWNERS-driven plugins' tests (lgtm, approve, blunderbuss, owners-label):
 * read back the webhooks the emulator sent and feed them to a plugin the way hook does.
 */
export const acmeWidgets = { owner: 'acme', repo: 'widgets' };

/** The last webhook named `name` (`pull_request.synchronize`, `pull_request_review.submitted`...) the emulator sent for PR `number`. */
export async function lastWebhook<E extends EmitterWebhookEventName>(h: PluginHarness, name: E, number: number): Promise<EmitterWebhookEvent<E>['payload']> {
  const [event, action] = name.split('.');
  const found = (await h.events())
    .filter((e) => {
      const pr = (e.payload.pull_request ?? {}) as { number?: number };
      return e.event === event && e.payload.action === action && pr.number === number;
    })
    .at(-1);
  if (!found) throw new Error(`the emulator sent no ${name} webhook for #${number}`);
  return found.payload;
}

/** Runs `plugin`'s handler for `name` with `payload`, as hook would. */
export async function runWebhook<E extends EmitterWebhookEventName>(plugin: Plugin, ctx: PluginContextBase, name: E, payload: EmitterWebhookEvent<E>['payload']): Promise<void> {
  const handler = plugin.handlers?.[name] as ((c: PluginContext<E>) => Promise<void>) | undefined;
  if (!handler) throw new Error(`${plugin.name} does not handle ${name}`);
  await handler({ ...ctx, event: name, payload });
}

/** The label names on issue or PR `number`, read as an admin. */
export async function labelsOf(h: PluginHarness, number: number): Promise<string[]> {
  const { data } = await h.as('admin').rest.issues.listLabelsOnIssue({ ...acmeWidgets, issue_number: number });
  return data.map((l) => l.name).sort();
}

/** The comments on issue or PR `number` as [author, body]. */
export async function commentsOf(h: PluginHarness, number: number): Promise<{ id: number; user: string; body: string; createdAt: string; updatedAt: string }[]> {
  const { data } = await h.as('admin').rest.issues.listComments({ ...acmeWidgets, issue_number: number, per_page: 100 });
  return data.map((c) => ({ id: c.id, user: c.user?.login ?? '', body: c.body ?? '', createdAt: c.created_at, updatedAt: c.updated_at }));
}

/** The bot's comments on `number`. */
export async function botCommentsOf(h: PluginHarness, number: number): Promise<string[]> {
  return (await commentsOf(h, number)).filter((c) => c.user === 'prow-bot').map((c) => c.body);
}

let branches = 0;

/** Opens a PR on acme/widgets from a fresh branch that changes `files`; returns its number and head branch. */
export async function openPull(h: PluginHarness, author: string, files: Record<string, string>, extra: { body?: string; draft?: boolean } = {}): Promise<{ number: number; head: string }> {
  branches += 1;
  const head = `change-${branches}`;
  const { number } = await h.emu.control.createPullRequest({ ...acmeWidgets, author, head, title: `change ${branches}`, files, ...extra });
  return { number, head };
}
