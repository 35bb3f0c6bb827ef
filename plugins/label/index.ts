import { definePlugin } from '../plugin.ts';
import { assignOnLabel } from './assign-on-label.ts';
import { handleLabelComment } from './handle-label-comment.ts';
import { labelHelp } from './label-help.ts';

/** Prow's label plugin: category commands, `/label`, restricted labels with `assign_on`, and `needs-*` labels. */
export const labelPlugin = definePlugin({
  name: 'label',
  help: labelHelp,
  genericComment: handleLabelComment,
  handlers: { 'pull_request.labeled': assignOnLabel },
});
