import { definePlugin, type PluginContext } from '../plugin.ts';
import { syncWipLabel, wipLabel } from './wip-label.ts';

type WipEvent = 'pull_request.opened' | 'pull_request.reopened' | 'pull_request.edited' | 'pull_request.ready_for_review' | 'pull_request.converted_to_draft';

// Prow's wip-label.go reacts to these actions only: the ones that can change the title or the draft flag.
async function onPullRequest(ctx: PluginContext<WipEvent>): Promise<void> {
  await syncWipLabel(ctx, ctx.payload.pull_request);
}

/** Prow's wip plugin: `do-not-merge/work-in-progress` on draft PRs and PRs titled WIP. */
export const wipPlugin = definePlugin({
  name: 'wip',
  help: {
    description:
      `The wip (Work In Progress) plugin applies the '${wipLabel}' Label to pull requests whose title starts with 'WIP' or are in the 'draft' stage, ` +
      `and removes it from pull requests when they remove the title prefix or become ready for review. The '${wipLabel}' Label is typically used to block a pull request from merging while it is still in progress.`,
    commands: [],
  },
  handlers: {
    'pull_request.opened': onPullRequest,
    'pull_request.reopened': onPullRequest,
    'pull_request.edited': onPullRequest,
    'pull_request.ready_for_review': onPullRequest,
    'pull_request.converted_to_draft': onPullRequest,
  },
});
