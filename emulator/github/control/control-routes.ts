import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';
import type { FaultSpec } from '../http/fault-injector.ts';
import { createOrg, createTeam, createToken, createUser, setOrgMembers } from './account-operations.ts';
import { createApp, installApp } from './app-operations.ts';
import { ControlError } from './control-error.ts';
import type { AddWebhookInput, CommitFilesInput, CreateAppInput, CreateOrgInput, CreateRepoInput, CreateTeamInput, CreateUserInput } from './control-types.ts';
import { pullControl } from './pull-operations.ts';
import { addWebhook, commitFiles, createRepo } from './repo-operations.ts';

function created<T>(reply: FastifyReply, body: T): T {
  reply.code(201);
  return body;
}

/** The control verbs that seed state and read counters; EmulatorControl (emulator-control.ts) calls them. */
function coreControl(app: FastifyInstance): void {
  const { emu } = app;
  app.post<{ Body: CreateUserInput }>('/users', (req, reply) => created(reply, createUser(emu, req.body)));
  app.post<{ Body: { login: string } }>('/tokens', (req, reply) => created(reply, createToken(emu, req.body.login)));
  app.post<{ Body: CreateOrgInput }>('/orgs', (req, reply) => created(reply, createOrg(emu, req.body)));
  app.post<{ Params: { org: string }; Body: { logins: string[]; role?: 'admin' | 'member' } }>('/orgs/:org/members', (req, reply) => {
    setOrgMembers(emu, req.params.org, req.body.logins, req.body.role ?? 'member');
    reply.code(204).send();
  });
  app.post<{ Body: CreateTeamInput }>('/teams', (req, reply) => created(reply, createTeam(emu, req.body)));
  app.post<{ Body: CreateRepoInput }>('/repos', async (req, reply) => created(reply, await createRepo(emu, req.body)));
  app.post<{ Body: CommitFilesInput }>('/commits', async (req, reply) => created(reply, await commitFiles(emu, req.body)));
  app.post<{ Body: AddWebhookInput }>('/hooks', (req, reply) => created(reply, addWebhook(emu, req.body)));
  app.post<{ Body: CreateAppInput }>('/apps', (req, reply) => created(reply, createApp(emu, req.body)));
  app.post<{ Body: { appId: number; account: string } }>('/installations', (req, reply) => created(reply, installApp(emu, req.body.appId, req.body.account)));
  app.get<{ Querystring: { token?: string } }>('/usage', (req) => {
    if (req.query.token !== undefined) return { [req.query.token]: emu.limits.usage(req.query.token) };
    return Object.fromEntries(emu.limits.all());
  });
  app.post<{ Body: { limit: number; token?: string } }>('/rate-limit', (req, reply) => {
    emu.limits.setLimit(req.body.limit, req.body.token);
    reply.code(204).send();
  });
  app.post<{ Body: FaultSpec }>('/faults', (req, reply) => {
    emu.faults.add(req.body);
    reply.code(204).send();
  });
  app.delete('/faults', (_req, reply) => {
    emu.faults.clear();
    reply.code(204).send();
  });
  app.get('/deliveries', () => emu.state.deliveries);
  app.post('/deliveries/wait', async () => {
    await emu.webhooks.idle();
    return { deliveries: emu.state.deliveries.length };
  });
}

/**
 * Control route groups, mounted under /_emulator/. A helper that adds verbs (pull requests, statuses...)
 * adds its plugin here and the matching method to EmulatorControl.
 */
export const controlGroups: readonly ((app: FastifyInstance) => void)[] = [coreControl, pullControl];

/** All control groups, answering ControlErrors as `{ message }` with their status. */
export const controlRoutes: FastifyPluginAsync = async (app) => {
  app.setErrorHandler((err: Error & { statusCode?: number }, _req, reply: FastifyReply) => {
    if (err instanceof ControlError) return reply.code(err.status).send({ message: err.message });
    const status = typeof err.statusCode === 'number' && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) app.log.error({ err }, 'control request failed');
    return reply.code(status).send({ message: err.message });
  });
  for (const group of controlGroups) {
    await app.register((child, _opts, done) => {
      group(child);
      done();
    });
  }
};
