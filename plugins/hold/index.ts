import { definePlugin } from '../plugin.ts';
import { handleHold, holdLabel } from './hold-label.ts';

/** Prow's hold plugin: anyone may hold a PR back from merging without withholding approval. */
export const holdPlugin = definePlugin({
  name: 'hold',
  help: {
    description: `The hold plugin allows anyone to add or remove the '${holdLabel}' Label from a pull request in order to temporarily prevent the PR from merging without withholding approval.`,
    commands: [
      {
        usage: '/[remove-][un]hold [cancel]',
        description: `Adds or removes the \`${holdLabel}\` Label which is used to indicate that the PR should not be automatically merged.`,
        examples: ['/hold', '/hold cancel', '/unhold', '/remove-hold'],
        featured: false,
        whoCanUse: `Anyone can use the /hold command to add or remove the '${holdLabel}' Label.`,
      },
    ],
  },
  genericComment: handleHold,
});
