import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { PluginConfig } from '../../../lib/config/index.ts';
import { memoryLogger } from '../../../test/helpers/memory-logger.ts';
import { classifyError } from './classify-error.ts';
import { ExternalPluginUnreachable, externalPluginsFor, postToExternalPlugin } from './external-plugins.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => { r(); }))));
});

/** A server that drops the first `drops` connections without answering, then answers `status`. */
async function flakyServer(drops: number, status: number): Promise<{ url: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    req.resume();
    if (hits <= drops) {
      req.socket.destroy();
      return;
    }
    res.statusCode = status;
    res.end('answer');
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, hits: () => hits };
}

const delivery = { body: '{"zen":"ok"}', headers: { 'x-github-event': 'ping' } };

describe('external plugins', () => {
  it("picks the org's and the repo's entries that take the event; endpoint defaults to http://<name>", () => {
    const config = {
      plugins: {},
      external_plugins: {
        acme: [{ name: 'cherrypicker', events: ['issue_comment', 'pull_request'] }, { name: 'all', endpoint: 'http://all:8080' }],
        'acme/widgets': [{ name: 'needs-rebase', endpoint: 'http://nr', events: ['pull_request'] }],
        'acme/other': [{ name: 'elsewhere', endpoint: 'http://x' }],
      },
    } as PluginConfig;
    expect(externalPluginsFor(config, 'acme', 'widgets', 'pull_request').map((p) => [p.name, p.endpoint])).toEqual([
      ['cherrypicker', 'http://cherrypicker'],
      ['all', 'http://all:8080'],
      ['needs-rebase', 'http://nr'],
    ]);
    expect(externalPluginsFor(config, 'acme', 'widgets', 'push').map((p) => p.name)).toEqual(['all']);
    expect(externalPluginsFor(config, 'acme', undefined, 'organization').map((p) => p.name)).toEqual(['all']);
  });

  it('retries transport failures with backoff and stops at the first answer', async () => {
    const server = await flakyServer(2, 200);
    await postToExternalPlugin({ name: 'x', endpoint: server.url, events: [] }, delivery, memoryLogger().logger, { baseDelayMs: 1 });
    expect(server.hits()).toBe(3);
  });

  it('does not retry an answer other than 2xx; it logs it', async () => {
    const server = await flakyServer(0, 503);
    const logs = memoryLogger();
    await postToExternalPlugin({ name: 'x', endpoint: server.url, events: [] }, delivery, logs.logger, { baseDelayMs: 1 });
    expect(server.hits()).toBe(1);
    expect(logs.lines).toEqual([expect.objectContaining({ level: 40, status: 503, msg: 'external plugin x answered 503' })]);
  });

  it('gives up after the retries with an error the worker retries later', async () => {
    const server = await flakyServer(100, 200);
    const err: unknown = await postToExternalPlugin({ name: 'x', endpoint: server.url, events: [] }, delivery, memoryLogger().logger, {
      retries: 3,
      baseDelayMs: 1,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExternalPluginUnreachable);
    expect(server.hits()).toBe(4);
    expect(classifyError(err)).toEqual({ kind: 'retry' });
  });
});
