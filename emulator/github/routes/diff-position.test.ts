import { expect, it } from 'vitest';
import { locateInPatch } from './diff-position.ts';

const patch = ['@@ -1,3 +1,3 @@', ' a', '-b', '+B', ' c', '@@ -10,2 +10,3 @@', ' j', '+k', ' l'].join('\n');

it('finds lines by side and line number, counting positions across hunks as GitHub does', () => {
  expect(locateInPatch(patch, { line: 2, side: 'RIGHT' })).toEqual({ line: 2, side: 'RIGHT', position: 3, hunk: '@@ -1,3 +1,3 @@\n a\n-b\n+B' });
  expect(locateInPatch(patch, { line: 2, side: 'LEFT' })).toMatchObject({ line: 2, side: 'LEFT', position: 2 });
  expect(locateInPatch(patch, { line: 11 })).toEqual({ line: 11, side: 'RIGHT', position: 7, hunk: '@@ -10,2 +10,3 @@\n j\n+k' });
  expect(locateInPatch(patch, { position: 3 })).toMatchObject({ line: 2, side: 'RIGHT' });
  expect(locateInPatch(patch, { position: 2 })).toMatchObject({ line: 2, side: 'LEFT' });
});

it('answers undefined for lines the diff does not show', () => {
  expect(locateInPatch(patch, { line: 5 })).toBeUndefined();
  expect(locateInPatch(patch, { line: 12, side: 'LEFT' })).toBeUndefined();
  expect(locateInPatch(patch, { position: 5 })).toBeUndefined();
});
