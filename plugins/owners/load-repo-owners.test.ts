import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginContextBase } from '../plugin.ts';
import { startPluginHarness, type PluginHarness } from '../testing/plugin-harness.ts';
import { loadRepoOwners } from './load-repo-owners.ts';
import { acmeWidgets } from './owners-test-kit.ts';

let h: PluginHarness;
beforeAll(async () => {
  h = await startPluginHarness();
});
afterAll(async () => {
  await h.close();
});

/** A context whose GitHub calls are recorded, to see what reached the API. */
function recording(config?: Parameters<PluginHarness['context']>[0]): { ctx: PluginContextBase; urls: string[] } {
  const ctx = h.context(config);
  const urls: string[] = [];
  ctx.github.hook.before('request', (options) => {
    urls.push(options.url);
  });
  return { ctx, urls };
}

const sorted = (s: Set<string>): string[] => [...s].sort();

describe('loadRepoOwners', () => {
  it('reads OWNERS up the tree and OWNERS_ALIASES at the base branch, once per commit', async () => {
    await h.emu.control.commitFiles({
      ...acmeWidgets,
      branch: 'main',
      message: 'owners',
      files: { OWNERS_ALIASES: 'aliases:\n  core: [Admin, member]\n', OWNERS: 'approvers: [core]\n', 'pkg/OWNERS': 'reviewers: [collab]\n' },
    });
    const { ctx, urls } = recording();
    const owners = await loadRepoOwners(ctx, 'main', ['pkg/deep/file.go']);
    expect(sorted(owners.approvers('pkg/deep/file.go'))).toEqual(['admin', 'member']);
    expect(sorted(owners.reviewers('pkg/deep/file.go'))).toEqual(['collab']);
    expect(urls.filter((u) => u.includes('/contents/'))).toHaveLength(4);

    urls.length = 0;
    await loadRepoOwners(ctx, 'main', ['pkg/deep/file.go']);
    expect(urls.filter((u) => u.includes('/contents/'))).toEqual([]);

    await h.emu.control.commitFiles({ ...acmeWidgets, branch: 'main', message: 'new reviewer', files: { 'pkg/OWNERS': 'reviewers: [outsider]\n' } });
    const changed = await loadRepoOwners(ctx, 'main', ['pkg/deep/file.go']);
    expect(sorted(changed.reviewers('pkg/deep/file.go'))).toEqual(['outsider']);
  });

  it('ignores an invalid OWNERS file with a warning', async () => {
    await h.emu.control.commitFiles({ ...acmeWidgets, branch: 'main', message: 'broken', files: { 'bad/OWNERS': 'approvers: [unclosed\n' } });
    const { ctx } = recording();
    const owners = await loadRepoOwners(ctx, 'main', ['bad/x.go']);
    expect(owners.findApproverOwnersForFile('bad/x.go')).toBe('');
    expect(h.logs.lines.some((l) => l.level === 40 && l.msg === 'invalid OWNERS file, ignoring it' && l.file === 'bad/OWNERS')).toBe(true);
  });

  it('uses the file names owners.filenames gives the repo', async () => {
    await h.emu.control.commitFiles({ ...acmeWidgets, branch: 'main', message: 'custom', files: { 'custom/MAINTAINERS': 'approvers: [collab]\n' } });
    const { ctx } = recording({ plugins: { owners: { filenames: { 'acme/widgets': { owners: 'MAINTAINERS' } } } } });
    const owners = await loadRepoOwners(ctx, 'main', ['custom/y.go']);
    expect(sorted(owners.leafApprovers('custom/y.go'))).toEqual(['collab']);
  });
});
