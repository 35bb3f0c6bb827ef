import type { FastifyReply, FastifyRequest } from 'fastify';

/** `per_page` and `page` as GitHub reads them: 30 by default, at most 100, pages from 1. */
export function pageParams(query: unknown): { perPage: number; page: number } {
  const q = (query ?? {}) as Record<string, string | undefined>;
  const perPage = Math.min(100, Math.max(1, Number.parseInt(q.per_page ?? '30', 10) || 30));
  const page = Math.max(1, Number.parseInt(q.page ?? '1', 10) || 1);
  return { perPage, page };
}

/**
 * One page of `items`, with GitHub's `Link` header (`prev`, `next`, `last`, `first`, in that order, each
 * the request URL with only `page` changed).
 */
export function paginate<T>(req: FastifyRequest, reply: FastifyReply, items: readonly T[], baseUrl: string): T[] {
  const { perPage, page } = pageParams(req.query);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const url = new URL(req.url, baseUrl);
  const link = (p: number, rel: string): string => {
    url.searchParams.set('page', String(p));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(Math.min(page - 1, last), 'prev'));
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  if (page > 1) links.push(link(1, 'first'));
  if (links.length > 0) reply.header('link', links.join(', '));
  return items.slice((page - 1) * perPage, page * perPage);
}
