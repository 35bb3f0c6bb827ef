import { definePlugin } from '../plugin.ts';
import { handleClose } from './close-command.ts';
import { handleLifecycleCommands } from './lifecycle-labels.ts';
import { handleReopen } from './reopen-command.ts';

export { startStaleSweeper, type StaleSweeper, type StaleSweeperOptions } from './stale-sweeper.ts';

/** Prow's lifecycle plugin: close, reopen, and the mutually exclusive `lifecycle/*` labels. */
export const lifecyclePlugin = definePlugin({
  name: 'lifecycle',
  help: {
    description:
      'Close, reopen, flag and/or unflag an issue or PR as active/frozen/stale/rotten. The lifecycle labels exclude each other: setting one removes the others. ' +
      'Stale aging (marking inactive items stale, then rotten, then closing them) is a separate periodic sweep, not this plugin.',
    commands: [
      {
        usage: '/close [not-planned]',
        description: 'Closes an issue or PR; `not-planned` closes an issue as "Not Planned" (not available for PRs).',
        examples: ['/close', '/close not-planned'],
        featured: false,
        whoCanUse: 'Authors and collaborators on the repository can trigger this command; anyone can once the issue or PR is `lifecycle/stale` or `lifecycle/rotten`.',
      },
      {
        usage: '/reopen',
        description: 'Reopens an issue or PR.',
        examples: ['/reopen'],
        featured: false,
        whoCanUse: 'Authors and collaborators on the repository can trigger this command.',
      },
      {
        usage: '/[remove-]lifecycle <active|frozen|stale|rotten>',
        description: 'Flags an issue or PR as active/frozen/stale/rotten, or removes the flag. `lifecycle/frozen` (exempt from stale aging) is for issues only.',
        examples: ['/lifecycle frozen', '/remove-lifecycle stale'],
        featured: false,
        whoCanUse: 'Anyone can trigger this command.',
      },
    ],
  },
  async genericComment(ctx, comment) {
    // Prow's order: reopen, close, then the labels, so `/reopen` and `/lifecycle frozen` in one comment both apply.
    await handleReopen(ctx, comment);
    await handleClose(ctx, comment);
    await handleLifecycleCommands(ctx, comment);
  },
});
