import { definePlugin } from '../plugin.ts';
import { handleHelpComment } from './handle-help-comment.ts';
import { helpPluginHelp } from './help-plugin-help.ts';

/** Prow's help plugin: `help wanted` and `good first issue` on issues. */
export const helpPlugin = definePlugin({ name: 'help', help: helpPluginHelp, genericComment: handleHelpComment });
