import type { PluginHelp } from '../plugin.ts';

/** What /plugin-help says about label. */
export const labelHelp: PluginHelp = {
  description:
    "The label plugin adds and removes labels of the types 'area/*', 'committee/*', 'kind/*', 'language/*', 'priority/*', 'sig/*', " +
    "'triage/*' and 'wg/*', and the labels configured under `label.additional_labels` or `label.restricted_labels` via /label. " +
    'A label must already exist in the repository. Restricted labels can only be changed by their allowed users and teams, and ' +
    "their `assign_on` labels assign those users to a PR. When a comment removes the last 'kind', 'priority', 'sig' or 'triage' label, " +
    "the repository's `needs-<category>` label is added, and adding a label of the category removes it. Refusals get one reply.",
  config: {
    '': 'The label plugin works on "kind/*", "priority/*", "area/*" and every other category label, plus label.additional_labels and label.restricted_labels.',
  },
  commands: [
    {
      usage: '/[remove-](area|committee|kind|language|priority|sig|triage|wg|label) <target>',
      description: 'Applies or removes a label from one of the recognized types of labels.',
      examples: ['/kind bug', '/remove-area prow', '/sig testing', '/language zh', '/priority critical-urgent', '/label foo-bar-baz'],
      featured: false,
      whoCanUse:
        'Anyone can trigger this command on issues and PRs. `triage/accepted` can only be added by org members. ' +
        'Restricted labels can only be changed by their configured teams and users.',
    },
  ],
};
