import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fastify, type FastifyInstance } from 'fastify';
import type { PluginConfig } from '../../lib/config/index.ts';
import { memoryLogger } from '../../test/helpers/memory-logger.ts';
import { definePlugin } from '../../plugins/plugin.ts';
import { dropPrefix, uniqueRedis } from '../../test/helpers/redis.ts';
import { buildHookApp } from './app.ts';
import { genericCommentEventName, type ProwHelp } from './plugin-help.ts';
import { parseWebhookSecret } from '../../lib/webhooks/webhook-secrets.ts';

const hold = definePlugin({
  name: 'hold',
  help: {
    description: 'Adds or removes do-not-merge/hold.',
    config: { '': 'Uses the label do-not-merge/hold.' },
    commands: [{ usage: '/[un]hold [cancel]', description: 'Holds a PR.', examples: ['/hold', '/hold cancel'], featured: true, whoCanUse: 'Anyone' }],
  },
  genericComment: () => Promise.resolve(),
});

const size = definePlugin({
  name: 'size',
  help: { description: 'Labels PRs by size.', commands: [] },
  handlers: { 'pull_request.opened': () => Promise.resolve(), 'pull_request.synchronize': () => Promise.resolve(), 'push': () => Promise.resolve() },
});

const redis = uniqueRedis('hook-help');
let external: FastifyInstance;
let help: ProwHelp;

beforeAll(async () => {
  external = fastify();
  external.get('/help', () => ({ Description: 'Cherry-picks merged PRs.', Events: ['issue_comment'], Commands: [{ Usage: '/cherrypick <branch>', Featured: false, Description: 'Cherry-picks.', Examples: ['/cherrypick release-1.0'], WhoCanUse: 'Members' }] }));
  await external.listen({ port: 0, host: '127.0.0.1' });
  const address = external.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const config: PluginConfig = {
    plugins: { acme: { plugins: ['hold'], excluded_repos: [] }, 'acme/widgets': { plugins: ['size'], excluded_repos: [] } },
    external_plugins: {
      acme: [{ name: 'cherrypicker', endpoint: `http://127.0.0.1:${port}` }],
      'acme/widgets': [{ name: 'gone', endpoint: 'http://127.0.0.1:9' }],
    },
  };
  const app = buildHookApp({ logger: memoryLogger().logger, redis, secrets: parseWebhookSecret('x'), pluginConfig: () => config, plugins: [size, hold] });
  const res = await app.inject({ method: 'GET', url: '/plugin-help' });
  expect(res.statusCode).toBe(200);
  help = res.json();
  await app.close();
});

afterAll(async () => {
  await external.close();
  // The app's queue writes its meta key on connecting.
  await dropPrefix(redis);
});

describe('/plugin-help', () => {
  it("lists repos and which plugins each enables, in Prow's Help shape", () => {
    expect(Object.keys(help).sort()).toEqual(['AllRepos', 'ExternalPluginHelp', 'PluginHelp', 'RepoExternalPlugins', 'RepoPlugins']);
    expect(help.AllRepos).toEqual(['acme', 'acme/widgets']);
    expect(help.RepoPlugins).toEqual({ '': ['hold', 'size'], acme: ['hold'], 'acme/widgets': ['size'] });
    expect(help.RepoExternalPlugins).toEqual({ '': ['cherrypicker', 'gone'], acme: ['cherrypicker'], 'acme/widgets': ['gone'] });
  });

  it('describes each plugin with its commands and the events its handlers take', () => {
    expect(help.PluginHelp.hold).toEqual({
      Description: 'Adds or removes do-not-merge/hold.',
      Config: { '': 'Uses the label do-not-merge/hold.' },
      Snippet: '',
      Events: [genericCommentEventName],
      Commands: [{ Usage: '/[un]hold [cancel]', Featured: true, Description: 'Holds a PR.', Examples: ['/hold', '/hold cancel'], WhoCanUse: 'Anyone' }],
    });
    expect(help.PluginHelp.size?.Events).toEqual(['pull_request', 'push']);
  });

  it("includes an external plugin's own help and leaves out one that does not answer", () => {
    expect(help.ExternalPluginHelp.cherrypicker?.Commands[0]?.Usage).toBe('/cherrypick <branch>');
    expect(help.ExternalPluginHelp.gone).toBeUndefined();
  });
});
