import { describe, expect, it } from 'vitest';
import { formatResponse } from './respond.ts';

describe('formatResponse', () => {
  it('mentions the user, quotes every line of the command and links it', () => {
    const text = formatResponse('alice', 'you cannot assign bob.', '/assign @bob\n/cc @carol', 'https://github.test/o/r/issues/1#c1');
    expect(text.startsWith('@alice: you cannot assign bob.\n')).toBe(true);
    expect(text).toContain('In response to [this](https://github.test/o/r/issues/1#c1):');
    expect(text).toContain('> /assign @bob\n> /cc @carol');
    expect(text).toContain('</details>');
  });
});
