import type { PluginContext } from '../plugin.ts';
import { renderGoTemplate } from '../../lib/template/index.ts';
import type { WelcomeOptions } from './welcome-options.ts';

// Webhook users carry no name; the users API does, so it is asked only when the template wants it.
async function authorName(ctx: PluginContext<'pull_request.opened'>, login: string, fromPayload: string | null | undefined): Promise<string> {
  if (fromPayload !== undefined && fromPayload !== null) return fromPayload;
  const { data } = await ctx.github.rest.users.getByUsername({ username: login });
  return data.name ?? '';
}

/** The welcome comment for the PR of `ctx.payload`: `options.messageTemplate` over Prow's PRInfo fields. */
export async function welcomeMessage(ctx: PluginContext<'pull_request.opened'>, options: WelcomeOptions): Promise<string> {
  const user = ctx.payload.pull_request.user;
  const data = {
    Org: ctx.org,
    Repo: ctx.repo,
    AuthorLogin: user.login,
    AuthorName: options.messageTemplate.includes('AuthorName') ? await authorName(ctx, user.login, user.name) : '',
  };
  // Prow renders PRInfo, a struct, with html/template: values are escaped and an unknown field is an error.
  return renderGoTemplate(options.source, options.messageTemplate, data, { html: true, missingKey: 'error' });
}
