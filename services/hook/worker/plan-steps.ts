import type { EmitterWebhookEventName } from '@octokit/webhooks';
import { pluginsFor } from '../../../lib/config/index.ts';
import type { ProwOctokit } from '../../../lib/github/prow-octokit.ts';
import type { JobStore } from '../../../lib/jobs/job-store.ts';
import type { Logger } from '../../../lib/log.ts';
import { toGenericComment } from '../../../plugins/generic-comment.ts';
import type { ConfigSnapshotView, Plugin, PluginContext, PluginContextBase } from '../../../plugins/plugin.ts';
import { isBot, pluginsHeedingBot } from './bot-comments.ts';
import { externalPluginsFor, postToExternalPlugin, type ExternalDeliverySettings } from './external-plugins.ts';

/** One unit of work of a delivery: one handler of one plugin, or one external plugin. Retries skip the completed ones. */
export interface Step {
  /** `<plugin>/<handler>`, what the delivery ledger records. */
  id: string;
  /** The plugin's name; `external:<name>` for an external plugin. */
  plugin: string;
  /** `issue_comment.created`, `issue_comment`, `genericComment` or `external`. */
  handler: string;
  run(): Promise<void>;
}

/** A delivery as the worker took it from the queue, its body parsed. */
export interface Delivery {
  event: string;
  delivery: string;
  payload: Record<string, unknown>;
  body: string;
  headers: Record<string, string>;
}

/** What planning needs besides the delivery; `config` is the one snapshot the whole delivery is handled with. */
export interface PlanDeps {
  plugins: readonly Plugin[];
  config: ConfigSnapshotView;
  botLogin: string;
  logger: Logger;
  /** The GitHub client for `org/repo`, asked for only when a plugin runs. */
  github(org: string, repo: string): Promise<ProwOctokit>;
  /** The ProwJob store every plugin context shares (trigger writes to it). */
  jobs: JobStore;
  /** Called for each name plugins.yaml enables that the plugin table lacks. */
  unknownPlugin(name: string, fullName: string): void;
  external?: ExternalDeliverySettings | undefined;
}

type AnyHandler = (ctx: PluginContext<EmitterWebhookEventName>) => Promise<void>;

function stringAt(value: unknown, ...path: string[]): string | undefined {
  let v = value;
  for (const key of path) v = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** `org` and `repo` of the event's repository, or for events without one, the organisation (repo undefined). */
export function whereFrom(payload: Record<string, unknown>): { org: string; repo: string | undefined } | undefined {
  const owner = stringAt(payload, 'repository', 'owner', 'login');
  const name = stringAt(payload, 'repository', 'name');
  if (owner !== undefined && name !== undefined) return { org: owner, repo: name };
  const org = stringAt(payload, 'organization', 'login') ?? stringAt(payload, 'installation', 'account', 'login');
  return org === undefined ? undefined : { org, repo: undefined };
}

/** The handler names a delivery matches, in @octokit/webhooks' spelling: `<event>.<action>` first, then `<event>`. */
export function handlerNames(event: string, payload: Record<string, unknown>): string[] {
  const action = stringAt(payload, 'action');
  return action === undefined ? [event] : [`${event}.${action}`, event];
}

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => (made ??= make());
}

/**
 * Every step a delivery calls for: each enabled plugin's handlers for the event and its action, its
 * generic-comment handler when the event carries comment-like text (the bot's own only for the plugins
 * that heed it), and each matching external plugin. Each plugin gets one context, built here and nowhere else.
 */
export function planSteps(d: Delivery, deps: PlanDeps): Step[] {
  const where = whereFrom(d.payload);
  if (where === undefined) return [];
  const { org, repo } = where;
  const steps: Step[] = externalPluginsFor(deps.config.plugins, org, repo, d.event).map((ext) => ({
    id: `external:${ext.name}/external`,
    plugin: `external:${ext.name}`,
    handler: 'external',
    run: () => postToExternalPlugin(ext, d, deps.logger.child({ delivery: d.delivery, event: d.event, plugin: `external:${ext.name}` }), deps.external),
  }));
  if (repo === undefined) return steps;

  const fullName = `${org}/${repo}`;
  const names = handlerNames(d.event, d.payload);
  const comment = toGenericComment(d.event, d.payload);
  const github = once(() => deps.github(org, repo));
  for (const name of pluginsFor(deps.config.plugins, fullName)) {
    const plugin = deps.plugins.find((p) => p.name === name);
    if (plugin === undefined) {
      deps.unknownPlugin(name, fullName);
      continue;
    }
    const context = once(
      async (): Promise<PluginContextBase> => ({
        delivery: d.delivery,
        github: await github(),
        log: deps.logger.child({ delivery: d.delivery, event: d.event, plugin: name }),
        config: deps.config,
        botLogin: deps.botLogin,
        org,
        repo,
        jobs: deps.jobs,
      }),
    );
    const handlers = (plugin.handlers ?? {}) as Partial<Record<string, AnyHandler>>;
    for (const key of names) {
      const handler = handlers[key];
      if (handler === undefined) continue;
      steps.push({
        id: `${name}/${key}`,
        plugin: name,
        handler: key,
        run: async () => {
          await handler({ ...(await context()), event: key as EmitterWebhookEventName, payload: d.payload });
        },
      });
    }
    const onComment = plugin.genericComment;
    if (onComment !== undefined && comment !== undefined && (!isBot(comment.author, deps.botLogin) || pluginsHeedingBot.has(name))) {
      steps.push({
        id: `${name}/genericComment`,
        plugin: name,
        handler: 'genericComment',
        run: async () => {
          await onComment(await context(), comment);
        },
      });
    }
  }
  return steps;
}
