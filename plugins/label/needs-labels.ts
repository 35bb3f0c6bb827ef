/** The categories whose `needs-<category>` label Prow's label plugin maintains. */
export const needsCategories = ['kind', 'priority', 'sig', 'triage'] as const;

function inCategory(labels: Iterable<string>, category: string): Set<string> {
  const prefix = `${category}/`;
  return new Set([...labels].map((l) => l.toLowerCase()).filter((l) => l.startsWith(prefix)));
}

/**
 * The `needs-<category>` labels to add, as Prow: the repo has the label, the comment removes labels of
 * that category and adds none, and what it removes covers every label of that category on the issue.
 */
export function needsLabelsToAdd(repoLabels: ReadonlySet<string>, issueLabels: string[], add: string[], remove: string[]): string[] {
  return needsCategories.flatMap((category) => {
    const needs = `needs-${category}`;
    if (!repoLabels.has(needs)) return [];
    const removed = inCategory(remove, category);
    if (removed.size === 0 || inCategory(add, category).size > 0) return [];
    return [...inCategory(issueLabels, category)].every((l) => removed.has(l)) ? [needs] : [];
  });
}

/**
 * The `needs-<category>` labels to remove because the comment gave the issue a label of that category
 * (`present`: labels it asked for that are now on the issue). Prow leaves this to its
 * require-matching-label plugin; prow-ts has none, so label does it.
 */
export function needsLabelsToRemove(issueLabels: string[], present: string[]): string[] {
  const onIssue = new Set(issueLabels.map((l) => l.toLowerCase()));
  return needsCategories.flatMap((category) => {
    const needs = `needs-${category}`;
    return onIssue.has(needs) && inCategory(present, category).size > 0 ? [needs] : [];
  });
}
