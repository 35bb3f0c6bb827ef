import type { EmulatorContext } from '../context.ts';
import { renderUser } from '../render/account.ts';
import { renderLabel, renderMilestone } from '../render/issue.ts';
import { nodeId } from '../state/node-id.ts';
import { canBeAssignedTo } from '../state/permissions.ts';
import { isoNow } from '../state/state.ts';
import type { Account, Issue, Label, Repo } from '../state/types.ts';
import { emitIssueEvent } from '../webhooks/issue-events.ts';

/** GitHub's cap on assignees per issue; extra ones are silently ignored. */
export const maxAssignees = 10;

/** Creates a label in a repo and emits `label.created`. */
export function createLabel(emu: EmulatorContext, repo: Repo, sender: Account, fields: { name: string; color?: string; description?: string | null }): Label {
  const id = emu.state.nextId();
  const label: Label = {
    id,
    nodeId: nodeId('Label', id),
    name: fields.name,
    color: (fields.color ?? 'ededed').replace(/^#/, '').toLowerCase(),
    description: fields.description ?? null,
    default: false,
  };
  repo.labels.set(label.name.toLowerCase(), label);
  emu.webhooks.emit({ event: 'label', action: 'created', repo, sender, payload: { label: renderLabel(emu, repo, label) } });
  return label;
}

function touch(issue: Issue): void {
  issue.updatedAt = isoNow();
}

/** Adds labels by name, creating the ones the repo lacks (as GitHub does); emits `labeled` per new label. */
export function addLabels(emu: EmulatorContext, repo: Repo, issue: Issue, names: readonly string[], sender: Account): void {
  for (const name of names) {
    const label = repo.labels.get(name.toLowerCase()) ?? createLabel(emu, repo, sender, { name });
    if (issue.labelIds.includes(label.id)) continue;
    issue.labelIds.push(label.id);
    touch(issue);
    emu.state.recordIssueEvent({ repoId: repo.id, issueNumber: issue.number, actorId: sender.id, event: 'labeled', labelName: label.name, labelColor: label.color });
    emitIssueEvent(emu, repo, issue, 'labeled', sender, { label: renderLabel(emu, repo, label) });
  }
}

/** Removes one label; false when the issue did not have it. */
export function removeLabel(emu: EmulatorContext, repo: Repo, issue: Issue, name: string, sender: Account): boolean {
  const label = repo.labels.get(name.toLowerCase());
  if (!label || !issue.labelIds.includes(label.id)) return false;
  issue.labelIds = issue.labelIds.filter((id) => id !== label.id);
  touch(issue);
  emu.state.recordIssueEvent({ repoId: repo.id, issueNumber: issue.number, actorId: sender.id, event: 'unlabeled', labelName: label.name, labelColor: label.color });
  emitIssueEvent(emu, repo, issue, 'unlabeled', sender, { label: renderLabel(emu, repo, label) });
  return true;
}

/** Replaces the labels: removes those not in `names`, adds the new ones. */
export function setLabels(emu: EmulatorContext, repo: Repo, issue: Issue, names: readonly string[], sender: Account): void {
  const wanted = new Set(names.map((n) => n.toLowerCase()));
  for (const label of [...repo.labels.values()].filter((l) => issue.labelIds.includes(l.id))) {
    if (!wanted.has(label.name.toLowerCase())) removeLabel(emu, repo, issue, label.name, sender);
  }
  addLabels(emu, repo, issue, names, sender);
}

/**
 * Adds assignees by login. Logins that do not exist or cannot be assigned are skipped, and at most ten
 * assignees are kept: GitHub ignores the rest without an error. Returns the logins that were not assignable.
 */
export function addAssignees(emu: EmulatorContext, repo: Repo, issue: Issue, logins: readonly string[], sender: Account): string[] {
  const rejected: string[] = [];
  for (const login of logins) {
    const user = emu.state.accountByLogin(login);
    if (!user || user.type === 'Organization' || !canBeAssignedTo(emu.state, user.id, repo, issue.number)) {
      rejected.push(login);
      continue;
    }
    if (issue.assigneeIds.includes(user.id) || issue.assigneeIds.length >= maxAssignees) continue;
    issue.assigneeIds.push(user.id);
    touch(issue);
    emu.state.recordIssueEvent({ repoId: repo.id, issueNumber: issue.number, actorId: sender.id, event: 'assigned', assigneeId: user.id });
    emitIssueEvent(emu, repo, issue, 'assigned', sender, { assignee: renderUser(emu, user) });
  }
  return rejected;
}

/** Removes assignees by login; unknown or unassigned logins are ignored. */
export function removeAssignees(emu: EmulatorContext, repo: Repo, issue: Issue, logins: readonly string[], sender: Account): void {
  for (const login of logins) {
    const user = emu.state.accountByLogin(login);
    if (!user || !issue.assigneeIds.includes(user.id)) continue;
    issue.assigneeIds = issue.assigneeIds.filter((id) => id !== user.id);
    touch(issue);
    emu.state.recordIssueEvent({ repoId: repo.id, issueNumber: issue.number, actorId: sender.id, event: 'unassigned', assigneeId: user.id });
    emitIssueEvent(emu, repo, issue, 'unassigned', sender, { assignee: renderUser(emu, user) });
  }
}

/** Sets or clears the milestone; emits `milestoned` / `demilestoned`. */
export function setMilestone(emu: EmulatorContext, repo: Repo, issue: Issue, number: number | null, sender: Account): void {
  if (issue.milestoneNumber === number) return;
  const previous = issue.milestoneNumber === null ? undefined : repo.milestones.get(issue.milestoneNumber);
  issue.milestoneNumber = number;
  touch(issue);
  const current = number === null ? undefined : repo.milestones.get(number);
  const changed = current ?? previous;
  if (changed) {
    emu.state.recordIssueEvent({ repoId: repo.id, issueNumber: issue.number, actorId: sender.id, event: current ? 'milestoned' : 'demilestoned', milestoneTitle: changed.title });
  }
  if (current) emitIssueEvent(emu, repo, issue, 'milestoned', sender, { milestone: renderMilestone(emu, repo, current) });
  else if (previous) emitIssueEvent(emu, repo, issue, 'demilestoned', sender, { milestone: renderMilestone(emu, repo, previous) });
}

/** Closes or reopens; emits `closed` / `reopened`. */
export function setIssueState(
  emu: EmulatorContext,
  repo: Repo,
  issue: Issue,
  state: 'open' | 'closed',
  sender: Account,
  reason?: 'completed' | 'not_planned' | 'reopened' | null,
): void {
  if (issue.state === state) {
    if (reason !== undefined && state === 'closed') issue.stateReason = reason;
    return;
  }
  const now = isoNow();
  issue.state = state;
  issue.updatedAt = now;
  if (state === 'closed') {
    issue.closedAt = now;
    issue.closedById = sender.id;
    issue.stateReason = reason ?? 'completed';
  } else {
    issue.closedAt = null;
    issue.closedById = null;
    issue.stateReason = 'reopened';
  }
  emu.state.recordIssueEvent({ repoId: repo.id, issueNumber: issue.number, actorId: sender.id, event: state === 'closed' ? 'closed' : 'reopened' });
  emitIssueEvent(emu, repo, issue, state === 'closed' ? 'closed' : 'reopened', sender);
}

/** Changes title and body; emits `edited` with GitHub's `changes` when something changed. */
export function editIssue(emu: EmulatorContext, repo: Repo, issue: Issue, fields: { title?: string; body?: string | null }, sender: Account): void {
  const changes: Record<string, { from: string }> = {};
  if (fields.title !== undefined && fields.title !== issue.title) {
    changes.title = { from: issue.title };
    emu.state.recordIssueEvent({ repoId: repo.id, issueNumber: issue.number, actorId: sender.id, event: 'renamed', rename: { from: issue.title, to: fields.title } });
    issue.title = fields.title;
  }
  if (fields.body !== undefined && fields.body !== issue.body) {
    changes.body = { from: issue.body ?? '' };
    issue.body = fields.body;
  }
  if (Object.keys(changes).length === 0) return;
  touch(issue);
  emitIssueEvent(emu, repo, issue, 'edited', sender, { changes });
}
