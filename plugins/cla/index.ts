import { definePlugin, type Plugin } from '../plugin.ts';
import { claNo, claYes } from './cla-labels.ts';
import { defaultClaOptions, type ClaOptions } from './cla-options.ts';
import { onCheckCla } from './check-cla-command.ts';
import { onClaStatus } from './status-event.ts';

/**
 * Prow's cla plugin for the CLA status context `options.context`: `cncf-cla: yes` / `cncf-cla: no` mirror it on
 * every open PR at that commit, and `/check-cla` re-reads it. plugins.yaml has no section for it, as in Prow.
 */
export function createClaPlugin(options: Partial<ClaOptions> = {}): Plugin {
  const o: ClaOptions = { ...defaultClaOptions, ...options };
  return definePlugin({
    name: 'cla',
    help: {
      description:
        `The cla plugin manages the application and removal of the 'cncf-cla' prefixed labels ('${claYes}', '${claNo}') on pull requests ` +
        `as a reaction to the ${o.context} github status context.`,
      commands: [{ usage: '/check-cla', description: 'Forces rechecking of the CLA status.', examples: ['/check-cla'], featured: true, whoCanUse: 'Anyone' }],
    },
    handlers: { status: onClaStatus(o) },
    genericComment: onCheckCla(o),
  });
}

/** The cla plugin as plugins.yaml enables it: the `EasyCLA` context. */
export const claPlugin = createClaPlugin();
