import { describe, expect, it } from 'vitest';
import { actorPermission, canBeAssignedTo, isAssignable, userPermission } from './permissions.ts';
import { EmulatorState } from './state.ts';
import { decodeNodeId, nodeId } from './node-id.ts';

function world(): { state: EmulatorState; ids: Record<string, number>; repoId: number } {
  const state = new EmulatorState();
  const ids: Record<string, number> = {};
  for (const login of ['admin', 'member', 'teamie', 'collab', 'stranger']) ids[login] = state.addAccount(login, 'User').id;
  const org = state.addAccount('org', 'Organization');
  const id = (login: string): number => ids[login] ?? -1;
  state.orgs.set(org.id, {
    id: org.id,
    description: null,
    members: new Map([
      [id('admin'), 'admin'],
      [id('member'), 'member'],
      [id('teamie'), 'member'],
    ]),
    defaultRepoPermission: 'read',
  });
  const repo = state.addRepo(org, 'r', { private: true });
  repo.collaborators.set(id('collab'), 'triage');
  state.teams.set(1, { id: 1, nodeId: nodeId('Team', 1), orgId: org.id, slug: 't', name: 't', description: null, privacy: 'closed', members: new Map([[id('teamie'), 'member']]), repos: new Map([[repo.id, 'maintain']]) });
  return { state, ids, repoId: repo.id };
}

describe('permissions', () => {
  it('takes the highest of org role, base permission, teams and collaborators', () => {
    const { state, ids, repoId } = world();
    const repo = state.repo(repoId);
    const of = (login: string): string => userPermission(state, ids[login] ?? -1, repo);
    expect(['admin', 'member', 'teamie', 'collab', 'stranger'].map(of)).toEqual(['admin', 'read', 'maintain', 'triage', 'none']);
    repo.private = false;
    expect(of('stranger')).toBe('read');
    expect(actorPermission(state, undefined, repo, 'issues')).toBe('read');
  });

  it('follows GitHub\'s assignee rule: write access, or org members who can read, or commenters', () => {
    const { state, ids, repoId } = world();
    const repo = state.repo(repoId);
    repo.private = false;
    const assignable = (login: string): boolean => isAssignable(state, ids[login] ?? -1, repo);
    expect(['admin', 'member', 'teamie', 'collab', 'stranger'].map(assignable)).toEqual([true, true, true, false, false]);
    const issue = state.addIssue(repo, ids.stranger ?? -1, { title: 't' });
    expect(canBeAssignedTo(state, ids.collab ?? -1, repo, issue.number)).toBe(false);
    const commentId = state.nextId();
    state.comments.set(commentId, { id: commentId, nodeId: nodeId('IssueComment', commentId), repoId, issueNumber: issue.number, userId: ids.collab ?? -1, body: 'hi', createdAt: '', updatedAt: '' });
    expect(canBeAssignedTo(state, ids.collab ?? -1, repo, issue.number)).toBe(true);
  });

  it('makes node ids in GitHub\'s legacy format and reads them back', () => {
    expect(nodeId('User', 1)).toBe('MDQ6VXNlcjE=');
    expect(decodeNodeId(nodeId('PullRequest', 1234))).toEqual({ type: 'PullRequest', id: 1234 });
    expect(decodeNodeId('garbage')).toBeUndefined();
  });
});
