/**
 * The plugins that act on the bot's own comments. Prow's stale-aging robots post `/lifecycle stale`,
 * `/lifecycle rotten`, `/close` and `/remove-triage accepted` as comments for the bot's own hook to carry out,
 * so lifecycle and label must see them; every other plugin ignores the bot, which also keeps a reply that
 * happens to contain a command from setting off another.
 */
export const pluginsHeedingBot: ReadonlySet<string> = new Set(['lifecycle', 'label']);

/** True when `author` is the bot (GitHub logins compare without case). */
export function isBot(author: string, botLogin: string): boolean {
  return author.toLowerCase() === botLogin.toLowerCase();
}
