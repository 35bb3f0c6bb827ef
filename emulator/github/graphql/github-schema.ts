import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from 'graphql';

let schemaPromise: Promise<GraphQLSchema> | undefined;

/**
 * The package's ESM index parses the JSON and builds a second schema for its `validate` (1.4 s), and its
 * `exports` hide `schema.json`: so the file is found through the resolver's search paths and read alone.
 */
function schemaJsonPath(): string {
  const paths = createRequire(import.meta.url).resolve.paths('@octokit/graphql-schema') ?? [];
  for (const dir of paths) {
    const candidate = join(dir, '@octokit', 'graphql-schema', 'schema.json');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('@octokit/graphql-schema is not installed: the GraphQL endpoint needs its schema.json');
}

/** GitHub's real GraphQL schema (1,600 types, no resolvers), built once per process on first use. */
export function githubSchema(): Promise<GraphQLSchema> {
  schemaPromise ??= (async () => {
    const json = JSON.parse(await readFile(schemaJsonPath(), 'utf8')) as { data?: IntrospectionQuery } & IntrospectionQuery;
    return buildClientSchema(json.data ?? json);
  })();
  return schemaPromise;
}
