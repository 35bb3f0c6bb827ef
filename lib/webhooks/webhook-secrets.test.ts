import { describe, expect, it } from 'vitest';
import { isProwError } from '../errors.ts';
import { parseWebhookSecret } from './webhook-secrets.ts';

const keysOf = (text: string, payload: Record<string, unknown>): string[] => {
  const s = parseWebhookSecret(text);
  return s.allowedFor(payload).map((i) => s.keys[i]?.toString() ?? '');
};

const repoEvent = (fullName: string) => ({ repository: { full_name: fullName }, organization: { login: fullName.split('/')[0] } });

const hierarchy = `
'*':
  - value: global-key
    created_at: 2020-01-01T00:00:00Z
acme:
  - value: acme-old
    created_at: 2020-01-01T00:00:00Z
  - value: acme-new
    created_at: 2024-06-01T00:00:00Z
acme/widgets:
  - value: widgets-key
`;

describe('parseWebhookSecret', () => {
  it('takes a file that is not a YAML map as one token, trimmed', () => {
    expect(keysOf('  s3cret-token\n', repoEvent('any/repo'))).toEqual(['s3cret-token']);
    expect(keysOf('0123456789abcdef', {})).toEqual(['0123456789abcdef']);
  });

  it('lets the most specific level win exclusively: repo, else org, else *', () => {
    expect(keysOf(hierarchy, repoEvent('acme/widgets'))).toEqual(['widgets-key']);
    expect(keysOf(hierarchy, repoEvent('acme/gadgets'))).toEqual(['acme-old', 'acme-new']);
    expect(keysOf(hierarchy, repoEvent('other/thing'))).toEqual(['global-key']);
    expect(keysOf(hierarchy, repoEvent('ACME/Widgets'))).toEqual(['widgets-key']);
  });

  it('uses organization.login for org-level events and * for events with neither', () => {
    expect(keysOf(hierarchy, { organization: { login: 'acme' } })).toEqual(['acme-old', 'acme-new']);
    expect(keysOf(hierarchy, { zen: 'hello' })).toEqual(['global-key']);
  });

  it('allows no key when no level applies and there is no *', () => {
    expect(keysOf('acme:\n  - value: k\n', repoEvent('other/repo'))).toEqual([]);
  });

  it('lists every distinct key once, for bodies whose repository cannot be read', () => {
    const s = parseWebhookSecret(hierarchy);
    expect(s.all.map((i) => s.keys[i]?.toString())).toEqual(['global-key', 'acme-old', 'acme-new', 'widgets-key']);
  });

  it.each([
    ['an empty file', '  \n'],
    ['a level that is not a list', 'acme: just-a-string\n'],
    ['an empty list', 'acme: []\n'],
    ['an entry without value', 'acme:\n  - created_at: 2020-01-01\n'],
    ['an empty value', "acme:\n  - value: ''\n"],
    ['an unknown key', 'acme:\n  - value: k\n    vaule: typo\n'],
  ])('refuses %s with PROW_ERR_WEBHOOK_SECRET_INVALID', (_what, text) => {
    let caught: unknown;
    try {
      parseWebhookSecret(text);
    } catch (err) {
      caught = err;
    }
    expect(isProwError(caught, 'PROW_ERR_WEBHOOK_SECRET_INVALID')).toBe(true);
  });
});
