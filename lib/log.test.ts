import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../test/helpers/memory-logger.ts';
import { scrubSecrets } from './log.ts';

const token = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';

describe('logger', () => {
  it('redacts secrets by key, wherever they sit', () => {
    const mem = memoryLogger();
    mem.logger.info({ token, req: { headers: { authorization: `token ${token}` } }, app: { privateKey: 'PEM' } }, 'hello');
    expect(mem.text()).not.toContain(token);
    expect(mem.text()).not.toContain('PEM');
    expect(mem.lines[0]?.msg).toBe('hello');
  });

  it('scrubs token-shaped text from messages', () => {
    const mem = memoryLogger();
    mem.logger.warn(`request failed: Authorization: token ${token}`);
    mem.logger.warn(`bad key github_pat_${'x'.repeat(30)}`);
    expect(mem.text()).not.toContain(token);
    expect(mem.text()).not.toContain('github_pat_x');
    expect(mem.lines.map((l) => l.msg)).toEqual(['request failed: Authorization: token [redacted]', 'bad key [redacted]']);
  });

  it('leaves ordinary text alone', () => {
    expect(scrubSecrets('/assign @octocat please')).toBe('/assign @octocat please');
  });
});
