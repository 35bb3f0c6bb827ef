import { getOperationAST, Kind, valueFromASTUntyped, type DocumentNode, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';

function pageSize(field: FieldNode, variables: Readonly<Record<string, unknown>>): number | undefined {
  for (const arg of field.arguments ?? []) {
    if (arg.name.value !== 'first' && arg.name.value !== 'last') continue;
    const v: unknown = valueFromASTUntyped(arg.value, variables);
    if (typeof v === 'number') return v;
  }
  return undefined;
}

/**
 * GitHub's `rateLimit.nodeCount`: the most nodes the operation can return, each connection's `first` or
 * `last` multiplied by the sizes of the connections around it.
 */
export function nodeCount(doc: DocumentNode, operationName: string | undefined, variables: Readonly<Record<string, unknown>>): number {
  const op = getOperationAST(doc, operationName);
  if (!op) return 0;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const walk = (set: SelectionSetNode, multiplier: number): number => {
    let total = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        const n = pageSize(sel, variables);
        const inner = n === undefined ? multiplier : multiplier * n;
        if (n !== undefined) total += inner;
        if (sel.selectionSet) total += walk(sel.selectionSet, inner);
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        total += walk(sel.selectionSet, multiplier);
      } else {
        const frag = fragments.get(sel.name.value);
        if (frag) total += walk(frag.selectionSet, multiplier);
      }
    }
    return total;
  };
  return walk(op.selectionSet, 1);
}
