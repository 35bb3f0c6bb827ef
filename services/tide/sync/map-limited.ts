/**
 * `fn` over `items` with at most `limit` calls in flight, results in the order of `items` (Tide's
 * `max_goroutines` bound on pools judged at once). The first rejection rejects the whole.
 */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Map<number, R>();
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < items.length; i = next++) {
      const item = items[i] as T;
      results.set(i, await fn(item));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return items.map((_item, i) => results.get(i) as R);
}
