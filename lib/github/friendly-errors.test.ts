import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../test/helpers/memory-logger.ts';
import { isProwError } from '../errors.ts';
import { createGitHubClient } from './github-client.ts';
import { toFriendlyError } from './friendly-errors.ts';

/** A URL nobody listens on: a port the kernel just handed out and took back. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => { resolve(); }));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return `http://127.0.0.1:${address.port}`;
}

describe('friendly GitHub errors', () => {
  it('turns a refused connection into PROW_ERR_GITHUB_UNREACHABLE naming the URL, after retrying', async () => {
    const url = await closedPortUrl();
    const mem = memoryLogger();
    const client = createGitHubClient({
      credentials: { kind: 'token', token: 'ghp_0123456789abcdefghijABCDEFGHIJ012345' },
      baseUrl: url,
      logger: mem.logger,
      retries: { retries: 2, retryAfterBaseValue: 1 },
    });
    const err: unknown = await client.octokit.rest.users.getAuthenticated().catch((e: unknown) => e);
    expect(isProwError(err, 'PROW_ERR_GITHUB_UNREACHABLE')).toBe(true);
    expect((err as Error).message).toContain(url);
    const attempts = mem.lines.filter((l) => l.route === '/user');
    expect(attempts).toHaveLength(3);
    expect(attempts.every((l) => l.level === 40 && l.status === undefined)).toBe(true);
  });

  it('leaves errors that are not GitHub request failures alone', () => {
    const plain = new Error('boom');
    expect(toFriendlyError(plain, 'https://api.github.com')).toBe(plain);
  });
});
