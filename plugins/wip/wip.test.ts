import type { EmitterWebhookEvent } from '@octokit/webhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginContextBase } from '../plugin.ts';
import { startPluginHarness, type PluginHarness } from '../testing/plugin-harness.ts';
import { wipPlugin } from './index.ts';
import { isWorkInProgress } from './wip-label.ts';

type WipEvent = 'pull_request.opened' | 'pull_request.reopened' | 'pull_request.edited' | 'pull_request.ready_for_review' | 'pull_request.converted_to_draft';
type Payload = EmitterWebhookEvent<WipEvent>['payload'];

let h: PluginHarness;
let base: PluginContextBase;
beforeAll(async () => {
  h = await startPluginHarness();
  base = h.context();
});
afterAll(async () => {
  await h.close();
});

const repo = { owner: 'acme', repo: 'widgets' };
let branch = 0;

async function openPull(title: string, draft = false): Promise<number> {
  branch += 1;
  const { number } = await h.emu.control.createPullRequest({ ...repo, author: 'collab', head: `wip-${branch}`, title, draft, files: { [`w${branch}.txt`]: 'x\n' } });
  return number;
}

/** The last `pull_request` webhook the emulator sent for PR `number` with `action`. */
async function sent(number: number, action: string): Promise<Payload> {
  const found = (await h.events()).filter((e) => e.event === 'pull_request' && e.payload.action === action && e.payload.number === number).at(-1);
  if (!found) throw new Error(`no pull_request.${action} webhook for #${number}`);
  return found.payload as unknown as Payload;
}

/** Runs the handler hook would run for `pull_request.<action>`, with that payload. */
async function handle(action: string, payload: Payload): Promise<void> {
  const event = `pull_request.${action}` as WipEvent;
  const handler = wipPlugin.handlers?.[event] as ((ctx: PluginContextBase & { event: WipEvent; payload: Payload }) => Promise<void>) | undefined;
  if (!handler) throw new Error(`wip does not handle ${event}`);
  await handler({ ...base, event, payload });
}

async function labels(number: number): Promise<string[]> {
  const { data } = await h.as('admin').rest.issues.listLabelsOnIssue({ ...repo, issue_number: number });
  return data.map((l) => l.name);
}

describe('wip', () => {
  it('labels a PR titled WIP when opened, and unlabels it when the title is edited', async () => {
    const n = await openPull('[WIP] new parser');
    await handle('opened', await sent(n, 'opened'));
    expect(await labels(n)).toEqual(['do-not-merge/work-in-progress']);
    await h.as('collab').rest.pulls.update({ ...repo, pull_number: n, title: 'new parser' });
    await handle('edited', await sent(n, 'edited'));
    expect(await labels(n)).toEqual([]);
    await h.as('collab').rest.pulls.update({ ...repo, pull_number: n, title: 'wip: new parser, again' });
    await handle('edited', await sent(n, 'edited'));
    expect(await labels(n)).toEqual(['do-not-merge/work-in-progress']);
  });

  it('labels a draft PR, unlabels it once ready for review, and labels it again when back to draft', async () => {
    const n = await openPull('new lexer', true);
    const opened = await sent(n, 'opened');
    expect(opened.pull_request.draft).toBe(true);
    await handle('opened', opened);
    expect(await labels(n)).toEqual(['do-not-merge/work-in-progress']);
    // The emulator has no "ready for review" (GitHub does it through GraphQL): make the PR ready in the
    // emulator's state and deliver the event GitHub would send.
    const pull = h.emu.state.repoByName('acme', 'widgets')?.pulls.get(n);
    if (!pull) throw new Error('no such PR in the emulator');
    pull.draft = false;
    await handle('ready_for_review', { ...opened, action: 'ready_for_review', pull_request: { ...opened.pull_request, draft: false } } as Payload);
    expect(await labels(n)).toEqual([]);
    pull.draft = true;
    await handle('converted_to_draft', { ...opened, action: 'converted_to_draft', pull_request: { ...opened.pull_request, draft: true } } as Payload);
    expect(await labels(n)).toEqual(['do-not-merge/work-in-progress']);
  });

  it('checks again on reopen, and leaves a PR that is no work in progress alone', async () => {
    const n = await openPull('WIP - cleanup');
    await h.as('collab').rest.pulls.update({ ...repo, pull_number: n, state: 'closed' });
    await h.as('collab').rest.pulls.update({ ...repo, pull_number: n, state: 'open' });
    await handle('reopened', await sent(n, 'reopened'));
    expect(await labels(n)).toEqual(['do-not-merge/work-in-progress']);
    const plain = await openPull('Wipe the cache on start');
    await handle('opened', await sent(plain, 'opened'));
    expect(await labels(plain)).toEqual([]);
  });

  it('reads titles with Prow regex', () => {
    expect(['WIP: x', '[WIP] x', 'wip x', '(WIP) x', 'WIP-x'].map((title) => isWorkInProgress({ title }))).toEqual([true, true, true, true, true]);
    expect(['WIP', 'WIPE x', 'x WIP', '[[WIP]] x'].map((title) => isWorkInProgress({ title }))).toEqual([false, false, false, false]);
  });

  it('handles exactly the actions that can change the title or the draft flag, as Prow', () => {
    expect(Object.keys(wipPlugin.handlers ?? {}).sort()).toEqual([
      'pull_request.converted_to_draft',
      'pull_request.edited',
      'pull_request.opened',
      'pull_request.ready_for_review',
      'pull_request.reopened',
    ]);
    expect(wipPlugin.help.description).toContain('do-not-merge/work-in-progress');
  });
});
