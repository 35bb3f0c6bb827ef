import type { GraphQLResolveInfo } from 'graphql';
import { argumentError, intArg, stringArg, type Args, type Model } from './model.ts';

/** GitHub's page size cap on every connection. */
export const maxPageSize = 100;

/** An opaque cursor for the item at `index` (GitHub's `Y3Vyc29yOjE=` is `cursor:1`). */
export function encodeCursor(index: number): string {
  return Buffer.from(`cursor:${index + 1}`).toString('base64');
}

function decodeCursor(cursor: string): number {
  const m = /^cursor:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!m?.[1]) throw argumentError(`\`${cursor}\` does not appear to be a valid cursor.`);
  return Number(m[1]) - 1;
}

/** The slice of `length` items a connection's `first/after/last/before` select, checked as GitHub checks them. */
export function pageWindow(args: Args, length: number, field: string): { start: number; end: number } {
  const first = intArg(args, 'first');
  const last = intArg(args, 'last');
  if (first === undefined && last === undefined) {
    throw argumentError(`You must provide a \`first\` or \`last\` value to properly paginate the \`${field}\` connection.`);
  }
  if (first !== undefined && last !== undefined) {
    throw argumentError(`Passing both \`first\` and \`last\` to paginate the \`${field}\` connection is not supported.`);
  }
  for (const [name, n] of [['first', first], ['last', last]] as const) {
    if (n === undefined) continue;
    if (n < 0) throw argumentError(`\`${name}\` on the \`${field}\` connection cannot be less than zero.`);
    if (n > maxPageSize) {
      throw argumentError(`Requesting ${n} records on the \`${field}\` connection exceeds the \`${name}\` limit of ${maxPageSize} records.`);
    }
  }
  const after = stringArg(args, 'after');
  const before = stringArg(args, 'before');
  let start = after === undefined ? 0 : Math.min(length, decodeCursor(after) + 1);
  let end = before === undefined ? length : Math.max(start, Math.min(length, decodeCursor(before)));
  if (first !== undefined) end = Math.min(end, start + first);
  if (last !== undefined) start = Math.max(start, end - last);
  return { start, end };
}

/**
 * A connection over an in-memory list: `nodes`, `edges { node cursor }`, `pageInfo` and `totalCount`,
 * with offset cursors (stable enough for lists that only grow at the end while a client pages).
 */
export function connection<T>(
  items: readonly T[],
  args: Args,
  info: GraphQLResolveInfo,
  toNode: (item: T) => unknown,
  extra: Record<string, unknown> = {},
): Model {
  const { start, end } = pageWindow(args, items.length, info.fieldName);
  const page = items.slice(start, end).map(toNode);
  const typeName = info.returnType.toString().replace(/!$/, '');
  return {
    __typename: typeName,
    totalCount: items.length,
    nodes: page,
    edges: page.map((node, i) => ({ __typename: typeName.replace(/Connection$/, 'Edge'), node, cursor: encodeCursor(start + i) })),
    pageInfo: {
      __typename: 'PageInfo',
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: page.length > 0 ? encodeCursor(start) : null,
      endCursor: page.length > 0 ? encodeCursor(end - 1) : null,
    },
    ...extra,
  };
}
