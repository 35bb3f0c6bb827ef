import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acmeWidgets, labelsOf, lastWebhook, openPull, runWebhook } from '../owners/owners-test-kit.ts';
import { startPluginHarness, type PluginHarness } from '../testing/plugin-harness.ts';
import { ownersLabelPlugin } from './index.ts';

let h: PluginHarness;
beforeAll(async () => {
  h = await startPluginHarness();
  for (const name of ['area/app', 'area/docs', 'repo/widgets']) await h.as('admin').rest.issues.createLabel({ ...acmeWidgets, name });
  await h.emu.control.commitFiles({
    ...acmeWidgets,
    branch: 'main',
    message: 'owners',
    files: {
      OWNERS: 'approvers: [admin]\nlabels: [repo/widgets]\n',
      'app/OWNERS': 'approvers: [member]\nlabels: [area/app]\n',
      'docs/OWNERS': 'options:\n  no_parent_owners: true\napprovers: [member]\nlabels: [area/docs, sig/missing]\n',
    },
  });
});
afterAll(async () => {
  await h.close();
});

describe('owners-label', () => {
  it('adds the labels of the OWNERS files of the changed files on open and on every push', async () => {
    const { number, head } = await openPull(h, 'collab', { 'app/main.go': 'package app\n' });
    await runWebhook(ownersLabelPlugin, h.context(), 'pull_request.opened', await lastWebhook(h, 'pull_request.opened', number));
    expect(await labelsOf(h, number)).toEqual(['area/app', 'repo/widgets']);

    await h.emu.control.commitFiles({ ...acmeWidgets, branch: head, message: 'docs', files: { 'docs/guide.md': '# guide\n' }, pusher: 'collab' });
    await runWebhook(ownersLabelPlugin, h.context(), 'pull_request.synchronize', await lastWebhook(h, 'pull_request.synchronize', number));
    // docs/OWNERS stops at no_parent_owners, and sig/missing does not exist in the repo, so it is logged, not created.
    expect(await labelsOf(h, number)).toEqual(['area/app', 'area/docs', 'repo/widgets']);
    expect(h.logs.lines.some((l) => l.level === 40 && String(l.msg).includes('labels the repository does not have'))).toBe(true);
  });

  it('skips labels matching owners.labels_denylist', async () => {
    const { number } = await openPull(h, 'collab', { 'app/deny.go': 'package app\n' });
    const ctx = h.context({ plugins: { owners: { labels_denylist: ['^area/'] } } });
    await runWebhook(ownersLabelPlugin, ctx, 'pull_request.opened', await lastWebhook(h, 'pull_request.opened', number));
    expect(await labelsOf(h, number)).toEqual(['repo/widgets']);
  });
});
