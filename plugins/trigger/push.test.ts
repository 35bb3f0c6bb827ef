import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProwConfig } from '../../lib/config/index.ts';
import { prowLabels, type ProwJob } from '../../lib/jobs/index.ts';
import { startPluginHarness, type PluginHarness } from '../testing/plugin-harness.ts';
import { pushedRef } from './push.ts';
import { loadProwConfig, names, triggerKit, widgetsJobs, type TriggerKit } from './trigger-kit.ts';

let h: PluginHarness;
let prow: ProwConfig;
let t: TriggerKit;
beforeAll(async () => {
  h = await startPluginHarness();
  prow = await loadProwConfig(widgetsJobs);
  t = triggerKit(h, () => prow);
});
afterAll(async () => {
  await h.close();
});

const repo = { owner: 'acme', repo: 'widgets' };

/** The postsubmits created for the commit `sha`. */
async function postsubmitsAt(sha: string): Promise<ProwJob[]> {
  return (await h.jobs.list({ labels: { [prowLabels.type]: 'postsubmit' } })).filter((j) => j.spec.refs?.base_sha === sha);
}

describe('trigger on a push', () => {
  it('creates the postsubmits that run for the branch and the files its commits touched', async () => {
    const { sha } = await h.emu.control.commitFiles({ ...repo, branch: 'main', files: { 'docs/guide.md': 'v2\n' }, message: 'docs', pusher: 'admin' });
    const ctx = t.context();
    const push = await t.pushEvent(sha, 'refs/heads/main');
    await t.onPush(push, ctx);
    await t.onPush(push, ctx);
    const jobs = await postsubmitsAt(sha);
    expect(names(jobs)).toEqual(['post-build', 'post-docs']);
    const build = jobs.find((j) => j.spec.job === 'post-build');
    expect(build?.spec).toMatchObject({ type: 'postsubmit', job: 'post-build', context: 'post-build', report: true });
    expect(build?.spec.refs).toEqual({ org: 'acme', repo: 'widgets', repo_link: push.repository.html_url, base_ref: 'main', base_sha: sha, base_link: push.compare });
    expect(build?.metadata.labels).toMatchObject({ [prowLabels.type]: 'postsubmit', [prowLabels.baseRef]: 'main', [prowLabels.eventGuid]: ctx.delivery });
    expect(build?.metadata.labels[prowLabels.pull]).toBeUndefined();

    const { sha: code } = await h.emu.control.commitFiles({ ...repo, branch: 'main', files: { 'src/a.go': 'package a\n' }, message: 'code', pusher: 'admin' });
    await t.onPush(await t.pushEvent(code, 'refs/heads/main'));
    expect(names(await postsubmitsAt(code))).toEqual(['post-build']);
  });

  it('runs the postsubmits whose branches match a pushed tag, as Prow does, and none for a deleted ref', async () => {
    const { sha } = await h.emu.control.commitFiles({ ...repo, branch: 'main', files: { 'VERSION': '1.2.0\n' }, message: 'release', pusher: 'admin' });
    await h.as('admin').rest.git.createRef({ ...repo, ref: 'refs/tags/v1.2', sha });
    const tag = await t.pushEvent(sha, 'refs/tags/v1.2');
    const before = (await postsubmitsAt(sha)).length;
    await t.onPush(tag);
    const tagged = (await postsubmitsAt(sha)).slice(before);
    expect(names(tagged)).toEqual(['post-build', 'post-release']);
    expect(tagged[0]?.spec.refs?.base_ref).toBe('v1.2');

    await h.as('admin').rest.git.deleteRef({ ...repo, ref: 'tags/v1.2' });
    const deleted = (await h.events()).find((e) => e.event === 'push' && e.payload.ref === 'refs/tags/v1.2' && e.payload.deleted === true);
    if (!deleted) throw new Error('no push webhook for the deleted tag');
    const count = (await h.jobs.list()).length;
    await t.onPush(deleted.payload as unknown as Parameters<TriggerKit['onPush']>[0]);
    expect((await h.jobs.list()).length).toBe(count);
  });

  it("takes refs/heads/ and refs/tags/ off a ref, as Prow's PushEvent.Branch", () => {
    expect(pushedRef('refs/heads/release-1.0')).toBe('release-1.0');
    expect(pushedRef('refs/tags/v1.2')).toBe('v1.2');
  });
});
