import { describe, expect, it } from 'vitest';
import { expandAliases, parseOwnersAliases } from './owners-aliases.ts';
import { parseOwnersFile, type OwnersFile } from './owners-file.ts';
import { ancestorDirs, RepoOwners } from './repo-owners.ts';

const aliases = parseOwnersAliases('aliases:\n  sig-net: [Alice, "@bob"]\n  empty:\n  flow: {carol, dave}\n');

function repo(files: Record<string, string>): RepoOwners {
  const parsed = new Map<string, OwnersFile>();
  for (const [dir, text] of Object.entries(files)) parsed.set(dir, parseOwnersFile(text, aliases));
  return new RepoOwners(parsed);
}

const sorted = (s: Set<string>): string[] => [...s].sort();

describe('OWNERS_ALIASES', () => {
  it('normalises logins and accepts lists, flow maps and empty groups', () => {
    expect(aliases.get('sig-net')).toEqual(new Set(['alice', 'bob']));
    expect(aliases.get('empty')).toEqual(new Set());
    expect(aliases.get('flow')).toEqual(new Set(['carol', 'dave']));
    expect(expandAliases(['SIG-NET', 'Eve'], aliases)).toEqual(new Set(['alice', 'bob', 'eve']));
  });

  it('refuses a group that is a plain string', () => {
    expect(() => parseOwnersAliases('aliases:\n  team: alice\n')).toThrow(/list of members/);
  });
});

describe('OWNERS resolution', () => {
  const owners = repo({
    '': 'approvers: [root-approver]\nreviewers: [root-reviewer]\nlabels: [repo/widgets]\n',
    pkg: 'approvers: [sig-net]\nreviewers: [pkg-reviewer]\nlabels: [area/pkg]\n',
    'pkg/island': 'options:\n  no_parent_owners: true\napprovers: [islander]\nlabels: [area/island]\n',
    docs: 'filters:\n  "\\\\.md$":\n    approvers: [writer]\n    labels: [kind/docs]\n  ".*":\n    reviewers: [docs-reviewer]\n',
  });

  it('gives the nearest approvers as leaves and every approver up the tree', () => {
    expect(sorted(owners.leafApprovers('pkg/net/dial.go'))).toEqual(['alice', 'bob']);
    expect(sorted(owners.approvers('pkg/net/dial.go'))).toEqual(['alice', 'bob', 'root-approver']);
    expect(owners.findApproverOwnersForFile('pkg/net/dial.go')).toBe('pkg');
    expect(owners.findApproverOwnersForFile('main.go')).toBe('');
    expect(sorted(owners.reviewers('pkg/a.go'))).toEqual(['pkg-reviewer', 'root-reviewer']);
  });

  it('stops at no_parent_owners', () => {
    expect(sorted(owners.approvers('pkg/island/x.go'))).toEqual(['islander']);
    expect(sorted(owners.labels('pkg/island/x.go'))).toEqual(['area/island']);
    expect(owners.isNoParentOwners('pkg/island')).toBe(true);
  });

  it('applies filters by regex on the path relative to the OWNERS directory', () => {
    expect(sorted(owners.approvers('docs/guide.md'))).toEqual(['root-approver', 'writer']);
    expect(sorted(owners.approvers('docs/logo.png'))).toEqual(['root-approver']);
    expect(owners.findApproverOwnersForFile('docs/logo.png')).toBe('');
    expect(sorted(owners.reviewers('docs/logo.png'))).toEqual(['docs-reviewer', 'root-reviewer']);
    expect(sorted(owners.labels('docs/guide.md'))).toEqual(['kind/docs', 'repo/widgets']);
  });

  it('collects labels up the tree', () => {
    expect(sorted(owners.labels('pkg/a.go'))).toEqual(['area/pkg', 'repo/widgets']);
  });

  it('lists a path’s directories up to the root', () => {
    expect(ancestorDirs('a/b/c.go')).toEqual(['a/b', 'a', '']);
    expect(ancestorDirs('c.go')).toEqual(['']);
  });

  it('refuses invalid YAML and invalid filter regexes', () => {
    expect(() => parseOwnersFile('approvers: [a\n', aliases)).toThrow();
    expect(() => parseOwnersFile('filters:\n  "(":\n    approvers: [a]\n', aliases)).toThrow();
    expect(() => parseOwnersFile('approvers: alice\n', aliases)).toThrow(/list of strings/);
  });
});
