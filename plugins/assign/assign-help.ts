import type { PluginHelp } from '../plugin.ts';

/** What /plugin-help says about assign. */
export const assignHelp: PluginHelp = {
  description:
    "The assign plugin assigns users to issues and PRs, and requests reviews from users and teams on PRs. '/assign @user1' assigns, " +
    "'/cc @user1' requests a review; without a user, the commands target the commenter. Prefixing a command with 'un' undoes it. " +
    'Users GitHub does not allow are named in one reply.',
  commands: [
    {
      usage: '/[un]assign [[@]<username>...]',
      description: 'Assigns (or unassigns) the named users, or the commenter, to the issue or PR.',
      examples: ['/assign', '/unassign', '/assign @spongebob', '/assign spongebob patrick'],
      featured: true,
      whoCanUse:
        'Anyone can use the command, but the target user(s) must be an org member, a repo collaborator, or should have previously commented on the issue or PR.',
    },
    {
      usage: '/[un]cc [[@]<username>...|[@]<orgname/teamname>...]',
      description: 'Requests (or withdraws) a review from the named users or teams, or the commenter, on a PR.',
      examples: ['/cc', '/uncc', '/cc @spongebob', '/cc spongebob patrick', '/cc @acme/reviewers'],
      featured: true,
      whoCanUse: 'Anyone can use the command, but the target user(s) must be an org member or a repo collaborator, and not the PR author.',
    },
  ],
};
