import { definePlugin } from '../plugin.ts';
import { onTriggerComment } from './comment.ts';
import { onPullRequest } from './pull-request.ts';
import { onPush } from './push.ts';
import { needsOkToTestLabel, okToTestLabel } from './trust.ts';

const onTrustedPr = 'Anyone can trigger this command on a trusted PR.';

/** Prow's trigger plugin: ProwJobs for presubmits on trusted PRs and commands, and for postsubmits on pushes. */
export const triggerPlugin = definePlugin({
  name: 'trigger',
  help: {
    description:
      'The trigger plugin starts tests in reaction to commands and pull request events. It makes sure tests only run on trusted PRs: a PR is ' +
      `trusted when its author is an org member or collaborator (see \`triggers:\` in plugins.yaml), or when a trusted user has said /ok-to-test on it (the \`${okToTestLabel}\` label). ` +
      `Until then the PR carries \`${needsOkToTestLabel}\`. Trigger starts jobs when a trusted PR is opened, reopened, marked ready, pushed to or re-based, ` +
      'aborts the jobs of an older head on a push and every running job when the PR is closed, and starts postsubmits on pushes to a branch.',
    config: {
      '':
        'plugins.yaml `triggers: [{repos, trusted_apps, trusted_org, join_org_url, only_org_members, ignore_ok_to_test}]` decides who is trusted in an org or repo: ' +
        'collaborators (not with only_org_members), org members, members of trusted_org, and the bots of the Apps in trusted_apps.',
    },
    commands: [
      {
        usage: '/ok-to-test [cancel]',
        description: `Marks a PR as trusted (the \`${okToTestLabel}\` label) and starts the jobs /test all starts; \`cancel\` takes the trust back.`,
        examples: ['/ok-to-test', '/ok-to-test cancel'],
        featured: false,
        whoCanUse: 'Trusted users: org members, collaborators (unless only_org_members), members of trusted_org.',
      },
      {
        usage: '/test (<job name>|all|?)',
        description: 'Starts the named jobs (by their rerun command or trigger), or every job that runs on its own with `all`. `?`, a bare /test or a name that matches nothing lists the jobs.',
        examples: ['/test all', '/test pull-widgets-unit', '/test ?'],
        featured: true,
        whoCanUse: onTrustedPr,
      },
      {
        usage: '/retest',
        description: 'Reruns the jobs whose status failed on the PR head, and starts those that never reported.',
        examples: ['/retest'],
        featured: true,
        whoCanUse: onTrustedPr,
      },
      {
        usage: '/retest-required',
        description: 'As /retest, leaving out optional jobs.',
        examples: ['/retest-required'],
        featured: false,
        whoCanUse: onTrustedPr,
      },
      {
        usage: '/test-manual-required',
        description: 'Starts the required jobs that run only when named.',
        examples: ['/test-manual-required'],
        featured: false,
        whoCanUse: onTrustedPr,
      },
    ],
  },
  handlers: { pull_request: onPullRequest, push: onPush },
  genericComment: onTriggerComment,
});
