import { describe, expect, it } from 'vitest';
import examples from '@octokit/webhooks-examples' with { type: 'json' };
import { stripHtmlComments, toGenericComment } from './generic-comment.ts';

interface Definition {
  name: string;
  examples: { action?: string }[];
}
const definitions = examples as unknown as Definition[];
function example(name: string, action: string): unknown {
  const found = definitions.find((d) => d.name === name)?.examples.find((e) => e.action === action);
  if (!found) throw new Error(`no ${name}.${action} example`);
  return found;
}

describe('toGenericComment', () => {
  it('takes a new issue comment as created, on an issue or a PR', () => {
    const c = toGenericComment('issue_comment', example('issue_comment', 'created'));
    expect(c?.action).toBe('created');
    expect(c?.source).toBe('issue_comment');
    expect(c?.commentId).toBeTypeOf('number');
    expect(c?.author).not.toBe('');
    expect(c?.org).not.toBe('');
  });

  it('treats an opened PR body and a submitted review like comments, as Prow does', () => {
    const pr = toGenericComment('pull_request', example('pull_request', 'opened'));
    expect(pr).toMatchObject({ action: 'created', isPR: true, source: 'pull_request', commentId: undefined });
    const review = toGenericComment('pull_request_review', example('pull_request_review', 'submitted'));
    expect(review).toMatchObject({ action: 'created', isPR: true, source: 'pull_request_review' });
    expect(toGenericComment('pull_request_review', example('pull_request_review', 'dismissed'))?.action).toBe('deleted');
  });

  it('ignores events with no comment-like text', () => {
    expect(toGenericComment('pull_request', example('pull_request', 'synchronize'))).toBeUndefined();
    expect(toGenericComment('pull_request', example('pull_request', 'labeled'))).toBeUndefined();
    expect(toGenericComment('push', definitions.find((d) => d.name === 'push')?.examples[0])).toBeUndefined();
  });
});

describe('stripHtmlComments', () => {
  it('drops commented-out commands, even an unterminated comment at the end', () => {
    expect(stripHtmlComments('/lgtm\n<!-- /hold -->\n/approve')).toBe('/lgtm\n\n/approve');
    expect(stripHtmlComments('/assign\n<!-- /hold')).toBe('/assign\n');
  });
});
