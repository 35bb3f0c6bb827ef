import type { EmulatorContext } from '../context.ts';
import { renderIssue } from '../render/issue.ts';
import { renderPull } from '../render/pull.ts';
import type { Account, Issue, Repo } from '../state/types.ts';

/**
 * Emits a change to an issue as GitHub does: `issues` for issues, `pull_request` (with `number` and
 * `pull_request`) when the issue is a PR's. `extra` holds the action's own keys (`label`, `assignee`,
 * `changes`, `milestone`).
 */
export function emitIssueEvent(emu: EmulatorContext, repo: Repo, issue: Issue, action: string, sender: Account, extra: Record<string, unknown> = {}): void {
  const pull = issue.isPull ? repo.pulls.get(issue.number) : undefined;
  if (pull) {
    emu.webhooks.emit({ event: 'pull_request', action, repo, sender, payload: { number: issue.number, pull_request: renderPull(emu, repo, pull), ...extra } });
  } else {
    emu.webhooks.emit({ event: 'issues', action, repo, sender, payload: { issue: renderIssue(emu, repo, issue), ...extra } });
  }
}
