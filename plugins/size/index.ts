import { definePlugin, type PluginContext } from '../plugin.ts';
import { defaultSizeThresholds as d } from './size-label.ts';
import { syncSizeLabel } from './sync-size-label.ts';

type SizeEvent = 'pull_request.opened' | 'pull_request.reopened' | 'pull_request.synchronize' | 'pull_request.edited';

// Prow's size.go reacts to the actions that can change the diff: a push, a new base, a (re)opening.
async function onPullRequest(ctx: PluginContext<SizeEvent>): Promise<void> {
  await syncSizeLabel(ctx, ctx.payload.pull_request);
}

/** Prow's size plugin: one `size/XS` to `size/XXL` label on every PR, from its changed lines without generated files. */
export const sizePlugin = definePlugin({
  name: 'size',
  help: {
    description:
      "The size plugin manages the 'size/*' labels, maintaining the appropriate label on each pull request as it is updated. " +
      "Generated files identified by the config file '.generated_files' at the repo root, and files marked 'linguist-generated' in '.gitattributes', are ignored. " +
      'Labels are applied based on the total number of lines of changes (additions and deletions).',
    config: {
      '':
        'The plugin has the following thresholds by default (plugins.yaml `size: {s, m, l, xl, xxl}` changes them):<ul>' +
        `<li>size/XS:  0-${d.s - 1}</li><li>size/S:   ${d.s}-${d.m - 1}</li><li>size/M:   ${d.m}-${d.l - 1}</li>` +
        `<li>size/L:   ${d.l}-${d.xl - 1}</li><li>size/XL:  ${d.xl}-${d.xxl - 1}</li><li>size/XXL: ${d.xxl}+</li></ul>`,
    },
    commands: [],
  },
  handlers: {
    'pull_request.opened': onPullRequest,
    'pull_request.reopened': onPullRequest,
    'pull_request.synchronize': onPullRequest,
    'pull_request.edited': onPullRequest,
  },
});
