import { describe, expect, it } from 'vitest';
import { findXmlFault } from './well-formed.ts';

describe('findXmlFault', () => {
  it('accepts declarations, comments, CDATA, self-closing tags and ">" inside quoted attributes', () => {
    expect(findXmlFault('<?xml version="1.0"?>\n<!-- run 1 --><a x="1 > 0"><b/><c><![CDATA[</a> <d>]]></c></a>\n')).toBeUndefined();
  });

  it('names the line and column of a mismatched, unclosed or stray tag', () => {
    expect(findXmlFault('<a>\n  <b>\n</a>')).toEqual({ line: 3, col: 1, message: 'expected </b> (opened at line 2 column 3), found </a>' });
    expect(findXmlFault('<a><b></b>')).toEqual({ line: 1, col: 1, message: '<a> is never closed (the file ends first)' });
    expect(findXmlFault('<a></a><a></a>')?.message).toBe('a second root element <a>');
    expect(findXmlFault('<a x="1></a>')?.message).toBe('unterminated tag <a>');
    expect(findXmlFault('garbage')?.message).toBe('text outside the root element');
    expect(findXmlFault('<a>1 < 2</a>')?.message).toMatch(/starts no tag/);
    expect(findXmlFault('<a><![CDATA[x</a>')?.message).toBe('unterminated CDATA section');
  });
});
