import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { EmitterWebhookEvent } from '@octokit/webhooks';
import { loadConfig, type PluginConfig, type ProwConfig } from '../../lib/config/index.ts';
import { prowLabels, type ProwJob } from '../../lib/jobs/index.ts';
import type { PluginContextBase } from '../plugin.ts';
import type { PluginHarness } from '../testing/plugin-harness.ts';
import { triggerPlugin } from './index.ts';

/**
 * The jobs of acme/widgets the trigger tests run with, one of each kind trigger tells apart: always run,
 * file filters both ways, run only when named, optional, a custom trigger, a branch filter; and postsubmits
 * for every push, for docs pushes, and for release tags.
 */
export const widgetsJobs = `
prowjob_namespace: prow-jobs
pod_namespace: test-pods
presubmits:
  acme/widgets:
  - name: unit
    always_run: true
    spec: { containers: [{ image: golang }] }
  - name: docs
    run_if_changed: '^docs/'
    spec: { containers: [{ image: golang }] }
  - name: skipper
    skip_if_only_changed: '\\.md$'
    spec: { containers: [{ image: golang }] }
  - name: e2e
    spec: { containers: [{ image: golang }] }
  - name: lint
    always_run: true
    optional: true
    spec: { containers: [{ image: golang }] }
  - name: integration
    optional: true
    trigger: '(?m)^/integrate\\s*$'
    rerun_command: /integrate
    spec: { containers: [{ image: golang }] }
  - name: release-only
    always_run: true
    branches: ['^release-']
    spec: { containers: [{ image: golang }] }
postsubmits:
  acme/widgets:
  - name: post-build
    spec: { containers: [{ image: golang }] }
  - name: post-docs
    run_if_changed: '^docs/'
    spec: { containers: [{ image: golang }] }
  - name: post-release
    branches: ['^v\\d+\\.\\d+']
    spec: { containers: [{ image: golang }] }
`;

/** The Prow configuration of `yaml`, loaded the way hook loads config.yaml; throws on any error. */
export async function loadProwConfig(yaml: string): Promise<ProwConfig> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'prow-trigger-'));
  try {
    await writeFile(path.join(dir, 'config.yaml'), yaml);
    const loaded = await loadConfig({ configPath: path.join(dir, 'config.yaml') });
    if (loaded.errors.length > 0) throw new Error(`the test config does not load: ${JSON.stringify(loaded.errors)}`);
    return loaded.config;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

type PullPayload = EmitterWebhookEvent<'pull_request'>['payload'];
type PushPayload = EmitterWebhookEvent<'push'>['payload'];

/** Drives trigger on the harness's world the way hook would: real webhooks in, ProwJobs and GitHub changes out. */
export interface TriggerKit {
  context(plugins?: Partial<PluginConfig>): PluginContextBase;
  openPull(author: string, files: Record<string, string | null>, opts?: { draft?: boolean; head?: string; base?: string }): Promise<{ number: number; sha: string; head: string }>;
  /** The latest `pull_request` webhook for PR `number` with `action`. */
  pullEvent(number: number, action: string): Promise<PullPayload>;
  /** Runs trigger's pull_request handler on that webhook, in `ctx` (a fresh context by default). */
  onPull(number: number, action: string, ctx?: PluginContextBase): Promise<void>;
  /** The `push` webhook that moved a ref to `after`. */
  pushEvent(after: string, ref?: string): Promise<PushPayload>;
  onPush(payload: PushPayload, ctx?: PluginContextBase): Promise<void>;
  /** Posts `body` as `login` on PR `number` and runs trigger's comment handler on the webhook. */
  comment(login: string, number: number, body: string, plugins?: Partial<PluginConfig>): Promise<void>;
  /** Every ProwJob of PR `number`, in creation order. */
  jobsOf(number: number): Promise<ProwJob[]>;
  labels(number: number): Promise<string[]>;
  botComments(number: number): Promise<string[]>;
}

const repo = { owner: 'acme', repo: 'widgets' };

export function triggerKit(h: PluginHarness, prow: () => ProwConfig): TriggerKit {
  let branch = 0;
  const context = (plugins?: Partial<PluginConfig>): PluginContextBase => h.context({ prow: prow(), plugins: { triggers: [], ...plugins } });
  const kit: TriggerKit = {
    context,
    async openPull(author, files, opts = {}) {
      branch += 1;
      const head = opts.head ?? `trigger-${String(branch)}`;
      const created = await h.emu.control.createPullRequest({ ...repo, author, head, title: `change ${String(branch)}`, files, draft: opts.draft ?? false, ...(opts.base === undefined ? {} : { base: opts.base }) });
      return { number: created.number, sha: created.headSha, head };
    },
    async pullEvent(number, action) {
      const found = (await h.events()).filter((e) => e.event === 'pull_request' && e.payload.action === action && e.payload.number === number).at(-1);
      if (!found) throw new Error(`no pull_request.${action} webhook for #${String(number)}`);
      return found.payload as unknown as PullPayload;
    },
    async onPull(number, action, ctx = context()) {
      const handler = triggerPlugin.handlers?.pull_request;
      if (!handler) throw new Error('trigger does not handle pull_request');
      await handler({ ...ctx, event: 'pull_request', payload: await kit.pullEvent(number, action) });
    },
    async pushEvent(after, ref) {
      const found = (await h.events()).find((e) => e.event === 'push' && e.payload.after === after && (ref === undefined || e.payload.ref === ref));
      if (!found) throw new Error(`no push webhook to ${after}`);
      return found.payload as unknown as PushPayload;
    },
    async onPush(payload, ctx = context()) {
      const handler = triggerPlugin.handlers?.push;
      if (!handler) throw new Error('trigger does not handle push');
      await handler({ ...ctx, event: 'push', payload });
    },
    async comment(login, number, body, plugins) {
      await h.runComment(triggerPlugin, await h.comment(login, number, body), { prow: prow(), plugins: { triggers: [], ...plugins } });
    },
    jobsOf: (number) => h.jobs.list({ labels: { [prowLabels.org]: 'acme', [prowLabels.repo]: 'widgets', [prowLabels.pull]: String(number) } }),
    async labels(number) {
      const { data } = await h.as('admin').rest.issues.listLabelsOnIssue({ ...repo, issue_number: number });
      return data.map((l) => l.name).sort();
    },
    async botComments(number) {
      const { data } = await h.as('admin').rest.issues.listComments({ ...repo, issue_number: number });
      return data.filter((c) => c.user?.login === 'prow-bot').map((c) => c.body ?? '');
    },
  };
  return kit;
}

/** The names of `jobs`, sorted, for comparing what ran. */
export const names = (jobs: readonly ProwJob[]): string[] => jobs.map((j) => j.spec.job).sort();
