/** Prow's default for plugins.yaml `help.help_guidelines_url`. */
export const defaultGuidelinesUrl = 'https://git.k8s.io/community/contributors/guide/help-wanted.md';

/** The first line of the `/help` reply; also how the bot finds its own replies to prune them. */
export const helpMarker = 'This request has been marked as needing help from a contributor.';
/** The first line of the `/good-first-issue` reply. */
export const goodFirstIssueMarker = 'This request has been marked as suitable for new contributors.';

/** plugins.yaml `help:` as the plugin reads it. */
export interface Guidelines {
  url: string;
  summary: string | undefined;
}

function message(marker: string, url: string, summary: string | undefined, removeCommand: string): string {
  const requirements =
    summary === undefined || summary === ''
      ? `Please ensure the request meets the requirements listed [here](${url}).`
      : `### Guidelines\n${summary}\n\nFor more details on the requirements of such an issue, please see [here](${url}) and ensure that they are met.`;
  return `${marker}\n\n${requirements}\n\nIf this request no longer meets these requirements, the label can be removed\nby commenting with the \`${removeCommand}\` command.\n`;
}

/** Prow's reply to `/help`: the guidelines a help-wanted issue should meet. */
export function helpMessage(g: Guidelines): string {
  return message(helpMarker, g.url, g.summary, '/remove-help');
}

/** Prow's reply to `/good-first-issue`, pointing at the good-first-issue part of the guidelines. */
export function goodFirstIssueMessage(g: Guidelines): string {
  return message(goodFirstIssueMarker, `${g.url}#good-first-issue`, g.summary, '/remove-good-first-issue');
}
