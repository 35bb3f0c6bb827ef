/**
 * GitHub's legacy global node id: base64 of `<len>:<Type><id>` (`MDQ6VXNlcjE=` is `04:User1`). GraphQL
 * resolves `node(id:)` with `decodeNodeId`.
 */
export function nodeId(type: string, id: number): string {
  return Buffer.from(`${String(type.length).padStart(2, '0')}:${type}${id}`).toString('base64');
}

/** The type and numeric id inside a node id from `nodeId`; undefined for anything else. */
export function decodeNodeId(id: string): { type: string; id: number } | undefined {
  const m = /^(\d+):([A-Za-z]+?)(\d+)$/.exec(Buffer.from(id, 'base64').toString('utf8'));
  if (!m?.[1] || !m[2] || !m[3] || Number(m[1]) !== m[2].length) return undefined;
  return { type: m[2], id: Number(m[3]) };
}
