import type { FastifyInstance } from 'fastify';
import type { Logger } from '../../lib/log.ts';
import { createServer } from '../../lib/http/server.ts';
import type { EmulatorContext } from './context.ts';
import { controlRoutes } from './control/control-routes.ts';
import type { GitStore } from './git/types.ts';
import { smartHttpRoutes } from './git/smart-http-routes.ts';
import { registerApiHooks } from './http/api-hooks.ts';
import { gitAccess } from './http/git-access.ts';
import { FaultInjector } from './http/fault-injector.ts';
import { OpenApiIndex } from './http/openapi-index.ts';
import { RateLimiter } from './http/rate-limiter.ts';
import { Urls } from './render/urls.ts';
import { routeGroups } from './routes/index.ts';
import { EmulatorState } from './state/state.ts';
import { handlePush } from './webhooks/push-event.ts';
import { WebhookEmitter } from './webhooks/webhook-emitter.ts';

/** What the emulator app is built from; everything but git and the logger has a default. */
export interface EmulatorDeps {
  git: GitStore;
  logger: Logger;
  state?: EmulatorState;
  urls?: Urls;
  /** Requests per token per hour (GitHub's 5000 by default). */
  rateLimit?: number;
}

/**
 * The emulator's fastify app without listening: GitHub's REST routes (every group of routes/index.ts)
 * behind the API hooks, git smart HTTP at `/<owner>/<repo>.git`, and the control API under /_emulator/.
 */
export async function buildEmulatorApp(deps: EmulatorDeps): Promise<FastifyInstance> {
  const state = deps.state ?? new EmulatorState();
  const urls = deps.urls ?? new Urls();
  const emu: EmulatorContext = {
    state,
    urls,
    git: deps.git,
    logger: deps.logger,
    webhooks: new WebhookEmitter({ state, urls }, deps.logger),
    limits: new RateLimiter(deps.rateLimit ?? 5000),
    faults: new FaultInjector(),
    openapi: await OpenApiIndex.load(),
    pushListeners: [],
  };
  const app = createServer({ name: 'github-emulator', logger: deps.logger, bodyLimit: 25 << 20 });
  app.decorate('emu', emu);
  registerApiHooks(app);
  for (const group of routeGroups) {
    await app.register((child, _opts, done) => {
      group.register(child);
      done();
    });
  }
  await app.register(smartHttpRoutes, {
    root: deps.git.root,
    logger: deps.logger,
    authorize: (owner, repo, service, authorization) => gitAccess(emu, owner, repo, service, authorization),
    onPush: async (owner, repoName, updates, pusher) => {
      const repo = state.repoByName(owner, repoName);
      if (!repo) return;
      const sender = (pusher === undefined ? undefined : state.accountByLogin(pusher)) ?? state.account(repo.ownerId);
      await handlePush(emu, repo, updates, sender);
    },
  });
  await app.register(controlRoutes, { prefix: '/_emulator' });
  return app;
}
