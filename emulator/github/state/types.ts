/** Repository permission levels, weakest first, as GitHub names them. */
export const permissionLevels = ['none', 'read', 'triage', 'write', 'maintain', 'admin'] as const;
export type Permission = (typeof permissionLevels)[number];

/** A user, bot or organization: GitHub keeps them in one account space with one id sequence. */
export interface Account {
  id: number;
  nodeId: string;
  login: string;
  type: 'User' | 'Bot' | 'Organization';
  name: string | null;
  email: string | null;
  siteAdmin: boolean;
  createdAt: string;
  updatedAt: string;
}

export type OrgRole = 'admin' | 'member';

export interface Org {
  /** Same id as the organization's Account. */
  id: number;
  description: string | null;
  members: Map<number, OrgRole>;
  /** What every member gets on every repo of the org ("read" by default on GitHub). */
  defaultRepoPermission: Permission;
}

export interface Team {
  id: number;
  nodeId: string;
  orgId: number;
  slug: string;
  name: string;
  description: string | null;
  privacy: 'closed' | 'secret';
  members: Map<number, 'member' | 'maintainer'>;
  repos: Map<number, Permission>;
}

/** A token the emulator accepts: a personal token of a user, or a GitHub App installation token. */
export interface Token {
  token: string;
  accountId: number;
  kind: 'personal' | 'installation';
  installationId?: number;
  /** ISO time; installation tokens expire after an hour like GitHub's. */
  expiresAt?: string;
  permissions?: Record<string, string>;
}

export interface Label {
  id: number;
  nodeId: string;
  name: string;
  color: string;
  description: string | null;
  default: boolean;
}

export interface Milestone {
  id: number;
  nodeId: string;
  number: number;
  title: string;
  description: string | null;
  state: 'open' | 'closed';
  dueOn: string | null;
  creatorId: number;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface Repo {
  id: number;
  nodeId: string;
  ownerId: number;
  name: string;
  description: string | null;
  private: boolean;
  defaultBranch: string;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
  pushedAt: string;
  collaborators: Map<number, Permission>;
  /** Keyed by lower-cased name: GitHub label names are case-insensitive. */
  labels: Map<string, Label>;
  milestones: Map<number, Milestone>;
  /** Issues and pull requests share one number sequence per repo. */
  issues: Map<number, Issue>;
  pulls: Map<number, PullRequest>;
  nextNumber: number;
  nextMilestoneNumber: number;
  allowMergeCommit: boolean;
  allowSquashMerge: boolean;
  allowRebaseMerge: boolean;
  deleteBranchOnMerge: boolean;
}

/** An issue, or the issue half of a pull request (`isPull`): labels, assignees, milestone and comments live here. */
export interface Issue {
  id: number;
  nodeId: string;
  repoId: number;
  number: number;
  isPull: boolean;
  title: string;
  body: string | null;
  userId: number;
  state: 'open' | 'closed';
  stateReason: 'completed' | 'not_planned' | 'reopened' | null;
  /** Label ids in the order they were added. */
  labelIds: number[];
  assigneeIds: number[];
  milestoneNumber: number | null;
  locked: boolean;
  activeLockReason: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  closedById: number | null;
}

/** One entry of an issue's event log (GET /issues/{n}/events): who labeled, assigned, closed... and when. */
export interface IssueEvent {
  id: number;
  nodeId: string;
  repoId: number;
  issueNumber: number;
  actorId: number;
  event: string;
  createdAt: string;
  labelName?: string;
  labelColor?: string;
  assigneeId?: number;
  milestoneTitle?: string;
  rename?: { from: string; to: string };
  commitId?: string;
}

export interface IssueComment {
  id: number;
  nodeId: string;
  repoId: number;
  issueNumber: number;
  userId: number;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export interface PullRef {
  /** Branch name. */
  ref: string;
  sha: string;
  repoId: number;
}

/** The pull-request half; its number equals the Issue's number in the same repo. */
export interface PullRequest {
  id: number;
  nodeId: string;
  repoId: number;
  number: number;
  head: PullRef;
  base: PullRef;
  draft: boolean;
  merged: boolean;
  mergedAt: string | null;
  mergedById: number | null;
  mergeCommitSha: string | null;
  maintainerCanModify: boolean;
  requestedReviewerIds: number[];
  requestedTeamIds: number[];
}

export type ReviewState = 'PENDING' | 'COMMENTED' | 'APPROVED' | 'CHANGES_REQUESTED' | 'DISMISSED';

export interface Review {
  id: number;
  nodeId: string;
  repoId: number;
  pullNumber: number;
  userId: number;
  body: string;
  state: ReviewState;
  commitId: string;
  submittedAt: string | null;
}

export interface ReviewComment {
  id: number;
  nodeId: string;
  repoId: number;
  pullNumber: number;
  reviewId: number | null;
  userId: number;
  body: string;
  path: string;
  line: number | null;
  startLine: number | null;
  side: 'LEFT' | 'RIGHT';
  position: number | null;
  commitId: string;
  originalCommitId: string;
  diffHunk: string;
  inReplyToId: number | null;
  createdAt: string;
  updatedAt: string;
}

export type StatusState = 'error' | 'failure' | 'pending' | 'success';

export interface CommitStatus {
  id: number;
  nodeId: string;
  repoId: number;
  sha: string;
  state: StatusState;
  context: string;
  description: string | null;
  targetUrl: string | null;
  creatorId: number;
  createdAt: string;
  updatedAt: string;
}

export interface CheckRun {
  id: number;
  nodeId: string;
  repoId: number;
  headSha: string;
  name: string;
  status: 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending';
  conclusion: 'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required' | 'stale' | null;
  startedAt: string | null;
  completedAt: string | null;
  detailsUrl: string | null;
  externalId: string | null;
  output: { title: string | null; summary: string | null; text: string | null };
  /** The App that created it; null when a user token did (GitHub forbids that, the emulator records it). */
  appId: number | null;
}

/**
 * A webhook: on a repo (`repoId`), on an org (`orgId`) or an App's (`appId`, whose deliveries carry the
 * installation). `events` of `['*']` means every event.
 */
export interface Hook {
  id: number;
  repoId: number | null;
  orgId: number | null;
  appId: number | null;
  url: string;
  secret: string;
  events: string[];
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface App {
  id: number;
  nodeId: string;
  slug: string;
  name: string;
  ownerId: number;
  /** PEM (SPKI) used to verify the App's JWTs. */
  publicKeyPem: string;
  permissions: Record<string, string>;
  events: string[];
  /** The `<slug>[bot]` account that installation tokens act as. */
  botId: number;
  createdAt: string;
  updatedAt: string;
}

export interface Installation {
  id: number;
  appId: number;
  accountId: number;
  permissions: Record<string, string>;
  events: string[];
  createdAt: string;
  updatedAt: string;
}

/** One attempt to deliver one event to one hook. */
export interface Delivery {
  id: number;
  guid: string;
  hookId: number;
  event: string;
  action: string | null;
  url: string;
  deliveredAt: string;
  /** HTTP status; 0 when the connection failed. */
  statusCode: number;
  durationMs: number;
  error: string | null;
}
