import { execute, GraphQLError, parse, validate, type DocumentNode, type FormattedExecutionResult } from 'graphql';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GitHubError } from '../http/github-error.ts';
import type { GqlContext } from './graphql-context.ts';
import { githubSchema } from './github-schema.ts';
import { MergeabilityCache } from './mergeability-cache.ts';
import { fieldResolver, typeResolver } from './model.ts';
import { nodeCount } from './node-count.ts';
import { queryRoot } from './query-root.ts';

const graphqlDocs = 'https://docs.github.com/graphql';

/** An error in GitHub's GraphQL shape: `type` (NOT_FOUND...) beside the message, not inside extensions. */
function formatError(err: GraphQLError): Record<string, unknown> {
  const { message, locations, path, extensions } = err.toJSON();
  const { type, ...rest } = extensions ?? {};
  return {
    ...(typeof type === 'string' ? { type } : {}),
    ...(path ? { path } : {}),
    ...(Object.keys(rest).length > 0 ? { extensions: rest } : {}),
    ...(locations ? { locations } : {}),
    message,
  };
}

function errorsOnly(reply: FastifyReply, errors: readonly GraphQLError[]): FastifyReply {
  return reply.code(200).send({ errors: errors.map(formatError) });
}

interface GraphqlBody {
  query: string;
  variables: Record<string, unknown>;
  operationName: string | undefined;
}

/** The request body as GitHub accepts it: `{ query, variables?, operationName? }`, or a 400. */
function readBody(body: unknown): GraphqlBody {
  const b = (body ?? {}) as Record<string, unknown>;
  const bad = (message: string): GitHubError => new GitHubError(400, message, { documentationUrl: `${graphqlDocs}/guides/forming-calls-with-graphql` });
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw bad('Problems parsing JSON');
  if (typeof b.query !== 'string') throw bad('A query attribute must be specified and must be a string.');
  const variables = b.variables ?? {};
  if (typeof variables !== 'object' || Array.isArray(variables)) throw bad('Variables must be an object.');
  const operationName = b.operationName;
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') throw bad('operationName must be a string.');
  return { query: b.query, variables: variables as Record<string, unknown>, operationName: typeof operationName === 'string' ? operationName : undefined };
}

/**
 * POST /graphql (and GitHub Enterprise's /api/graphql): queries against GitHub's real schema, answered from
 * the emulator's state by models (see model.ts). Authentication and the rate limit are core's API hooks;
 * each query costs 1 point of the caller's budget (GitHub prices by node count).
 */
export function graphqlRoutes(app: FastifyInstance): void {
  const { emu } = app;
  const mergeability = new MergeabilityCache(emu.git);
  const handler = async (req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    if (!req.actor || !req.rate) {
      throw new GitHubError(401, 'This endpoint requires you to be authenticated.', {
        documentationUrl: `${graphqlDocs}/guides/forming-calls-with-graphql#authenticating-with-graphql`,
      });
    }
    const body = readBody(req.body);
    const schema = await githubSchema();
    let document: DocumentNode;
    try {
      document = parse(body.query);
    } catch (err) {
      if (err instanceof GraphQLError) return errorsOnly(reply, [err]);
      throw err;
    }
    const invalid = validate(schema, document);
    if (invalid.length > 0) return errorsOnly(reply, invalid);
    const ctx: GqlContext = { emu, actor: req.actor, rateKey: req.rate.key, mergeability };
    const result = await execute({
      schema,
      document,
      rootValue: queryRoot(nodeCount(document, body.operationName, body.variables)),
      contextValue: ctx,
      variableValues: body.variables,
      operationName: body.operationName,
      fieldResolver,
      typeResolver,
    });
    const answer: FormattedExecutionResult = { data: result.data ?? null };
    return reply.code(200).send(result.errors ? { ...answer, errors: result.errors.map(formatError) } : answer);
  };
  app.post('/graphql', handler);
  app.post('/api/graphql', handler);
}
