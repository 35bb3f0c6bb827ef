/** A tree of key paths (`a.*.b[].c`, `x.**`) that answers "does Prow know this key?". */
export interface KeyTree {
  children: Map<string, KeyTree>;
  /** Anything below is free-form (a `**` path). */
  open: boolean;
}

const node = (): KeyTree => ({ children: new Map(), open: false });

/** Builds the tree from key paths in the notation documentedKeyPaths writes. */
export function buildKeyTree(paths: Iterable<string>): KeyTree {
  const root = node();
  for (const path of paths) {
    let at = root;
    for (const part of path.split('.')) {
      if (part === '**') {
        at.open = true;
        break;
      }
      const [name = '', ...lists] = part.split('[]');
      for (const seg of [name, ...lists.map(() => '[]')]) {
        let next = at.children.get(seg);
        if (!next) at.children.set(seg, (next = node()));
        at = next;
      }
    }
  }
  return root;
}

function step(at: KeyTree, seg: PropertyKey): KeyTree | undefined {
  if (typeof seg === 'number') return at.children.get('[]');
  return at.children.get(String(seg)) ?? at.children.get('*');
}

/** The subtree for a concrete document path, or undefined when Prow has no such key. */
export function lookupKey(tree: KeyTree, path: readonly PropertyKey[]): KeyTree | undefined {
  let at: KeyTree | undefined = tree;
  for (const seg of path) {
    if (at.open) return at;
    at = step(at, seg);
    if (!at) return undefined;
  }
  return at;
}

/** Paths of the keys inside `value` (found at `tree`) that Prow does not know. */
export function unknownKeysIn(tree: KeyTree, value: unknown, path: readonly PropertyKey[] = []): PropertyKey[][] {
  if (tree.open || value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) {
    const item = tree.children.get('[]');
    return item ? value.flatMap((v, i) => unknownKeysIn(item, v, [...path, i])) : [];
  }
  // A node with no children is a scalar in Prow's schema; a wrong type there is zod's to report, not ours.
  if (tree.children.size === 0) return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => {
    const child = step(tree, k);
    return child ? unknownKeysIn(child, v, [...path, k]) : [[...path, k]];
  });
}
