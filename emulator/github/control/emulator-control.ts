import type {
  AddWebhookInput,
  CommitFilesInput,
  CreateAppInput,
  CreatedApp,
  CreateOrgInput,
  CreateRepoInput,
  CreateTeamInput,
  CreateUserInput,
  Delivery,
  FaultSpec,
  Usage,
} from './control-types.ts';
import type { CreatePullRequestInput } from './pull-operations.ts';

/** A control call the emulator refused; `status` is the HTTP status, the message says why. */
export class EmulatorControlError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
    this.name = 'EmulatorControlError';
  }
}

/**
 * Typed client of the emulator's control API (`/_emulator/`): seeds users, orgs, repos, Apps and hooks,
 * reads counters and deliveries, injects faults. Tests, `npm start`'s demo and the CLI all use it.
 */
export class EmulatorControl {
  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
  }

  /** Any control verb; helpers that add verbs call it from their own methods. */
  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.baseUrl}/_emulator${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    const text = await res.text();
    if (!res.ok) {
      let message = text;
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? text;
      } catch {
        // keep the raw text: the error came from outside the control handlers
      }
      throw new EmulatorControlError(res.status, `${method} /_emulator${path}: ${res.status} ${message}`);
    }
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /** Creates a user; returns its personal token. */
  createUser(input: CreateUserInput): Promise<{ id: number; login: string; token: string }> {
    return this.request('POST', '/users', input);
  }

  /** Another personal token for an existing user. */
  createToken(login: string): Promise<{ token: string }> {
    return this.request('POST', '/tokens', { login });
  }

  createOrg(input: CreateOrgInput): Promise<{ id: number; login: string }> {
    return this.request('POST', '/orgs', input);
  }

  async addOrgMembers(org: string, logins: string[], role: 'admin' | 'member' = 'member'): Promise<void> {
    await this.request('POST', `/orgs/${encodeURIComponent(org)}/members`, { logins, role });
  }

  createTeam(input: CreateTeamInput): Promise<{ id: number; slug: string }> {
    return this.request('POST', '/teams', input);
  }

  /** Creates a repo with a first commit; returns its clone URL and the commit's sha. */
  createRepo(input: CreateRepoInput): Promise<{ id: number; fullName: string; defaultBranch: string; sha: string; cloneUrl: string }> {
    return this.request('POST', '/repos', input);
  }

  /** Commits files to a branch (created from `from` when missing). */
  commitFiles(input: CommitFilesInput): Promise<{ sha: string }> {
    return this.request('POST', '/commits', input);
  }

  addWebhook(input: AddWebhookInput): Promise<{ id: number }> {
    return this.request('POST', '/hooks', input);
  }

  /** Registers a GitHub App; the private key (PEM) is returned only here. */
  createApp(input: CreateAppInput): Promise<CreatedApp> {
    return this.request('POST', '/apps', input);
  }

  installApp(input: { appId: number; account: string }): Promise<{ installationId: number }> {
    return this.request('POST', '/installations', input);
  }

  /** Request counters per token (or for one token): requests, free 304s, cost, remaining budget. */
  usage(token?: string): Promise<Record<string, Usage>> {
    return this.request('GET', token === undefined ? '/usage' : `/usage?token=${encodeURIComponent(token)}`);
  }

  /** Sets the hourly budget of one token, or the default for all. */
  async setRateLimit(limit: number, token?: string): Promise<void> {
    await this.request('POST', '/rate-limit', token === undefined ? { limit } : { limit, token });
  }

  /** Makes the next `count` matching requests fail (a status, or GitHub's secondary rate limit). */
  async faults(spec: FaultSpec): Promise<void> {
    await this.request('POST', '/faults', spec);
  }

  async clearFaults(): Promise<void> {
    await this.request('DELETE', '/faults');
  }

  /** Every webhook delivery attempted so far, oldest first. */
  deliveries(): Promise<Delivery[]> {
    return this.request('GET', '/deliveries');
  }

  /** Waits until every webhook queued so far has been delivered (or failed); returns all deliveries. */
  async waitForDeliveries(): Promise<Delivery[]> {
    await this.request('POST', '/deliveries/wait');
    return this.deliveries();
  }

  /** Opens a PR as `author`, committing `files` on the head branch first; returns its number and head sha. */
  createPullRequest(input: CreatePullRequestInput): Promise<{ number: number; headSha: string }> {
    return this.request('POST', '/pulls', input);
  }
}
