import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { definePlugin } from '../plugin.ts';
import { startPluginHarness, type PluginHarness } from './plugin-harness.ts';

let h: PluginHarness;
beforeAll(async () => {
  h = await startPluginHarness();
});
afterAll(async () => {
  await h.close();
});

describe('plugin harness', () => {
  it('turns a real comment into a generic comment and lets a plugin act as the bot', async () => {
    const { data: issue } = await h.as('member').rest.issues.create({ owner: 'acme', repo: 'widgets', title: 'It broke' });
    const comment = await h.comment('outsider', issue.number, 'hello <!-- /hidden -->\n/echo');
    expect(comment).toMatchObject({ author: 'outsider', number: issue.number, isPR: false, body: 'hello \n/echo', issueAuthor: 'member' });
    const echo = definePlugin({
      name: 'echo',
      help: { description: 'echoes', commands: [] },
      async genericComment(ctx, c) {
        await ctx.github.rest.issues.createComment({ owner: ctx.org, repo: ctx.repo, issue_number: c.number, body: `seen ${c.author}` });
      },
    });
    await h.runComment(echo, comment);
    const { data: comments } = await h.as('admin').rest.issues.listComments({ owner: 'acme', repo: 'widgets', issue_number: issue.number });
    expect(comments.map((c) => [c.user?.login, c.body])).toEqual([
      ['outsider', 'hello <!-- /hidden -->\n/echo'],
      ['prow-bot', 'seen outsider'],
    ]);
  });

  it('gives each context a delivery of its own and the one job store, on a Redis prefix of its own', async () => {
    const [a, b] = [h.context(), h.context()];
    expect(a.delivery).not.toBe(b.delivery);
    expect(a.jobs).toBe(h.jobs);
    const stored = await a.jobs.create({
      apiVersion: 'prow.k8s.io/v1',
      kind: 'ProwJob',
      metadata: { name: 'harness-job', labels: {}, annotations: {} },
      spec: { type: 'periodic', agent: 'kubernetes', job: 'nightly' },
      status: { startTime: new Date().toISOString(), state: 'triggered' },
    });
    expect((await b.jobs.get('harness-job'))?.metadata.resourceVersion).toBe(stored.metadata.resourceVersion);
    const other = await startPluginHarness();
    try {
      expect(await other.jobs.list()).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
