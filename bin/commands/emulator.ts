import { parseArgs } from 'node:util';
import { ProwError } from '../../lib/errors.ts';
import { closeOnSignals } from '../../lib/http/shutdown.ts';
import { createLogger } from '../../lib/log.ts';
import { EmulatorControl, startEmulator } from '../../emulator/github/index.ts';
import type { Permission } from '../../emulator/github/control/control-types.ts';
import type { Command } from './types.ts';

const usage = `usage: prow emulator <verb> [options]

Runs the GitHub emulator, or drives a running one through its control API (each verb prints JSON).

verbs:
  serve [--port N] [--host H] [--data-dir D] [--rate-limit N] [--demo]
      run the emulator until SIGTERM/SIGINT; prints its URL (and with --demo, the demo users' tokens)
  create-user --login L [--name N] [--email E]
  create-org --login O [--admins a,b] [--members c,d]
  create-repo --repo OWNER/NAME [--private] [--default-branch B] [--collaborator LOGIN=PERMISSION ...]
  create-team --org O --name N [--members a,b] [--team-repo OWNER/NAME=PERMISSION ...]
  commit --repo OWNER/NAME --branch B [--from REF] --file PATH=CONTENT ... [--message M] [--as LOGIN]
      push a commit (as LOGIN: the push event's sender)
  create-pr --as LOGIN --repo OWNER/NAME --head B [--base B] --title T [--body TEXT] [--file PATH=CONTENT ...] [--draft]
      open a pull request by LOGIN, committing the files on its head branch first when given
  add-webhook (--repo OWNER/NAME | --org O) --hook-url U [--secret S] [--events a,b]
  create-app --slug S [--permission NAME=LEVEL ...] [--hook-url U] [--secret S]
  install-app --app-id N --account LOGIN
  comment --as LOGIN --repo OWNER/NAME --number N --body TEXT
  review --as LOGIN --repo OWNER/NAME --number N --event APPROVE|REQUEST_CHANGES|COMMENT [--body TEXT]
  rate-limit --limit N [--token T]     set the hourly budget (of one token, or of every token)
  usage [--token T]
  deliveries
  fault --count N [--status S] [--method M] [--path PREFIX] [--secondary]
  demo          seed the demo org, users and repo into a running emulator

common options:
  --url U       the running emulator (default http://127.0.0.1:8888)`;

const options = {
  url: { type: 'string', default: 'http://127.0.0.1:8888' },
  port: { type: 'string', default: '8888' },
  host: { type: 'string', default: '127.0.0.1' },
  'data-dir': { type: 'string' },
  'rate-limit': { type: 'string' },
  demo: { type: 'boolean', default: false },
  login: { type: 'string' },
  name: { type: 'string' },
  email: { type: 'string' },
  admins: { type: 'string' },
  members: { type: 'string' },
  repo: { type: 'string' },
  org: { type: 'string' },
  private: { type: 'boolean', default: false },
  'default-branch': { type: 'string' },
  collaborator: { type: 'string', multiple: true },
  branch: { type: 'string' },
  from: { type: 'string' },
  file: { type: 'string', multiple: true },
  message: { type: 'string' },
  'hook-url': { type: 'string' },
  secret: { type: 'string' },
  events: { type: 'string' },
  slug: { type: 'string' },
  permission: { type: 'string', multiple: true },
  'app-id': { type: 'string' },
  account: { type: 'string' },
  as: { type: 'string' },
  number: { type: 'string' },
  body: { type: 'string' },
  token: { type: 'string' },
  count: { type: 'string' },
  status: { type: 'string' },
  method: { type: 'string' },
  path: { type: 'string' },
  secondary: { type: 'boolean', default: false },
  head: { type: 'string' },
  base: { type: 'string' },
  title: { type: 'string' },
  draft: { type: 'boolean', default: false },
  event: { type: 'string' },
  limit: { type: 'string' },
  'team-repo': { type: 'string', multiple: true },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

/** What `seedDemo` created: the demo users' tokens and the repo with a change waiting on a branch. */
export interface DemoSeed {
  org: string;
  repo: string;
  tokens: Record<string, string>;
  baseBranch: string;
  changeBranch: string;
  baseSha: string;
  headSha: string;
  /** The open pull request of `changeBranch` into `baseBranch`. */
  pullNumber: number;
}

/**
 * Seeds the demo world `npm start` shows: org `prow-demo` (admin `demo-admin`, member `demo-contributor`),
 * repo `prow-demo/hello` with an OWNERS file, and branch `demo-change` with a change, open as a pull request.
 * With `hook`, the org's webhook points there.
 */
export async function seedDemo(control: EmulatorControl, hook?: { url: string; secret: string }): Promise<DemoSeed> {
  const admin = await control.createUser({ login: 'demo-admin', name: 'Demo Admin' });
  const contributor = await control.createUser({ login: 'demo-contributor', name: 'Demo Contributor' });
  await control.createOrg({ login: 'prow-demo', name: 'Prow Demo', admins: ['demo-admin'], members: ['demo-contributor'] });
  if (hook) await control.addWebhook({ owner: 'prow-demo', url: hook.url, secret: hook.secret });
  const repo = await control.createRepo({
    owner: 'prow-demo',
    name: 'hello',
    description: 'A tiny repository to try prow-ts on',
    files: {
      'README.md': '# hello\n\nA tiny repository to try prow-ts on.\n',
      'hello.sh': '#!/bin/sh\necho "hello, world"\n',
      'test.sh': '#!/bin/sh\nset -e\n[ "$(sh hello.sh | head -n 1)" = "hello, world" ]\necho ok\n',
      OWNERS: 'approvers:\n- demo-admin\nreviewers:\n- demo-contributor\n',
    },
  });
  const change = await control.commitFiles({
    owner: 'prow-demo',
    repo: 'hello',
    branch: 'demo-change',
    from: repo.defaultBranch,
    files: { 'hello.sh': '#!/bin/sh\necho "hello, world"\necho "greetings from a pull request"\n' },
    message: 'Greet from the demo change',
    author: { name: 'Demo Contributor', email: 'demo-contributor@users.noreply.emulator' },
    pusher: 'demo-contributor',
  });
  const pull = await control.createPullRequest({
    owner: 'prow-demo',
    repo: 'hello',
    author: 'demo-contributor',
    head: 'demo-change',
    title: 'Greet from the demo change',
    body: 'A small change to try the bot on: comment `/lgtm` or `/approve`.',
  });
  return {
    org: 'prow-demo',
    repo: 'prow-demo/hello',
    tokens: { 'demo-admin': admin.token, 'demo-contributor': contributor.token },
    baseBranch: repo.defaultBranch,
    changeBranch: 'demo-change',
    baseSha: repo.sha,
    headSha: change.sha,
    pullNumber: pull.number,
  };
}

function need(values: Values, name: keyof Values): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new ProwError('PROW_ERR_USAGE', `--${name} is required here`);
  return v;
}

function repoArg(values: Values): { owner: string; repo: string } {
  const [owner, repo, extra] = need(values, 'repo').split('/');
  if (!owner || !repo || extra !== undefined) throw new ProwError('PROW_ERR_USAGE', `--repo must be OWNER/NAME, not "${values.repo ?? ''}"`);
  return { owner, repo };
}

function pairs(list: readonly string[] | undefined, flag: string): [string, string][] {
  return (list ?? []).map((item) => {
    const i = item.indexOf('=');
    if (i <= 0) throw new ProwError('PROW_ERR_USAGE', `--${flag} must be KEY=VALUE, not "${item}"`);
    return [item.slice(0, i), item.slice(i + 1)];
  });
}

function intArg(values: Values, name: keyof Values): number {
  const n = Number(need(values, name));
  if (!Number.isInteger(n) || n < 0) throw new ProwError('PROW_ERR_USAGE', `--${name} must be a whole number`);
  return n;
}

function list(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(',').filter((s) => s !== '');
}

async function serve(values: Values): Promise<number> {
  const port = intArg(values, 'port');
  const logger = createLogger({ level: 'info', name: 'github-emulator' });
  const emu = await startEmulator({
    port,
    host: values.host,
    logger,
    ...(values['data-dir'] === undefined ? {} : { dataDir: values['data-dir'] }),
    ...(values['rate-limit'] === undefined ? {} : { rateLimit: intArg(values, 'rate-limit') }),
  });
  const demo = values.demo ? await seedDemo(emu.control) : undefined;
  console.log(JSON.stringify({ url: emu.url, graphql: `${emu.url}/graphql`, ...(demo ? { demo } : {}) }, null, 2));
  closeOnSignals([{ name: 'github-emulator', close: () => emu.close() }], logger);
  await new Promise<never>(() => undefined);
  return 0;
}

/** Calls the emulator's REST API as the user `--as`, the way that user's own client would. */
async function asUser(control: EmulatorControl, values: Values, path: string, body: unknown, what: string): Promise<unknown> {
  const { token } = await control.createToken(need(values, 'as'));
  const res = await fetch(`${control.baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `token ${token}`, 'content-type': 'application/json', accept: 'application/vnd.github+json' },
    body: JSON.stringify(body),
  });
  const answer: unknown = await res.json();
  if (!res.ok) throw new ProwError('PROW_ERR_USAGE', `the emulator refused the ${what}: ${res.status} ${JSON.stringify(answer)}`);
  return answer;
}

function comment(control: EmulatorControl, values: Values): Promise<unknown> {
  const { owner, repo } = repoArg(values);
  return asUser(control, values, `/repos/${owner}/${repo}/issues/${intArg(values, 'number')}/comments`, { body: need(values, 'body') }, 'comment');
}

function review(control: EmulatorControl, values: Values): Promise<unknown> {
  const { owner, repo } = repoArg(values);
  const event = need(values, 'event').toUpperCase();
  if (!['APPROVE', 'REQUEST_CHANGES', 'COMMENT'].includes(event)) throw new ProwError('PROW_ERR_USAGE', `--event must be APPROVE, REQUEST_CHANGES or COMMENT, not "${event}"`);
  const body = values.body === undefined ? { event } : { event, body: values.body };
  return asUser(control, values, `/repos/${owner}/${repo}/pulls/${intArg(values, 'number')}/reviews`, body, 'review');
}

async function control(verb: string, values: Values): Promise<unknown> {
  const c = new EmulatorControl(values.url);
  switch (verb) {
    case 'create-user':
      return c.createUser({ login: need(values, 'login'), ...(values.name === undefined ? {} : { name: values.name }), ...(values.email === undefined ? {} : { email: values.email }) });
    case 'create-org': {
      const admins = list(values.admins);
      const members = list(values.members);
      return c.createOrg({ login: need(values, 'login'), ...(admins ? { admins } : {}), ...(members ? { members } : {}) });
    }
    case 'create-repo': {
      const { owner, repo } = repoArg(values);
      return c.createRepo({
        owner,
        name: repo,
        private: values.private,
        ...(values['default-branch'] === undefined ? {} : { defaultBranch: values['default-branch'] }),
        collaborators: Object.fromEntries(pairs(values.collaborator, 'collaborator')) as Record<string, Permission>,
      });
    }
    case 'commit': {
      const { owner, repo } = repoArg(values);
      return c.commitFiles({
        owner,
        repo,
        branch: need(values, 'branch'),
        ...(values.from === undefined ? {} : { from: values.from }),
        files: Object.fromEntries(pairs(values.file, 'file')),
        message: values.message ?? 'Update files',
        ...(values.as === undefined ? {} : { pusher: values.as }),
      });
    }
    case 'create-team': {
      const members = list(values.members);
      return c.createTeam({
        org: need(values, 'org'),
        name: need(values, 'name'),
        ...(members ? { members } : {}),
        repos: Object.fromEntries(pairs(values['team-repo'], 'team-repo')) as Record<string, Permission>,
      });
    }
    case 'create-pr': {
      const { owner, repo } = repoArg(values);
      const files = pairs(values.file, 'file');
      return c.createPullRequest({
        owner,
        repo,
        author: need(values, 'as'),
        head: need(values, 'head'),
        ...(values.base === undefined ? {} : { base: values.base }),
        title: need(values, 'title'),
        ...(values.body === undefined ? {} : { body: values.body }),
        ...(files.length > 0 ? { files: Object.fromEntries(files) } : {}),
        draft: values.draft,
      });
    }
    case 'add-webhook': {
      const events = list(values.events);
      const target = values.org === undefined ? repoArg(values) : { owner: values.org };
      return c.addWebhook({ ...target, url: need(values, 'hook-url'), secret: values.secret ?? '', ...(events ? { events } : {}) });
    }
    case 'create-app':
      return c.createApp({
        slug: need(values, 'slug'),
        permissions: Object.fromEntries(pairs(values.permission, 'permission')),
        ...(values['hook-url'] === undefined ? {} : { webhookUrl: values['hook-url'], webhookSecret: values.secret ?? '' }),
      });
    case 'install-app':
      return c.installApp({ appId: intArg(values, 'app-id'), account: need(values, 'account') });
    case 'comment':
      return comment(c, values);
    case 'review':
      return review(c, values);
    case 'rate-limit':
      await c.setRateLimit(intArg(values, 'limit'), values.token);
      return { ok: true };
    case 'usage':
      return c.usage(values.token);
    case 'deliveries':
      return c.deliveries();
    case 'fault':
      await c.faults({
        count: intArg(values, 'count'),
        ...(values.status === undefined ? {} : { status: intArg(values, 'status') }),
        ...(values.method === undefined ? {} : { method: values.method }),
        ...(values.path === undefined ? {} : { pathPrefix: values.path }),
        secondaryRateLimit: values.secondary,
      });
      return { ok: true };
    case 'demo':
      return seedDemo(c);
    default:
      throw new ProwError('PROW_ERR_USAGE', `unknown emulator verb "${verb}"`);
  }
}

/** `prow emulator`: run the GitHub emulator, or drive a running one. */
export const emulator: Command = {
  name: 'emulator',
  summary: 'run the GitHub emulator, or seed and inspect a running one',
  usage,
  async run(argv) {
    let parsed;
    try {
      parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    } catch (err) {
      throw new ProwError('PROW_ERR_USAGE', err instanceof Error ? err.message : String(err));
    }
    const [verb, ...rest] = parsed.positionals;
    if (verb === undefined) throw new ProwError('PROW_ERR_USAGE', 'name a verb: serve, create-user, create-repo, comment, ...');
    if (rest.length > 0) throw new ProwError('PROW_ERR_USAGE', `unexpected arguments: ${rest.join(' ')}`);
    if (verb === 'serve') return serve(parsed.values);
    console.log(JSON.stringify(await control(verb, parsed.values), null, 2));
    return 0;
  },
};
