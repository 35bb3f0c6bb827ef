import type { EmitterWebhookEvent } from '@octokit/webhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginConfig } from '../../lib/config/index.ts';
import type { PluginContextBase } from '../plugin.ts';
import { startPluginHarness, type PluginHarness } from '../testing/plugin-harness.ts';
import { sizePlugin } from './index.ts';

type SizeEvent = 'pull_request.opened' | 'pull_request.reopened' | 'pull_request.synchronize' | 'pull_request.edited';
type Payload = EmitterWebhookEvent<SizeEvent>['payload'];

let h: PluginHarness;
beforeAll(async () => {
  h = await startPluginHarness();
});
afterAll(async () => {
  await h.close();
});

const repo = { owner: 'acme', repo: 'widgets' };
let branch = 0;

/** `n` distinct lines, so a new file of it counts as `n` additions. */
function lines(n: number, tag = 'line'): string {
  return Array.from({ length: n }, (_, i) => `${tag} ${i}\n`).join('');
}

async function openPull(files: Record<string, string | null>, base?: string): Promise<{ number: number; head: string }> {
  branch += 1;
  const head = `size-${branch}`;
  const { number } = await h.emu.control.createPullRequest({ ...repo, author: 'collab', head, title: `change ${branch}`, files, ...(base === undefined ? {} : { base }) });
  return { number, head };
}

/** The last `pull_request` webhook the emulator sent for PR `number` with `action`. */
async function sent(number: number, action: string): Promise<Payload> {
  const found = (await h.events()).filter((e) => e.event === 'pull_request' && e.payload.action === action && e.payload.number === number).at(-1);
  if (!found) throw new Error(`no pull_request.${action} webhook for #${number}`);
  return found.payload as unknown as Payload;
}

/** Runs size's handler for the last `pull_request.<action>` webhook of PR `number`, as hook would. */
async function handle(number: number, action: string, plugins?: Partial<PluginConfig>): Promise<void> {
  const event = `pull_request.${action}` as SizeEvent;
  const handler = sizePlugin.handlers?.[event] as ((ctx: PluginContextBase & { event: SizeEvent; payload: Payload }) => Promise<void>) | undefined;
  if (!handler) throw new Error(`size does not handle ${event}`);
  const ctx = h.context(plugins === undefined ? undefined : { plugins });
  await handler({ ...ctx, event, payload: await sent(number, action) });
}

async function labels(number: number): Promise<string[]> {
  const { data } = await h.as('admin').rest.issues.listLabelsOnIssue({ ...repo, issue_number: number });
  return data.map((l) => l.name).sort();
}

async function push(head: string, files: Record<string, string | null>): Promise<void> {
  await h.emu.control.commitFiles({ ...repo, branch: head, files, message: 'more', pusher: 'collab' });
}

describe('size', () => {
  it('labels a new PR by its changed lines and keeps exactly one size label in step with every push', async () => {
    const pr = await openPull({ 'grow.txt': lines(9) });
    await handle(pr.number, 'opened');
    expect(await labels(pr.number)).toEqual(['size/XS']);
    // Every boundary is checked on sizeLabel itself; pushes here cross a few of them, up and down.
    const steps: [number, string][] = [
      [10, 'size/S'],
      [100, 'size/L'],
      [1000, 'size/XXL'],
      [3, 'size/XS'],
    ];
    const seen: [number, string[]][] = [];
    for (const [n] of steps) {
      await push(pr.head, { 'grow.txt': lines(n) });
      await handle(pr.number, 'synchronize');
      seen.push([n, await labels(pr.number)]);
    }
    expect(seen).toEqual(steps.map(([n, label]) => [n, [label]]));
  });

  it('counts deletions and additions across files, and removes a stray size label someone added by hand', async () => {
    await h.emu.control.commitFiles({ ...repo, branch: 'size-base-del', from: 'main', files: { 'old.txt': lines(20, 'old') }, message: 'seed' });
    // 20 deleted + 6 added + 4 added = 30 lines: size/M.
    const pr = await openPull({ 'old.txt': null, 'a.txt': lines(6), 'b/c.txt': lines(4) }, 'size-base-del');
    await h.as('admin').rest.issues.addLabels({ ...repo, issue_number: pr.number, labels: ['size/XXL', 'size/?', 'kind/bug'] });
    await handle(pr.number, 'opened');
    expect(await labels(pr.number)).toEqual(['kind/bug', 'size/M']);
    // A title edit changes nothing, and the label stays put.
    await h.as('collab').rest.pulls.update({ ...repo, pull_number: pr.number, title: 'renamed' });
    await handle(pr.number, 'edited');
    expect(await labels(pr.number)).toEqual(['kind/bug', 'size/M']);
  });

  it('leaves out files .gitattributes marks linguist-generated and files .generated_files lists, read at the base', async () => {
    await h.emu.control.commitFiles({
      ...repo,
      branch: 'size-base-gen',
      from: 'main',
      message: 'generated file rules',
      files: {
        '.gitattributes': '*.pb.go linguist-generated=true\napi/** linguist-generated\napi/hand.json -linguist-generated\n',
        '.generated_files': '# k8s style\nfile-prefix zz_generated.\nfile-name BUILD\npath-prefix vendor/\npath docs/ref.md\npaths-from-repo hack/generated.txt\nnot a statement\n',
        'hack/generated.txt': 'pkg/listed.go\n',
      },
    });
    const pr = await openPull(
      {
        'pkg/a.pb.go': lines(400),
        'api/spec.json': lines(400),
        'pkg/zz_generated.deepcopy.go': lines(400),
        'x/BUILD': lines(400),
        'vendor/lib/lib.go': lines(400),
        'docs/ref.md': lines(400),
        'pkg/listed.go': lines(400),
        // Counted: 5 + 4 = 9 lines, size/XS.
        'api/hand.json': lines(5),
        'pkg/main.go': lines(4),
      },
      'size-base-gen',
    );
    await handle(pr.number, 'opened');
    expect(await labels(pr.number)).toEqual(['size/XS']);
    expect(h.logs.lines.some((l) => l.level === 40 && l.msg?.startsWith('.generated_files: skipping a line') === true && l.line === 'not a statement')).toBe(true);
    // Rules the PR itself adds do not count: they are read at the base.
    await push(pr.head, { '.gitattributes': '*.go linguist-generated=true\n', 'pkg/main.go': lines(40) });
    await handle(pr.number, 'synchronize');
    expect(await labels(pr.number)).toEqual(['size/M']);
  });

  it('uses the thresholds plugins.yaml sets', async () => {
    const pr = await openPull({ 'small.txt': lines(12) });
    await handle(pr.number, 'opened', { size: { s: 2, m: 4, l: 6, xl: 8, xxl: 12 } });
    expect(await labels(pr.number)).toEqual(['size/XXL']);
    await handle(pr.number, 'opened', { size: { s: 50 } });
    expect(await labels(pr.number)).toEqual(['size/XS']);
  });
});
