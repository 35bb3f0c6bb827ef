/** The innermost message of a network failure, e.g. `connect ECONNREFUSED 127.0.0.1:9`. */
export function causeOf(err: Error): string {
  const parts = [err.message];
  for (let c: unknown = err.cause; c instanceof Error; c = c.cause) parts.push(c.message);
  const code = (err as NodeJS.ErrnoException).code;
  if (err instanceof AggregateError) for (const e of err.errors) if (e instanceof Error) parts.push(e.message);
  if (code !== undefined && !parts.some((p) => p.includes(code))) parts.push(code);
  return parts.filter((p) => p !== '').join(': ') || err.name;
}
