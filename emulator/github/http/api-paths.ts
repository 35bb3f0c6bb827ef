/** Paths that are not GitHub's REST API: no OpenAPI check, no auth, no rate limit. */
export function isInternalPath(path: string): boolean {
  return (
    path.startsWith('/_emulator/') ||
    path === '/healthz' ||
    path === '/metrics' ||
    /^\/[^/]+\/[^/]+\/(info\/refs|git-upload-pack|git-receive-pack)$/.test(path)
  );
}

/** GitHub's GraphQL endpoint: authenticated and rate limited, but outside the REST description. */
export function isGraphqlPath(path: string): boolean {
  return path === '/graphql' || path === '/api/graphql';
}

/** The path of a request URL without the query string. */
export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}
