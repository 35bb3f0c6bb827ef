import { describe, expect, it } from 'vitest';
import { ProwError } from '../../../lib/errors.ts';
import { mergeTemplateFor, renderMergeTemplate } from './commit-message.ts';
import type { LandingPull } from './types.ts';

const pull: LandingPull = { org: 'acme', repo: 'widgets', number: 7, author: 'alice', title: 'Fix it', body: 'Details.', baseRef: 'main', headRefName: 'fix', headSha: 'a'.repeat(40) };

describe('merge_commit_template', () => {
  it('is looked up for org/repo first, then for the org', () => {
    const templates = { acme: { title: 'org' }, 'acme/widgets': { title: 'repo' } };
    expect(mergeTemplateFor(templates, 'acme', 'widgets')).toEqual({ title: 'repo' });
    expect(mergeTemplateFor(templates, 'acme', 'gadgets')).toEqual({ title: 'org' });
    expect(mergeTemplateFor(templates, 'other', 'widgets')).toBeUndefined();
  });

  it('renders over Tide’s PR fields, leaves an absent part to GitHub, and refuses a field Tide’s PR lacks', () => {
    expect(renderMergeTemplate({ title: '{{.Title}} (#{{.Number}}) by {{.GitHub.Author.Login}}' }, pull)).toEqual({ title: 'Fix it (#7) by alice', body: undefined });
    let err: unknown;
    try {
      renderMergeTemplate({ body: '{{.Nope}}' }, pull);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProwError);
    expect((err as ProwError).code).toBe('PROW_ERR_TEMPLATE_INVALID');
  });
});
