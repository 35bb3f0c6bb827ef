import { definePlugin, type PluginContext } from '../plugin.ts';
import { postCommentOnce } from '../shared/reply-once.ts';
import { isTrustedUser } from '../shared/trusted-user.ts';
import { isFirstPullRequest } from './first-pull-request.ts';
import { welcomeMessage } from './welcome-message.ts';
import { defaultWelcomeMessage, welcomeOptions } from './welcome-options.ts';

/**
 * Greets the author of a newly opened PR that is their first in the repo, as Prow's welcome does: bots are
 * skipped (their PRs cannot be searched by author), and so are trusted users (collaborators, org members)
 * unless `always_post`, which also greets returning authors. A retried delivery does not greet twice.
 */
async function onOpened(ctx: PluginContext<'pull_request.opened'>): Promise<void> {
  const pull = ctx.payload.pull_request;
  const author = pull.user.login;
  if (pull.user.type !== 'User') return;
  const options = welcomeOptions(ctx);
  if (!options.alwaysPost) {
    if (await isTrustedUser(ctx, author)) {
      ctx.log.debug({ author }, 'trusted author: no welcome');
      return;
    }
    if (!(await isFirstPullRequest(ctx, author, pull.number))) {
      ctx.log.debug({ author }, 'returning author: no welcome');
      return;
    }
  }
  await postCommentOnce(ctx, pull.number, await welcomeMessage(ctx, options));
}

/** Prow's welcome plugin: a comment greeting first-time contributors, from plugins.yaml `welcome:`. */
export const welcomePlugin = definePlugin({
  name: 'welcome',
  help: {
    description: 'The welcome plugin greets incoming PRs with a welcoming message.',
    config: {
      '':
        `Without configuration the plugin posts: ${defaultWelcomeMessage}. plugins.yaml \`welcome: [{repos, message_template, always_post}]\` ` +
        'sets a Go template per org or repo (fields .AuthorLogin, .AuthorName, .Org, .Repo) and whether to greet every PR.',
    },
    commands: [],
  },
  handlers: { 'pull_request.opened': onOpened },
});
