import { randomBytes } from 'node:crypto';
import { nodeId } from './node-id.ts';
import type {
  Account,
  App,
  CheckRun,
  CommitStatus,
  Delivery,
  Hook,
  Installation,
  Issue,
  IssueComment,
  IssueEvent,
  Org,
  Permission,
  Repo,
  Review,
  ReviewComment,
  Team,
  Token,
} from './types.ts';

/** Now as GitHub writes times: ISO 8601 in UTC without milliseconds. */
export function isoNow(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Everything the emulator knows except git content (that lives in the GitStore). One instance per emulator;
 * REST, GraphQL and the control API read and change it through these maps and helpers.
 */
export class EmulatorState {
  private lastId = 1000;
  readonly accounts = new Map<number, Account>();
  readonly orgs = new Map<number, Org>();
  readonly teams = new Map<number, Team>();
  readonly tokens = new Map<string, Token>();
  readonly repos = new Map<number, Repo>();
  readonly comments = new Map<number, IssueComment>();
  readonly issueEvents: IssueEvent[] = [];
  readonly reviews = new Map<number, Review>();
  readonly reviewComments = new Map<number, ReviewComment>();
  readonly statuses = new Map<number, CommitStatus>();
  readonly checkRuns = new Map<number, CheckRun>();
  readonly hooks = new Map<number, Hook>();
  readonly apps = new Map<number, App>();
  readonly installations = new Map<number, Installation>();
  readonly deliveries: Delivery[] = [];

  /** A fresh id, larger than every id handed out before. */
  nextId(): number {
    this.lastId += 1;
    return this.lastId;
  }

  /** A fresh token in GitHub's shape: `ghp_` for personal tokens, `ghs_` for installation tokens. */
  newToken(accountId: number, extra: Omit<Token, 'token' | 'accountId'>): Token {
    const prefix = extra.kind === 'installation' ? 'ghs_' : 'ghp_';
    const token: Token = { token: prefix + randomBytes(18).toString('base64url').replace(/[-_]/g, 'x'), accountId, ...extra };
    this.tokens.set(token.token, token);
    return token;
  }

  addAccount(login: string, type: Account['type'], opts: { name?: string | null; email?: string | null; siteAdmin?: boolean } = {}): Account {
    if (this.accountByLogin(login)) throw new Error(`account ${login} already exists`);
    const id = this.nextId();
    const now = isoNow();
    const account: Account = {
      id,
      nodeId: nodeId(type === 'Organization' ? 'Organization' : type, id),
      login,
      type,
      name: opts.name ?? null,
      email: opts.email ?? null,
      siteAdmin: opts.siteAdmin ?? false,
      createdAt: now,
      updatedAt: now,
    };
    this.accounts.set(id, account);
    return account;
  }

  account(id: number): Account {
    const a = this.accounts.get(id);
    if (!a) throw new Error(`no account ${id}`);
    return a;
  }

  accountByLogin(login: string): Account | undefined {
    const lower = login.toLowerCase();
    for (const a of this.accounts.values()) if (a.login.toLowerCase() === lower) return a;
    return undefined;
  }

  orgByLogin(login: string): { account: Account; org: Org } | undefined {
    const account = this.accountByLogin(login);
    const org = account ? this.orgs.get(account.id) : undefined;
    return account && org ? { account, org } : undefined;
  }

  repoByName(owner: string, name: string): Repo | undefined {
    const ownerAccount = this.accountByLogin(owner);
    if (!ownerAccount) return undefined;
    const lower = name.toLowerCase();
    for (const r of this.repos.values()) if (r.ownerId === ownerAccount.id && r.name.toLowerCase() === lower) return r;
    return undefined;
  }

  repo(id: number): Repo {
    const r = this.repos.get(id);
    if (!r) throw new Error(`no repo ${id}`);
    return r;
  }

  /** `owner/name` of a repo. */
  fullName(repo: Repo): string {
    return `${this.account(repo.ownerId).login}/${repo.name}`;
  }

  addRepo(owner: Account, name: string, opts: { private?: boolean; defaultBranch?: string; description?: string | null } = {}): Repo {
    if (this.repoByName(owner.login, name)) throw new Error(`repository ${owner.login}/${name} already exists`);
    const id = this.nextId();
    const now = isoNow();
    const repo: Repo = {
      id,
      nodeId: nodeId('Repository', id),
      ownerId: owner.id,
      name,
      description: opts.description ?? null,
      private: opts.private ?? false,
      defaultBranch: opts.defaultBranch ?? 'main',
      archived: false,
      createdAt: now,
      updatedAt: now,
      pushedAt: now,
      collaborators: new Map<number, Permission>(),
      labels: new Map(),
      milestones: new Map(),
      issues: new Map(),
      pulls: new Map(),
      nextNumber: 1,
      nextMilestoneNumber: 1,
      allowMergeCommit: true,
      allowSquashMerge: true,
      allowRebaseMerge: true,
      deleteBranchOnMerge: false,
    };
    this.repos.set(id, repo);
    return repo;
  }

  /** A new issue (or the issue half of a PR) with the repo's next number. */
  addIssue(repo: Repo, userId: number, fields: { title: string; body?: string | null; isPull?: boolean }): Issue {
    const id = this.nextId();
    const now = isoNow();
    const issue: Issue = {
      id,
      nodeId: nodeId(fields.isPull ? 'PullRequest' : 'Issue', id),
      repoId: repo.id,
      number: repo.nextNumber++,
      isPull: fields.isPull ?? false,
      title: fields.title,
      body: fields.body ?? null,
      userId,
      state: 'open',
      stateReason: null,
      labelIds: [],
      assigneeIds: [],
      milestoneNumber: null,
      locked: false,
      activeLockReason: null,
      createdAt: now,
      updatedAt: now,
      closedAt: null,
      closedById: null,
    };
    repo.issues.set(issue.number, issue);
    return issue;
  }

  /** Comments on one issue or PR, oldest first. */
  issueComments(repoId: number, issueNumber: number): IssueComment[] {
    return [...this.comments.values()].filter((c) => c.repoId === repoId && c.issueNumber === issueNumber);
  }

  /** Appends to an issue's event log. */
  recordIssueEvent(fields: Omit<IssueEvent, 'id' | 'nodeId' | 'createdAt'>): IssueEvent {
    const id = this.nextId();
    const event: IssueEvent = { id, nodeId: nodeId('IssueEvent', id), createdAt: isoNow(), ...fields };
    this.issueEvents.push(event);
    return event;
  }

  teamBySlug(orgId: number, slug: string): Team | undefined {
    for (const t of this.teams.values()) if (t.orgId === orgId && t.slug === slug.toLowerCase()) return t;
    return undefined;
  }

  /** The installation of an App on the account that owns `repo`, if any. */
  installationForAccount(accountId: number): Installation[] {
    return [...this.installations.values()].filter((i) => i.accountId === accountId);
  }
}
