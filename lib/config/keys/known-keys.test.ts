import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { renderDocumentedKeys } from './generate-documented-keys.ts';
import { documentedKeyPaths } from './documented-key-paths.ts';
import { buildKeyTree, lookupKey, unknownKeysIn } from './key-tree.ts';
import { pluginConfigKeys, prowConfigKeys } from './known-keys.ts';

describe("Prow's documented keys", () => {
  it('documented-keys.ts is exactly what the generator makes from the documented files', async () => {
    const committed = await readFile(new URL('./documented-keys.ts', import.meta.url), 'utf8');
    expect(committed).toBe(await renderDocumentedKeys());
  });

  it('writes map keys as *, list items as [] and free-form values as **', () => {
    const paths = documentedKeyPaths('a:\n  "":\n    b: 1\n  list:\n  - c: ""\n  free: null\n');
    expect(paths).toEqual(['a', 'a.*', 'a.*.b', 'a.free', 'a.free.**', 'a.list', 'a.list[].c']);
  });

  it('knows Prow keys at any depth, including ones its documentation omits', () => {
    expect(lookupKey(prowConfigKeys, ['tide', 'queries', 3, 'missingLabels'])).toBeDefined();
    expect(lookupKey(prowConfigKeys, ['branch-protection', 'orgs', 'kubernetes', 'repos', 'k8s', 'protect'])).toBeDefined();
    expect(lookupKey(prowConfigKeys, ['presubmits', 'o/r', 0, 'jenkins_spec', 'anything'])).toBeDefined();
    expect(lookupKey(pluginConfigKeys, ['size', 'xxl'])).toBeDefined();
    expect(lookupKey(prowConfigKeys, ['tide', 'bogus'])).toBeUndefined();
    expect(lookupKey(pluginConfigKeys, ['approve', 0, 'nope'])).toBeUndefined();
  });

  it('finds the unknown keys inside a subtree', () => {
    const tree = buildKeyTree(['x.a', 'x.m.*.b', 'x.l[].c', 'x.free.**']);
    const value = { a: 1, m: { k: { b: 1, z: 2 } }, l: [{ c: 1 }, { d: 1 }], free: { anything: { goes: 1 } }, y: 1 };
    expect(unknownKeysIn(lookupKey(tree, ['x']) ?? tree, value, ['x'])).toEqual([
      ['x', 'm', 'k', 'z'],
      ['x', 'l', 1, 'd'],
      ['x', 'y'],
    ]);
  });
});
