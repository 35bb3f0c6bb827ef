/** The label categories Prow's label plugin knows, each with its own `/<category>` command. */
export const labelCategories = ['area', 'committee', 'kind', 'language', 'priority', 'sig', 'triage', 'wg'] as const;

const categories = labelCategories.join('|');
// Prow's patterns (line start, case-sensitive), except that the space after the command stays on its line:
// Prow's `\s*` there lets a bare `/kind` swallow the next line, turning `/kind` + `/priority high` into kind/high.
const labelRe = new RegExp(`^/(${categories})[\\t\\f\\r ]*(.*?)[\\t\\n\\f\\r ]*$`, 'gm');
const removeLabelRe = new RegExp(`^/remove-(${categories})[\\t\\f\\r ]*(.*?)[\\t\\n\\f\\r ]*$`, 'gm');
const customLabelRe = /^\/label[\t\f\r ]*(.*?)[\t\n\f\r ]*$/gm;
const customRemoveLabelRe = /^\/remove-label[\t\f\r ]*(.*?)[\t\n\f\r ]*$/gm;

/** What one comment asks of the label plugin. */
export interface LabelCommands {
  /** Lowercased labels to add, in the order written. */
  add: string[];
  remove: string[];
  /** `/label x` and `/remove-label x` lines whose label is neither additional nor restricted. */
  unsupported: string[];
  /** `/label` and `/remove-label` lines without exactly one label. */
  malformed: string[];
}

/** The words of a matched line, split on spaces as Prow does, empty words (double spaces) dropped. */
function words(line: string): string[] {
  return line
    .trim()
    .split(' ')
    .filter((w) => w !== '');
}

/** `<category>/<arg>` for each argument; a line whose command word is longer (`/kindness`) is not a command. */
function categoryLabels(body: string, re: RegExp, prefix: string): string[] {
  const labels: string[] = [];
  for (const match of body.matchAll(re)) {
    const [command, ...args] = words(match[0]);
    if (command !== `${prefix}${match[1] ?? ''}`) continue;
    for (const arg of args) labels.push(`${match[1] ?? ''}/${arg}`.toLowerCase());
  }
  return labels;
}

/**
 * Parses the label commands in a comment (HTML comments already stripped): `/kind bug flake`,
 * `/remove-priority backlog`, and `/label x` / `/remove-label x` for the labels `allowed` accepts.
 */
export function parseLabelCommands(body: string, allowed: (label: string) => boolean): LabelCommands {
  const commands: LabelCommands = {
    add: categoryLabels(body, labelRe, '/'),
    remove: categoryLabels(body, removeLabelRe, '/remove-'),
    unsupported: [],
    malformed: [],
  };
  const custom = (re: RegExp, command: string, into: string[]): void => {
    for (const match of body.matchAll(re)) {
      const parts = words(match[0]);
      if (parts[0] !== command) continue;
      const label = parts[1]?.toLowerCase();
      if (parts.length !== 2 || label === undefined) commands.malformed.push(match[0].trim());
      else if (allowed(label)) into.push(label);
      else commands.unsupported.push(match[0].trim());
    }
  };
  custom(customLabelRe, '/label', commands.add);
  custom(customRemoveLabelRe, '/remove-label', commands.remove);
  return commands;
}

/** True when the comment holds any label command at all. */
export function hasLabelCommands(commands: LabelCommands): boolean {
  return commands.add.length + commands.remove.length + commands.unsupported.length + commands.malformed.length > 0;
}
