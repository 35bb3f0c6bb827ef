import type { FaultSpec } from '../http/fault-injector.ts';
import type { Usage } from '../http/rate-limiter.ts';
import type { Delivery, OrgRole, Permission } from '../state/types.ts';

export type { Delivery, FaultSpec, OrgRole, Permission, Usage };

export interface CreateUserInput {
  login: string;
  name?: string;
  email?: string;
  siteAdmin?: boolean;
}

export interface CreateOrgInput {
  login: string;
  name?: string;
  description?: string;
  admins?: string[];
  members?: string[];
  /** What members get on every repo of the org; GitHub's default is `read`. */
  defaultRepoPermission?: Permission;
}

export interface CreateTeamInput {
  org: string;
  name: string;
  slug?: string;
  description?: string;
  members?: string[];
  maintainers?: string[];
  /** `owner/repo` (or repo name in the org) to the permission the team has there. */
  repos?: Record<string, Permission>;
}

export interface CreateRepoInput {
  owner: string;
  name: string;
  private?: boolean;
  description?: string;
  defaultBranch?: string;
  /** Files of the first commit on the default branch; without them the repo starts with a README. */
  files?: Record<string, string>;
  /** Login to permission. */
  collaborators?: Record<string, Permission>;
}

export interface CommitFilesInput {
  owner: string;
  repo: string;
  branch: string;
  /** Branch or sha to start `branch` from when it does not exist yet. */
  from?: string;
  /** Path to new content; null deletes the file. */
  files: Record<string, string | null>;
  message: string;
  author?: { name: string; email: string };
  /** Login the `push` event names as sender; the repo owner when absent. */
  pusher?: string;
}

export interface AddWebhookInput {
  owner: string;
  /** Without a repo, the hook is on the org `owner`. */
  repo?: string;
  url: string;
  secret: string;
  /** Event names, `['*']` for all (the default). */
  events?: string[];
}

export interface CreateAppInput {
  slug: string;
  name?: string;
  /** Login of the owning account; the App's own bot when absent. */
  owner?: string;
  permissions: Record<string, string>;
  events?: string[];
  webhookUrl?: string;
  webhookSecret?: string;
}

export interface CreatedApp {
  appId: number;
  slug: string;
  botLogin: string;
  /** PKCS#8 PEM private key to sign the App's JWTs with. */
  privateKey: string;
}
