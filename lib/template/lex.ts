import { TemplateFault } from './template-error.ts';

/** One lexical item of a Go template: text between actions, or a piece of an action. */
export type Token =
  | { kind: 'text'; value: string; offset: number }
  | { kind: 'open' | 'close'; offset: number }
  | { kind: 'field'; name: string; offset: number; spaced: boolean }
  | { kind: 'variable'; name: string; offset: number; spaced: boolean }
  | { kind: 'identifier'; name: string; offset: number; spaced: boolean }
  | { kind: 'string'; value: string; offset: number; spaced: boolean }
  | { kind: 'number'; value: number; text: string; offset: number; spaced: boolean }
  | { kind: 'dot' | '(' | ')' | '|' | ',' | ':=' | '='; offset: number; spaced: boolean };

/** A token inside an action: everything but text and the delimiters. */
export type ActionToken = Exclude<Token, { kind: 'text' | 'open' | 'close' }>;

const isSpace = (ch: string | undefined): boolean => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
const isAlnum = (ch: string | undefined): boolean => ch !== undefined && /[\p{L}\p{Nd}_]/u.test(ch);
const isDigit = (ch: string | undefined): boolean => ch !== undefined && ch >= '0' && ch <= '9';

// Go's trim markers: `{{- ` and ` -}}`, the space being part of the marker (`{{-3}}` is the number -3).
const openTrim = (text: string, at: number): boolean => text[at + 2] === '-' && isSpace(text[at + 3]);
const closeTrimAt = (text: string, at: number): boolean => isSpace(text[at]) && text.startsWith('-}}', at + 1);

const escapes: Readonly<Record<string, string>> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', "'": "'", '"': '"' };

/** The value of a Go interpreted string or rune literal body (between its quotes), as strconv.Unquote reads it. */
function unquote(body: string, quote: string, offset: number): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body.charAt(i);
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = body.charAt(++i);
    const named = escapes[next];
    if (named !== undefined && (next !== "'" || quote === "'") && (next !== '"' || quote === '"')) {
      out += named;
      continue;
    }
    const hexLength = next === 'x' ? 2 : next === 'u' ? 4 : next === 'U' ? 8 : 0;
    if (hexLength > 0 && /^[0-9a-fA-F]+$/.test(body.slice(i + 1, i + 1 + hexLength)) && body.length >= i + 1 + hexLength) {
      out += String.fromCodePoint(parseInt(body.slice(i + 1, i + 1 + hexLength), 16));
      i += hexLength;
      continue;
    }
    if (/^[0-7]{3}$/.test(body.slice(i, i + 3))) {
      out += String.fromCharCode(parseInt(body.slice(i, i + 3), 8));
      i += 2;
      continue;
    }
    throw new TemplateFault(`invalid escape \\${next} in a quoted string`, offset);
  }
  return out;
}

const numberRe = /^[+-]?(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:[eE][+-]?[0-9]+)?)/;

function numberValue(text: string): number {
  const clean = text.replace(/_/g, '');
  const sign = clean.startsWith('-') ? -1 : 1;
  const body = clean.replace(/^[+-]/, '');
  const radix = /^0[xX]/.test(body) ? 16 : /^0[bB]/.test(body) ? 2 : /^0[oO]/.test(body) ? 8 : /^0[0-7]+$/.test(body) ? 8 : 10;
  if (radix === 10) return sign * Number(body);
  return sign * parseInt(radix === 8 && !/^0[oO]/.test(body) ? body.slice(1) : body.slice(2), radix);
}

/**
 * Splits a template into text and action tokens as Go's text/template lexer does, applying the trim markers
 * (`{{- ` drops the whitespace before, ` -}}` the whitespace after) and dropping `{{/* comments *\/}}`.
 */
export function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let trimNext = false;

  const pushText = (value: string, offset: number): void => {
    const kept = trimNext ? value.replace(/^[ \t\r\n]+/, '') : value;
    trimNext = false;
    if (kept !== '') tokens.push({ kind: 'text', value: kept, offset });
  };
  const trimPrevious = (): void => {
    const last = tokens.at(-1);
    if (last?.kind !== 'text') return;
    last.value = last.value.replace(/[ \t\r\n]+$/, '');
    if (last.value === '') tokens.pop();
  };

  while (pos < text.length) {
    const open = text.indexOf('{{', pos);
    if (open < 0) {
      pushText(text.slice(pos), pos);
      break;
    }
    pushText(text.slice(pos, open), pos);
    const trimBefore = openTrim(text, open);
    if (trimBefore) trimPrevious();
    pos = open + (trimBefore ? 4 : 2);

    if (text.startsWith('/*', pos)) {
      const end = text.indexOf('*/', pos + 2);
      if (end < 0) throw new TemplateFault('unclosed comment', open);
      pos = end + 2;
      if (text.startsWith('}}', pos)) pos += 2;
      else if (closeTrimAt(text, pos)) {
        pos += 4;
        trimNext = true;
      } else throw new TemplateFault('comment ends before closing delimiter', open);
      continue;
    }

    tokens.push({ kind: 'open', offset: open });
    pos = lexAction(text, pos, open, tokens);
    if (text.startsWith('}}', pos)) {
      tokens.push({ kind: 'close', offset: pos });
      pos += 2;
    } else {
      tokens.push({ kind: 'close', offset: pos });
      pos += 4;
      trimNext = true;
    }
  }
  return tokens;
}

/** Lexes one action from `start` (after `{{`); returns where its closing delimiter begins. */
function lexAction(text: string, start: number, open: number, tokens: Token[]): number {
  let pos = start;
  let spaced = true;
  for (;;) {
    if (pos >= text.length) throw new TemplateFault('unclosed action', open);
    if (text.startsWith('}}', pos) || closeTrimAt(text, pos)) return pos;
    const ch = text.charAt(pos);
    const offset = pos;
    if (isSpace(ch)) {
      pos++;
      spaced = true;
      continue;
    }
    if (ch === '"' || ch === "'") {
      let end = pos + 1;
      while (end < text.length && text[end] !== ch) {
        if (text[end] === '\n') break;
        end += text[end] === '\\' ? 2 : 1;
      }
      if (end >= text.length || text[end] !== ch) throw new TemplateFault(ch === '"' ? 'unterminated quoted string' : 'unterminated character constant', offset);
      const value = unquote(text.slice(pos + 1, end), ch, offset);
      if (ch === '"') tokens.push({ kind: 'string', value, offset, spaced });
      else {
        const code = value.codePointAt(0);
        if (code === undefined || Array.from(value).length !== 1) throw new TemplateFault(`malformed character constant ${text.slice(pos, end + 1)}`, offset);
        tokens.push({ kind: 'number', value: code, text: text.slice(pos, end + 1), offset, spaced });
      }
      pos = end + 1;
    } else if (ch === '`') {
      const end = text.indexOf('`', pos + 1);
      if (end < 0) throw new TemplateFault('unterminated raw quoted string', offset);
      tokens.push({ kind: 'string', value: text.slice(pos + 1, end).replace(/\r/g, ''), offset, spaced });
      pos = end + 1;
    } else if (ch === '$') {
      let end = pos + 1;
      while (isAlnum(text[end])) end++;
      tokens.push({ kind: 'variable', name: text.slice(pos, end), offset, spaced });
      pos = end;
    } else if (isDigit(ch) || ((ch === '+' || ch === '-' || ch === '.') && (isDigit(text[pos + 1]) || (text[pos + 1] === '.' && isDigit(text[pos + 2]))))) {
      const match = numberRe.exec(text.slice(pos));
      if (match === null || isAlnum(text[pos + match[0].length])) throw new TemplateFault(`bad number syntax: ${text.slice(pos).split(/[\s}]/)[0] ?? ''}`, offset);
      tokens.push({ kind: 'number', value: numberValue(match[0]), text: match[0], offset, spaced });
      pos += match[0].length;
    } else if (ch === '.') {
      let end = pos + 1;
      while (isAlnum(text[end])) end++;
      if (end === pos + 1) tokens.push({ kind: 'dot', offset, spaced });
      else tokens.push({ kind: 'field', name: text.slice(pos + 1, end), offset, spaced });
      pos = end;
    } else if (isAlnum(ch)) {
      let end = pos + 1;
      while (isAlnum(text[end])) end++;
      tokens.push({ kind: 'identifier', name: text.slice(pos, end), offset, spaced });
      pos = end;
    } else if (text.startsWith(':=', pos)) {
      tokens.push({ kind: ':=', offset, spaced });
      pos += 2;
    } else if (ch === '(' || ch === ')' || ch === '|' || ch === ',' || ch === '=') {
      tokens.push({ kind: ch, offset, spaced });
      pos++;
    } else {
      throw new TemplateFault(`unexpected ${JSON.stringify(ch)} in command`, offset);
    }
    spaced = false;
  }
}
