/** Where a document stops being well-formed XML, 1-based. */
export interface XmlFault {
  line: number;
  col: number;
  message: string;
}

function positionOf(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: offset - lineStart + 1 };
}

const nameAt = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
// Everything up to the tag's '>': unquoted runs and whole quoted values.
const attributes = /(?:[^"'<>]+|"[^"]*"|'[^']*')*/y;

/**
 * Checks the structure fast-xml-parser does not: every tag closed in order, one root, nothing but
 * whitespace, comments and processing instructions around it, quoted attribute values. A truncated upload
 * or an interleaved write is caught here; the parser then reads the document. Undefined when it is sound.
 */
export function findXmlFault(text: string): XmlFault | undefined {
  const fault = (offset: number, message: string): XmlFault => ({ ...positionOf(text, offset), message });
  const open: { name: string; at: number }[] = [];
  let rootSeen = false;
  let i = 0;
  for (;;) {
    const lt = text.indexOf('<', i);
    const textEnd = lt === -1 ? text.length : lt;
    if (open.length === 0 && text.slice(i, textEnd).trim() !== '') return fault(i, 'text outside the root element');
    if (lt === -1) break;
    const next = text.charCodeAt(lt + 1);
    if (next === 63 /* ? */) {
      const end = text.indexOf('?>', lt + 2);
      if (end === -1) return fault(lt, 'unterminated processing instruction');
      i = end + 2;
    } else if (next === 33 /* ! */ && text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      if (end === -1) return fault(lt, 'unterminated comment');
      i = end + 3;
    } else if (next === 33 && text.startsWith('<![CDATA[', lt)) {
      if (open.length === 0) return fault(lt, 'CDATA outside the root element');
      const end = text.indexOf(']]>', lt + 9);
      if (end === -1) return fault(lt, 'unterminated CDATA section');
      i = end + 3;
    } else if (next === 33) {
      const end = text.indexOf('>', lt + 2);
      if (end === -1) return fault(lt, 'unterminated declaration');
      i = end + 1;
    } else if (next === 47 /* / */) {
      nameAt.lastIndex = lt + 2;
      const name = nameAt.exec(text)?.[0];
      const end = text.indexOf('>', lt + 2);
      if (name === undefined || end === -1 || text.slice(nameAt.lastIndex, end).trim() !== '') return fault(lt, 'malformed closing tag');
      const top = open.pop();
      if (top === undefined) return fault(lt, `closing tag </${name}> with nothing open`);
      if (top.name !== name) {
        const at = positionOf(text, top.at);
        return fault(lt, `expected </${top.name}> (opened at line ${at.line} column ${at.col}), found </${name}>`);
      }
      i = end + 1;
    } else {
      nameAt.lastIndex = lt + 1;
      const name = nameAt.exec(text)?.[0];
      if (name === undefined) return fault(lt, 'a "<" that starts no tag (escape it as &lt;)');
      if (open.length === 0 && rootSeen) return fault(lt, `a second root element <${name}>`);
      // Skip attributes, minding quotes, which may hold '>'.
      attributes.lastIndex = nameAt.lastIndex;
      attributes.exec(text);
      const j = attributes.lastIndex;
      if (j >= text.length || text.charCodeAt(j) !== 62) return fault(lt, `unterminated tag <${name}>`);
      if (text[j - 1] !== '/') open.push({ name, at: lt });
      rootSeen = true;
      i = j + 1;
    }
  }
  const top = open.at(-1);
  if (top !== undefined) return fault(top.at, `<${top.name}> is never closed (the file ends first)`);
  return undefined;
}
