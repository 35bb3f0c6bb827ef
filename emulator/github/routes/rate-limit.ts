import type { FastifyInstance } from 'fastify';

/** GET /rate_limit: the caller's budgets (the call itself is free on GitHub, and here). */
export function rateLimitRoutes(app: FastifyInstance): void {
  const { emu } = app;
  app.get('/rate_limit', (req) => {
    const key = req.rate?.key ?? `anon:${req.ip}`;
    const u = emu.limits.usage(key);
    const core = { limit: u.limit, used: u.cost, remaining: u.remaining, reset: u.reset };
    const other = (limit: number): Record<string, number> => ({ limit, used: 0, remaining: limit, reset: u.reset });
    return {
      resources: { core, search: other(30), graphql: other(u.limit), integration_manifest: other(5000), code_search: other(10) },
      rate: core,
    };
  });
}
