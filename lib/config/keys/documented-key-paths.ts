import { parse } from 'yaml';

/**
 * Lists every key path in one of Prow's generated "documented" config files. A map keyed by free names is
 * written `*`, a list item `[]`, and a value Prow leaves free-form (`null` in those files) ends in `**`.
 */
export function documentedKeyPaths(text: string): string[] {
  const out = new Set<string>();
  const walk = (value: unknown, prefix: string): void => {
    if (Array.isArray(value)) {
      walk(value[0], `${prefix}[]`);
    } else if (value === null) {
      if (prefix !== '') out.add(`${prefix}.**`);
    } else if (typeof value === 'object') {
      for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
        if (/[.[\]]/.test(key)) throw new Error(`documented key "${key}" cannot be written as a key path`);
        const path = `${prefix === '' ? '' : `${prefix}.`}${key === '' ? '*' : key}`;
        out.add(path);
        walk(child, path);
      }
    }
  };
  walk(parse(text) as unknown, '');
  return [...out].sort();
}
