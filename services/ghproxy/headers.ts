import type { IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http';

/** Headers that belong to one connection (RFC 9110 7.6.1) and never cross the proxy. */
const hopByHop = new Set(['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

/**
 * Prow's request headers for ghproxy itself: the throttling budget and the token's expiry (which Prow's App
 * auth sets); they are read here and not sent to GitHub.
 */
export const budgetHeader = 'x-prow-ghcache-token-budget-identifier';
export const tokenExpiresHeader = 'x-prow-token-expires-at';

/** Headers a stored entry never keeps: they describe one transfer, not the resource. */
const perTransfer = new Set(['content-length', 'content-encoding', 'date', 'set-cookie', 'x-github-request-id', 'x-cache-mode', 'age']);

/** A 304 refreshes every stored header except those describing the stored body. */
const describesBody = new Set(['content-length', 'content-encoding', 'content-type', 'content-range']);

/** Header values as one string or a list, with lower-case names and nothing undefined. */
export type HeaderMap = Record<string, string | string[]>;

function connectionListed(headers: IncomingHttpHeaders): Set<string> {
  const value = headers.connection;
  return new Set((typeof value === 'string' ? value : '').split(',').map((v) => v.trim().toLowerCase()).filter((v) => v !== ''));
}

function copyExcept(headers: IncomingHttpHeaders, drop: (name: string) => boolean): HeaderMap {
  const listed = connectionListed(headers);
  const out: HeaderMap = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || hopByHop.has(name) || listed.has(name) || drop(name)) continue;
    out[name] = value;
  }
  return out;
}

/** What a client's request sends upstream: its own headers minus hop-by-hop ones, Host and Prow's ghproxy headers. */
export function upstreamRequestHeaders(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  return copyExcept(headers, (name) => name === 'host' || name === 'content-length' || name === budgetHeader || name === tokenExpiresHeader);
}

/** An upstream response's headers as a client gets them, minus hop-by-hop ones. */
export function clientResponseHeaders(headers: IncomingHttpHeaders): HeaderMap {
  return copyExcept(headers, () => false);
}

/** The headers an entry keeps: the resource's, not the transfer's. */
export function storedResponseHeaders(headers: IncomingHttpHeaders): HeaderMap {
  return copyExcept(headers, (name) => perTransfer.has(name));
}

/** A stored entry's headers refreshed by a 304's (ETag, rate-limit counters, Date...), as RFC 9111 4.3.4 says. */
export function revalidatedHeaders(stored: HeaderMap, fresh: IncomingHttpHeaders): HeaderMap {
  const out: HeaderMap = { ...stored };
  for (const [name, value] of Object.entries(clientResponseHeaders(fresh))) {
    if (!describesBody.has(name)) out[name] = value;
  }
  return out;
}

/** The first value of a header, or undefined. */
export function headerValue(headers: IncomingHttpHeaders | HeaderMap, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
