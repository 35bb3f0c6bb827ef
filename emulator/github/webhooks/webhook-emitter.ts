import { randomUUID } from 'node:crypto';
import type { Logger } from '../../../lib/log.ts';
import { renderOrgSimple, renderUser } from '../render/account.ts';
import type { RenderContext } from '../render/context.ts';
import { renderRepo } from '../render/repo.ts';
import type { Account, Delivery, Hook, Repo } from '../state/types.ts';
import { nodeId } from '../state/node-id.ts';
import { signBody } from './sign.ts';

/** One event as a state change produces it. */
export interface EmitOptions {
  /** `X-GitHub-Event`: `issues`, `issue_comment`, `pull_request`, `status`, `push`... */
  event: string;
  /** The payload's `action`; omitted for events without one (`status`, `push`). */
  action?: string;
  /** The repo the event happened in: adds `repository` and, for org repos, `organization`. */
  repo?: Repo;
  /** The org of an org-level event without a repo. */
  org?: Account;
  sender: Account;
  /** The event's own keys (`issue`, `comment`, `label`, `changes`...), rendered already. */
  payload: Record<string, unknown>;
}

const userAgent = 'GitHub-Hookshot/prow-ts-emulator';

/**
 * Sends webhooks as GitHub does: every matching repo, org and App hook gets its own signed POST, built
 * when the state changed (later changes do not leak in), delivered in order per hook and never blocking the
 * REST answer. `idle()` resolves when everything queued so far has been delivered or has failed.
 */
export class WebhookEmitter {
  private readonly chains = new Map<number, Promise<void>>();
  private pending = 0;
  private waiters: (() => void)[] = [];

  private readonly ctx: RenderContext;
  private readonly logger: Logger;
  private readonly timeoutMs: number;

  constructor(ctx: RenderContext, logger: Logger, timeoutMs = 10_000) {
    this.ctx = ctx;
    this.logger = logger;
    this.timeoutMs = timeoutMs;
  }

  /** Queues the event for every hook that wants it; returns the number of deliveries queued. */
  emit(opts: EmitOptions): number {
    const { state } = this.ctx;
    const ownerId = opts.repo?.ownerId ?? opts.org?.id;
    const ownerOrg = ownerId === undefined ? undefined : state.orgs.get(ownerId);
    const base: Record<string, unknown> = {
      ...(opts.action === undefined ? {} : { action: opts.action }),
      ...opts.payload,
      ...(opts.repo ? { repository: renderRepo(this.ctx, opts.repo) } : {}),
      ...(ownerOrg ? { organization: renderOrgSimple(this.ctx, state.account(ownerOrg.id), ownerOrg) } : {}),
      sender: renderUser(this.ctx, opts.sender),
    };
    const wants = (hook: Hook): boolean => hook.active && (hook.events.includes('*') || hook.events.includes(opts.event));
    let queued = 0;
    for (const hook of state.hooks.values()) {
      if (!wants(hook)) continue;
      if (hook.appId !== null) {
        const inst = [...state.installations.values()].find((i) => i.appId === hook.appId && i.accountId === ownerId);
        if (!inst || !(inst.events.includes('*') || inst.events.includes(opts.event))) continue;
        const installation = { id: inst.id, node_id: nodeId('Installation', inst.id) };
        this.enqueue(hook, opts, JSON.stringify({ ...base, installation }));
      } else if ((hook.repoId !== null && hook.repoId === opts.repo?.id) || (hook.orgId !== null && hook.orgId === ownerOrg?.id)) {
        this.enqueue(hook, opts, JSON.stringify(base));
      } else continue;
      queued += 1;
    }
    return queued;
  }

  /** Resolves once every delivery queued so far is done. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private enqueue(hook: Hook, opts: EmitOptions, body: string): void {
    this.pending += 1;
    const prev = this.chains.get(hook.id) ?? Promise.resolve();
    const next = prev.then(() => this.deliver(hook, opts, body)).finally(() => {
      this.pending -= 1;
      if (this.pending === 0) {
        const waiters = this.waiters;
        this.waiters = [];
        for (const w of waiters) w();
      }
    });
    this.chains.set(hook.id, next);
  }

  private async deliver(hook: Hook, opts: EmitOptions, body: string): Promise<void> {
    const guid = randomUUID();
    const started = Date.now();
    const record: Delivery = {
      id: this.ctx.state.nextId(),
      guid,
      hookId: hook.id,
      event: opts.event,
      action: opts.action ?? null,
      url: hook.url,
      deliveredAt: new Date(started).toISOString(),
      statusCode: 0,
      durationMs: 0,
      error: null,
    };
    try {
      const res = await fetch(hook.url, {
        method: 'POST',
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': userAgent,
          'x-github-event': opts.event,
          'x-github-delivery': guid,
          'x-github-hook-id': String(hook.id),
          'x-github-hook-installation-target-type': hook.appId !== null ? 'integration' : hook.orgId !== null ? 'organization' : 'repository',
          'x-github-hook-installation-target-id': String(hook.appId ?? hook.orgId ?? hook.repoId ?? 0),
          ...(hook.secret === '' ? {} : { 'x-hub-signature-256': signBody(hook.secret, body) }),
        },
      });
      await res.arrayBuffer();
      record.statusCode = res.status;
    } catch (err) {
      record.error = err instanceof Error ? err.message : String(err);
      this.logger.warn({ hookId: hook.id, event: opts.event, err: record.error }, 'webhook delivery failed');
    }
    record.durationMs = Date.now() - started;
    this.ctx.state.deliveries.push(record);
  }
}
