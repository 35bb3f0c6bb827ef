import { definePlugin } from '../plugin.ts';
import { assignHelp } from './assign-help.ts';
import { handleAssignComment } from './handle-assign-comment.ts';

/** Prow's assign plugin: `/[un]assign` and `/[un]cc`. */
export const assignPlugin = definePlugin({ name: 'assign', help: assignHelp, genericComment: handleAssignComment });
