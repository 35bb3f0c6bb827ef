import { describe, expect, it } from 'vitest';
import { OpenApiIndex } from './openapi-index.ts';

describe('OpenApiIndex', () => {
  it('matches paths to operations, literal segments first, refs with slashes whole', async () => {
    const index = await OpenApiIndex.load();
    expect(index.match('GET', '/repos/o/r/issues/comments')?.operationId).toBe('issues/list-comments-for-repo');
    expect(index.match('GET', '/repos/o/r/issues/12')?.operationId).toBe('issues/get');
    expect(index.match('HEAD', '/repos/o/r')?.operationId).toBe('repos/get');
    expect(index.match('GET', '/repos/o/r/git/ref/heads/feature/x')?.operationId).toBe('git/get-ref');
    expect(index.match('GET', '/repos/o/r/contents/docs/a/b.md')?.operationId).toBe('repos/get-content');
    expect(index.match('DELETE', '/user')).toBeUndefined();
    expect(index.match('GET', '/no/such/path')).toBeUndefined();
    expect(await OpenApiIndex.load()).toBe(index);
  });

  it('validates bodies with nullable fields and $refs as GitHub words errors', async () => {
    const index = await OpenApiIndex.load();
    const create = index.match('POST', '/repos/o/r/issues');
    const update = index.match('PATCH', '/repos/o/r/issues/1');
    const status = index.match('POST', '/repos/o/r/statuses/abc');
    if (!create || !update || !status) throw new Error('operations missing from the spec');
    expect(index.validateBody(create, { title: 'x', labels: ['a', { name: 'b' }], milestone: null })).toEqual([]);
    expect(index.validateBody(create, { body: 'no title' })).toEqual([`"title" wasn't supplied.`]);
    expect(index.validateBody(update, { state: 'bogus' })).toEqual([`For 'state', "bogus" must be equal to one of the allowed values.`]);
    expect(index.validateBody(update, { state_reason: null, assignee: null })).toEqual([]);
    expect(index.validateBody(status, { state: 'success', target_url: null })).toEqual([]);
    expect(index.validateBody(status, { state: 'great' })).toHaveLength(1);
  });
});
