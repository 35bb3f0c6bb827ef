import { describe, expect, it } from 'vitest';
import { scanXml, XmlSyntaxError, type XmlVisitor } from './xml-scanner.ts';

/** The events a document gives, as lines: `<name a=value ...>`, `text "..."`, `</>`. */
function events(xml: string, attributes: string[] = []): string[] {
  const out: string[] = [];
  const visitor: XmlVisitor = {
    open(name, attrs) {
      const shown = attributes.flatMap((a) => {
        const v = attrs.get(a);
        return v === undefined ? [] : [` ${a}=${JSON.stringify(v)}`];
      });
      out.push(`<${name}${shown.join('')}>`);
      return true;
    },
    text(data) {
      out.push(`text ${JSON.stringify(data)}`);
    },
    close() {
      out.push('</>');
    },
  };
  scanXml(xml, visitor);
  return out;
}

function faultOf(xml: string): string {
  try {
    scanXml(xml, { open: () => false, text: () => undefined, close: () => undefined });
  } catch (err) {
    if (err instanceof XmlSyntaxError) return err.message;
    throw err;
  }
  return 'no fault';
}

describe('scanXml', () => {
  it('skips the BOM, declaration, processing instructions, comments and DOCTYPE around the root', () => {
    const xml = '\ufeff<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE r [<!ENTITY e "x">]>\n<!-- before --><?pi x?>\n<r/>\n<!-- after -->\n';
    expect(events(xml)).toEqual(['<r>', '</>']);
  });

  it('decodes the five entities and numeric references in text and attributes, keeping CDATA and unknown references as written', () => {
    expect(events(`<r a="&lt;&gt;&amp;&quot;&apos;" b='say "hi"' c="&#10;&#x41;&#65;&bogus;&amp;#10; & x">1 &lt; 2 &amp;&amp; &#x1F600;<![CDATA[<a> &amp; ]]></r>`, ['a', 'b', 'c'])).toEqual([
      `<r a="<>&\\"'" b="say \\"hi\\"" c="\\nAA&bogus;&#10; & x">`,
      'text "1 < 2 && 😀"',
      'text "<a> &amp; "',
      '</>',
    ]);
  });

  it('reads attributes in either quote with ">" inside, around "=" spacing, the last of a repeated one, and normalises line ends', () => {
    expect(events('<r a = "x > y"\r\n b=\'1\' b="2"\t/>', ['a', 'b'])).toEqual(['<r a="x > y" b="2">', '</>']);
    expect(events('<r>one\r\ntwo\rthree<![CDATA[\r\n]]></r>')).toEqual(['<r>', 'text "one\\ntwo\\nthree"', 'text "\\n"', '</>']);
  });

  it('gives text only to the elements that ask, between their children, and closes self-closing tags at once', () => {
    const out: string[] = [];
    scanXml('<r> a <skip> hidden </skip> b <want>c</want><e/></r>', {
      open(name) {
        out.push(`<${name}>`);
        return name !== 'skip';
      },
      text(data) {
        out.push(JSON.stringify(data));
      },
      close() {
        out.push('</>');
      },
    });
    expect(out).toEqual(['<r>', '" a "', '<skip>', '</>', '" b "', '<want>', '"c"', '</>', '<e>', '</>', '</>']);
  });

  it('refuses what is not well-formed, with the line and column', () => {
    expect(faultOf('<r>\n  <a x=1/></r>')).toBe('line 2 column 8: the value of attribute x of <a> is not in quotes');
    expect(faultOf('<r>\n<a x/></r>')).toBe('line 2 column 4: attribute x of <a> has no value');
    expect(faultOf('<r "x"/>')).toBe('line 1 column 4: a stray """ in tag <r>');
    expect(faultOf('<r><a></b></r>')).toBe('line 1 column 7: expected </a> (opened at line 1 column 4), found </b>');
    expect(faultOf('<r></r >x')).toBe('line 1 column 9: text outside the root element');
    expect(faultOf('<r><!-- open')).toBe('line 1 column 4: unterminated comment');
    expect(faultOf('<r><?pi')).toBe('line 1 column 4: unterminated processing instruction');
    expect(faultOf('<![CDATA[x]]><r/>')).toBe('line 1 column 1: CDATA outside the root element');
    expect(faultOf('</r>')).toBe('line 1 column 1: closing tag </r> with nothing open');
    expect(faultOf('<r></ r>')).toBe('line 1 column 4: malformed closing tag');
    expect(faultOf('<r><a')).toBe('line 1 column 4: unterminated tag <a>');
    expect(faultOf('')).toBe('no fault');
  });
});
