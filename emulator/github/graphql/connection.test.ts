import { describe, expect, it } from 'vitest';
import { encodeCursor, pageWindow } from './connection.ts';

describe('pageWindow', () => {
  it('pages forward with first/after and backward with last/before', () => {
    expect(pageWindow({ first: 2 }, 5, 'labels')).toEqual({ start: 0, end: 2 });
    expect(pageWindow({ first: 2, after: encodeCursor(1) }, 5, 'labels')).toEqual({ start: 2, end: 4 });
    expect(pageWindow({ first: 10, after: encodeCursor(3) }, 5, 'labels')).toEqual({ start: 4, end: 5 });
    expect(pageWindow({ last: 2 }, 5, 'labels')).toEqual({ start: 3, end: 5 });
    expect(pageWindow({ last: 2, before: encodeCursor(3) }, 5, 'labels')).toEqual({ start: 1, end: 3 });
  });

  it('refuses what GitHub refuses, in its words', () => {
    expect(() => pageWindow({}, 5, 'labels')).toThrow('You must provide a `first` or `last` value to properly paginate the `labels` connection.');
    expect(() => pageWindow({ first: 101 }, 5, 'labels')).toThrow('Requesting 101 records on the `labels` connection exceeds the `first` limit of 100 records.');
    expect(() => pageWindow({ first: 1, last: 1 }, 5, 'labels')).toThrow('Passing both `first` and `last`');
    expect(() => pageWindow({ first: -1 }, 5, 'labels')).toThrow('`first` on the `labels` connection cannot be less than zero.');
    expect(() => pageWindow({ first: 1, after: 'bm9wZQ==' }, 5, 'labels')).toThrow('does not appear to be a valid cursor');
  });
});
