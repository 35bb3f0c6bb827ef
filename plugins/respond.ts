import type { GenericComment } from './generic-comment.ts';

/** What the bot says about itself under its replies (Prow's AboutThisBot). */
export const aboutThisBot =
  'Instructions for interacting with me using PR comments are available in the /plugin-help list of commands. ' +
  'If you have questions or suggestions related to my behavior, please file an issue against the prow-ts repository.';

/**
 * The bot's reply to a command, in Prow's shape: `@login: reply`, then the triggering text quoted in a
 * <details> block, then a footer, so a refused command is never silent and the reader sees what was asked.
 */
export function formatResponse(login: string, reply: string, quoted: string, url: string): string {
  const quote = quoted
    .trim()
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');
  return `@${login}: ${reply}\n\n<details>\n\nIn response to [this](${url}):\n\n${quote}\n\n\n${aboutThisBot}\n</details>`;
}

/** formatResponse for a generic comment: replies to its author, quoting its body. */
export function formatCommentResponse(comment: GenericComment, reply: string): string {
  return formatResponse(comment.author, reply, comment.body, comment.htmlUrl);
}
