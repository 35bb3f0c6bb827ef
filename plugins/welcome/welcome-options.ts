import type { PluginContextBase } from '../plugin.ts';
import { repoScopedConfig } from '../shared/repo-scoped-config.ts';

/** Prow's message when plugins.yaml gives none. */
export const defaultWelcomeMessage = 'Welcome @{{.AuthorLogin}}! It looks like this is your first PR to {{.Org}}/{{.Repo}} 🎉';

/** How the welcome plugin acts in one repo. */
export interface WelcomeOptions {
  /** A Go template over AuthorLogin, AuthorName, Org and Repo. */
  messageTemplate: string;
  /** Greet every PR, trusted authors and returning ones included. */
  alwaysPost: boolean;
  /** Where the template came from, for error messages. */
  source: string;
}

/** plugins.yaml `welcome:` for the event's repo: the entry naming `org/repo`, else the one naming `org`, else Prow's defaults. */
export function welcomeOptions(ctx: PluginContextBase): WelcomeOptions {
  const entries = ctx.config.plugins.welcome;
  const entry = repoScopedConfig(entries, ctx.org, ctx.repo);
  const index = entry === undefined ? -1 : (entries?.indexOf(entry) ?? -1);
  const template = entry?.message_template ?? '';
  return {
    messageTemplate: template === '' ? defaultWelcomeMessage : template,
    alwaysPost: entry?.always_post ?? false,
    source: template === '' ? 'the default welcome message' : `plugins.yaml welcome[${index}].message_template`,
  };
}
