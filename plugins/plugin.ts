import type { EmitterWebhookEvent, EmitterWebhookEventName } from '@octokit/webhooks';
import type { Logger } from '../lib/log.ts';
import type { PluginConfig, ProwConfig } from '../lib/config/index.ts';
import type { ProwOctokit } from '../lib/github/prow-octokit.ts';
import type { JobStore } from '../lib/jobs/job-store.ts';
import type { GenericComment } from './generic-comment.ts';

/** The configuration a delivery is handled with: one snapshot, never changing under a running handler. */
export interface ConfigSnapshotView {
  prow: ProwConfig;
  plugins: PluginConfig;
}

/** What every handler gets: one context per delivery and plugin, built in one place (services/hook). */
export interface PluginContextBase {
  /** X-GitHub-Delivery of the event being handled. */
  delivery: string;
  /** The GitHub client acting for the event's repository (the App installation's, or the token's). */
  github: ProwOctokit;
  /** Child logger carrying delivery, event and plugin. */
  log: Logger;
  config: ConfigSnapshotView;
  /** The bot's own login, to recognise its own comments. */
  botLogin: string;
  /** `org` and `repo` of the event; every event plugins handle has a repository. */
  org: string;
  repo: string;
  /** Where ProwJobs live: trigger creates and aborts them here, and the controller runs them. */
  jobs: JobStore;
}

/** The context of a handler for the webhook event `E` (`'pull_request.opened'`, `'issue_comment.created'`, ...). */
export interface PluginContext<E extends EmitterWebhookEventName> extends PluginContextBase {
  event: E;
  payload: EmitterWebhookEvent<E>['payload'];
}

/** A handler for one webhook event name. */
export type Handler<E extends EmitterWebhookEventName> = (ctx: PluginContext<E>) => Promise<void>;

/** A handler of Prow's generic comment: commands in comments, issue and PR bodies, and review bodies alike. */
export type GenericCommentHandler = (ctx: PluginContextBase, comment: GenericComment) => Promise<void>;

/** One command as /plugin-help shows it, in Prow's PluginHelp command shape. */
export interface CommandHelp {
  usage: string;
  description: string;
  examples: string[];
  featured: boolean;
  /** Who may use it, in words ("Anyone", "Collaborators on the repository"). */
  whoCanUse: string;
}

/** What /plugin-help says about a plugin. */
export interface PluginHelp {
  description: string;
  /** Per-repo configuration notes, keyed by `org/repo` or `''` for all. */
  config?: Record<string, string> | undefined;
  commands: CommandHelp[];
}

/** Event handlers keyed by @octokit/webhooks names, each typed by its own payload. */
export type Handlers = { [E in EmitterWebhookEventName]?: Handler<E> };

/** One plugin: a plain object listed in plugins/index.ts; no registration by import side effect. */
export interface Plugin {
  /** The name plugins.yaml enables it by (Prow's name where Prow has the plugin). */
  name: string;
  help: PluginHelp;
  handlers?: Handlers | undefined;
  genericComment?: GenericCommentHandler | undefined;
}

/** Declares a plugin; the identity function that gives plugin objects their type. */
export function definePlugin(plugin: Plugin): Plugin {
  return plugin;
}
