import type { ProwOctokit } from '../../../lib/github/prow-octokit.ts';

const enterpriseRestSuffix = /\/api\/v3\/?$/;

/** A GraphQL answer that carried errors; `data` is whatever part GitHub answered. */
export class GraphqlErrors extends Error {
  readonly errors: readonly { message: string; type?: string }[];
  readonly data: unknown;

  constructor(errors: readonly { message: string; type?: string }[], data: unknown) {
    super(`GitHub GraphQL answered with errors: ${errors.map((e) => e.message).join('; ')}`);
    this.name = 'GraphqlErrors';
    this.errors = errors;
    this.data = data;
  }
}

/**
 * POSTs one GraphQL document with its variables through the composed Octokit (so throttling, retries and
 * request logging apply). Octokit's `graphql()` reserves the variable name `query`, and Tide's search
 * document names its search string `$query`, so the request is made here; the URL is chosen as
 * `@octokit/graphql` chooses it (`/graphql`, or `/api/graphql` on GitHub Enterprise).
 */
export async function graphqlRequest<T>(
  github: ProwOctokit,
  document: string,
  variables: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<T> {
  const baseUrl = github.request.endpoint.DEFAULTS.baseUrl;
  const url = enterpriseRestSuffix.test(baseUrl) ? baseUrl.replace(enterpriseRestSuffix, '/api/graphql') : '/graphql';
  const response = await github.request({ method: 'POST', url, query: document, variables, ...(signal ? { request: { signal } } : {}) });
  const body = response.data as { data?: T | null; errors?: { message: string; type?: string }[] };
  if (body.errors !== undefined && body.errors.length > 0) throw new GraphqlErrors(body.errors, body.data);
  if (body.data === undefined || body.data === null) throw new GraphqlErrors([{ message: 'no data in the answer' }], body.data);
  return body.data;
}
