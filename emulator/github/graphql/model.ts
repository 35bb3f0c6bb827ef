import { GraphQLError, type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLTypeResolver } from 'graphql';
import type { GqlContext } from './graphql-context.ts';

/** Arguments of one field, already coerced by graphql-js against the schema. */
export type Args = Readonly<Record<string, unknown>>;

/** A field computed on demand: connections, git lookups, anything with arguments. */
export type FieldFn = (args: Args, ctx: GqlContext, info: GraphQLResolveInfo) => unknown;

/**
 * A GraphQL object as the resolvers build it: `__typename` names the schema type (it answers interfaces
 * and unions), every other key is a field's value or a `FieldFn`. A field the model lacks is one the
 * emulator does not implement, and the answer says so instead of a silent null.
 */
export interface Model {
  readonly __typename: string;
  readonly [field: string]: unknown;
}

/** The GraphQL error for a field the emulator has no data for. */
export function notImplemented(what: string): GraphQLError {
  return new GraphQLError(`The GitHub emulator does not implement ${what}`, { extensions: { type: 'NOT_IMPLEMENTED' } });
}

/** GitHub's `NOT_FOUND` error (`Could not resolve to a Repository with the name 'o/r'.`). */
export function notFoundError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { type: 'NOT_FOUND' } });
}

/** An argument error in GitHub's words (pagination limits, bad enum combinations). */
export function argumentError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { type: 'INVALID_ARGUMENT' } });
}

/** Reads fields off models; see `Model`. */
export const fieldResolver: GraphQLFieldResolver<unknown, GqlContext, Args> = (source, args, ctx, info) => {
  if (source === null || typeof source !== 'object' || !Object.hasOwn(source, info.fieldName)) {
    throw notImplemented(`${info.parentType.name}.${info.fieldName}`);
  }
  const value: unknown = (source as Model)[info.fieldName];
  return typeof value === 'function' ? (value as FieldFn)(args, ctx, info) : value;
};

/** Answers interfaces and unions (`Node`, `Actor`, `SearchResultItem`...) from the model's `__typename`. */
export const typeResolver: GraphQLTypeResolver<unknown, GqlContext> = (value) => (value as Model).__typename;

/** An optional string argument. */
export function stringArg(args: Args, name: string): string | undefined {
  const v = args[name];
  return typeof v === 'string' ? v : undefined;
}

/** An optional integer argument. */
export function intArg(args: Args, name: string): number | undefined {
  const v = args[name];
  return typeof v === 'number' ? v : undefined;
}

/** An optional list-of-strings argument (enum lists arrive as their names). */
export function listArg(args: Args, name: string): string[] | undefined {
  const v = args[name];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
}

/** Types a model field's function (the index signature of `Model` gives no contextual types). */
export function field(fn: FieldFn): FieldFn {
  return fn;
}
