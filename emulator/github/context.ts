import type { Logger } from '../../lib/log.ts';
import type { GitStore } from './git/types.ts';
import type { FaultInjector } from './http/fault-injector.ts';
import type { OpenApiIndex } from './http/openapi-index.ts';
import type { RateLimiter } from './http/rate-limiter.ts';
import type { RenderContext } from './render/context.ts';
import type { Urls } from './render/urls.ts';
import type { Actor } from './state/permissions.ts';
import type { EmulatorState } from './state/state.ts';
import type { App } from './state/types.ts';
import type { PushListener } from './webhooks/push-event.ts';
import type { WebhookEmitter } from './webhooks/webhook-emitter.ts';

/**
 * Everything a route group needs, decorated on the fastify instance as `app.emu`: state, git, the base
 * URL, the webhook emitter and the HTTP-level counters.
 */
export interface EmulatorContext extends RenderContext {
  state: EmulatorState;
  git: GitStore;
  urls: Urls;
  logger: Logger;
  webhooks: WebhookEmitter;
  limits: RateLimiter;
  faults: FaultInjector;
  openapi: OpenApiIndex;
  /** Run after every push (git or control API); a route group that tracks refs appends its listener here. */
  pushListeners: PushListener[];
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The emulator's state and services; see EmulatorContext. */
    emu: EmulatorContext;
  }
  interface FastifyRequest {
    /** The caller behind the token; undefined for anonymous requests and App JWTs. */
    actor: Actor | undefined;
    /** The App whose JWT authenticated this request. */
    jwtApp: App | undefined;
    /** The rate-limit bucket and resource this request is counted in; undefined for non-API paths. */
    rate: { key: string; resource: string } | undefined;
  }
}
