import type { PluginHelp } from '../plugin.ts';

/** What /plugin-help says about the help plugin. */
export const helpPluginHelp: PluginHelp = {
  description:
    "The help plugin provides commands that add or remove the 'help wanted' and the 'good first issue' labels from issues, " +
    'answering with the guidelines configured under `help.help_guidelines_url` and `help.help_guidelines_summary`.',
  commands: [
    {
      usage: '/[remove-](help|good-first-issue)',
      description:
        "Applies or removes the 'help wanted' and 'good first issue' labels to an open issue. /good-first-issue adds both; /remove-help removes both.",
      examples: ['/help', '/remove-help', '/good-first-issue', '/remove-good-first-issue'],
      featured: false,
      whoCanUse: 'Anyone can trigger this command on an open issue.',
    },
  ],
};
