/** Where a document stops being well-formed XML, 1-based. */
export interface XmlFault {
  line: number;
  col: number;
  message: string;
}

/** A document that is not well-formed XML, with where and why. */
export class XmlSyntaxError extends Error {
  readonly fault: XmlFault;

  constructor(fault: XmlFault) {
    super(`line ${fault.line} column ${fault.col}: ${fault.message}`);
    this.name = 'XmlSyntaxError';
    this.fault = fault;
  }
}

/**
 * The attributes of the element being opened. Values are read on demand, with entities and character
 * references decoded and line ends normalised; the object is reused, so it is valid only inside `open`.
 */
export class XmlAttributes {
  private text = '';
  // Per attribute: name start, name end, value start, value end.
  private readonly spans: number[] = [];

  reset(text: string): void {
    this.text = text;
    this.spans.length = 0;
  }

  add(nameStart: number, nameEnd: number, valueStart: number, valueEnd: number): void {
    this.spans.push(nameStart, nameEnd, valueStart, valueEnd);
  }

  /** The decoded value of attribute `name`, the last one when it is repeated; undefined when absent. */
  get(name: string): string | undefined {
    const { spans, text } = this;
    for (let k = spans.length - 4; k >= 0; k -= 4) {
      const start = spans[k] ?? 0;
      if ((spans[k + 1] ?? 0) - start === name.length && text.startsWith(name, start)) {
        return decodeCharacterData(text.slice(spans[k + 2], spans[k + 3]));
      }
    }
    return undefined;
  }
}

/** What `scanXml` tells its reader, in document order. */
export interface XmlVisitor {
  /** An element starts. Return true to be given its character data (text and CDATA between its children). */
  open(name: string, attributes: XmlAttributes): boolean;
  /** A piece of character data of the innermost open element, if it asked in `open`; an element may get several. */
  text(data: string): void;
  /** The innermost open element ends (right after `open` for a self-closing tag). */
  close(): void;
}

const namedEntities: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const charRef = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/;

/** Line ends as XML reads them: CRLF and lone CR become LF. */
function normaliseLineEnds(s: string): string {
  return s.includes('\r') ? s.replace(/\r\n?/g, '\n') : s;
}

/**
 * Text or an attribute value as XML reads it: the five named entities and numeric character references
 * decoded; an `&` that starts neither is kept as it is.
 */
export function decodeCharacterData(raw: string): string {
  const s = normaliseLineEnds(raw);
  let amp = s.indexOf('&');
  if (amp === -1) return s;
  let out = '';
  let copied = 0;
  let semi = -1;
  while (amp !== -1) {
    // The next ';' is looked for again only once passed, so a run of bare '&'s stays linear.
    if (semi < amp) semi = s.indexOf(';', amp + 1);
    if (semi === -1) break;
    let decoded: string | undefined;
    // The longest reference worth reading is &#x10FFFF; (10 characters between & and ;).
    if (semi - amp <= 12) {
      const ref = s.slice(amp + 1, semi);
      decoded = namedEntities[ref];
      if (decoded === undefined) {
        const m = charRef.exec(ref);
        if (m !== null) {
          const code = m[1] === undefined ? parseInt(m[2] ?? '', 10) : parseInt(m[1], 16);
          if (code <= 0x10ffff) decoded = String.fromCodePoint(code);
        }
      }
    }
    if (decoded === undefined) {
      amp = s.indexOf('&', amp + 1);
      continue;
    }
    out += s.slice(copied, amp) + decoded;
    copied = semi + 1;
    amp = s.indexOf('&', copied);
  }
  return out + s.slice(copied);
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

const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 9 || c === 13;

// Name characters: ASCII letters, '_' and ':' start a name, digits, '-' and '.' may follow; anything past
// ASCII is taken as a name character, as XML allows most of Unicode there.
function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58 || c >= 0x80;
}

function nameEnd(text: string, start: number): number {
  if (!isNameStart(text.charCodeAt(start))) return start;
  let p = start + 1;
  for (;;) {
    const c = text.charCodeAt(p);
    if (isNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 46) p++;
    else return p;
  }
}

/**
 * Reads `text` as XML in one pass, telling `visitor` of elements and character data, and throws
 * XmlSyntaxError where it stops being well-formed: a tag not closed in order, a second root, text, CDATA
 * or a stray `<` outside the root, an attribute without a quoted value, or a comment, CDATA section,
 * processing instruction or tag the file ends inside. A leading BOM, the XML declaration, processing
 * instructions, comments and DOCTYPE are skipped. A document without a root element is not a fault here.
 */
export function scanXml(text: string, visitor: XmlVisitor): void {
  const fault = (offset: number, message: string): XmlSyntaxError => new XmlSyntaxError({ ...positionOf(text, offset), message });
  const n = text.length;
  // The open elements: name, where the tag starts, and whether the visitor wants its text.
  const names: string[] = [];
  const starts: number[] = [];
  const wants: boolean[] = [];
  const attributes = new XmlAttributes();
  let rootSeen = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    const lt = text.indexOf('<', i);
    const textEnd = lt === -1 ? n : lt;
    if (textEnd > i) {
      const depth = names.length;
      if (depth === 0) {
        for (let p = i; p < textEnd; p++) if (!isSpace(text.charCodeAt(p))) throw fault(p, 'text outside the root element');
      } else if (wants[depth - 1] === true) {
        visitor.text(decodeCharacterData(text.slice(i, textEnd)));
      }
    }
    if (lt === -1) break;
    const next = text.charCodeAt(lt + 1);
    if (next === 47 /* / */) {
      const open = names.at(-1);
      // The usual case first: the closing tag names the open element and ends at once.
      if (open !== undefined && text.charCodeAt(lt + 2 + open.length) === 62 && text.startsWith(open, lt + 2)) {
        names.pop();
        starts.pop();
        wants.pop();
        visitor.close();
        i = lt + 3 + open.length;
        continue;
      }
      const end = nameEnd(text, lt + 2);
      let p = end;
      while (isSpace(text.charCodeAt(p))) p++;
      if (end === lt + 2 || text.charCodeAt(p) !== 62 /* > */) throw fault(lt, 'malformed closing tag');
      const top = names.pop();
      const name = text.slice(lt + 2, end);
      if (top === undefined) throw fault(lt, `closing tag </${name}> with nothing open`);
      if (top !== name) {
        const at = positionOf(text, starts.at(-1) ?? 0);
        throw fault(lt, `expected </${top}> (opened at line ${at.line} column ${at.col}), found </${name}>`);
      }
      starts.pop();
      wants.pop();
      visitor.close();
      i = p + 1;
    } else if (next === 63 /* ? */) {
      const end = text.indexOf('?>', lt + 2);
      if (end === -1) throw fault(lt, 'unterminated processing instruction');
      i = end + 2;
    } else if (next === 33 /* ! */) {
      if (text.startsWith('<!--', lt)) {
        const end = text.indexOf('-->', lt + 4);
        if (end === -1) throw fault(lt, 'unterminated comment');
        i = end + 3;
      } else if (text.startsWith('<![CDATA[', lt)) {
        const depth = names.length;
        if (depth === 0) throw fault(lt, 'CDATA outside the root element');
        const end = text.indexOf(']]>', lt + 9);
        if (end === -1) throw fault(lt, 'unterminated CDATA section');
        if (wants[depth - 1] === true) visitor.text(normaliseLineEnds(text.slice(lt + 9, end)));
        i = end + 3;
      } else {
        // <!DOCTYPE ...>, whose internal subset in [...] may hold '>'.
        let end = text.indexOf('>', lt + 2);
        const bracket = end === -1 ? -1 : text.slice(lt + 2, end).indexOf('[');
        if (bracket !== -1) {
          const close = text.indexOf(']', lt + 2 + bracket);
          end = close === -1 ? -1 : text.indexOf('>', close);
        }
        if (end === -1) throw fault(lt, 'unterminated declaration');
        i = end + 1;
      }
    } else {
      const end = nameEnd(text, lt + 1);
      if (end === lt + 1) throw fault(lt, 'a "<" that starts no tag (escape it as &lt;)');
      const name = text.slice(lt + 1, end);
      if (names.length === 0 && rootSeen) throw fault(lt, `a second root element <${name}>`);
      attributes.reset(text);
      let p = end;
      let selfClosing = false;
      for (;;) {
        while (isSpace(text.charCodeAt(p))) p++;
        const c = text.charCodeAt(p);
        if (c === 62 /* > */) break;
        if (c === 47 /* / */ && text.charCodeAt(p + 1) === 62) {
          selfClosing = true;
          p++;
          break;
        }
        const attrEnd = nameEnd(text, p);
        if (attrEnd === p) {
          if (p >= n || c === 60 /* < */) throw fault(lt, `unterminated tag <${name}>`);
          throw fault(p, `a stray "${text.charAt(p)}" in tag <${name}>`);
        }
        let q = attrEnd;
        while (isSpace(text.charCodeAt(q))) q++;
        if (text.charCodeAt(q) !== 61 /* = */) throw fault(p, `attribute ${text.slice(p, attrEnd)} of <${name}> has no value`);
        q++;
        while (isSpace(text.charCodeAt(q))) q++;
        const quote = text.charCodeAt(q);
        if (quote !== 34 && quote !== 39) {
          if (q >= n) throw fault(lt, `unterminated tag <${name}>`);
          throw fault(q, `the value of attribute ${text.slice(p, attrEnd)} of <${name}> is not in quotes`);
        }
        const close = text.indexOf(quote === 34 ? '"' : "'", q + 1);
        if (close === -1) throw fault(lt, `unterminated tag <${name}>`);
        attributes.add(p, attrEnd, q + 1, close);
        p = close + 1;
      }
      rootSeen = true;
      const wantsText = visitor.open(name, attributes);
      if (selfClosing) visitor.close();
      else {
        names.push(name);
        starts.push(lt);
        wants.push(wantsText);
      }
      i = p + 1;
    }
  }
  const top = names.at(-1);
  if (top !== undefined) throw fault(starts.at(-1) ?? 0, `<${top}> is never closed (the file ends first)`);
}
