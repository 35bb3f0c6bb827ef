import { ProwError } from '../errors.ts';
import { builtinNames } from './go-funcs.ts';
import { execute } from './exec.ts';
import { goNameFor, isRecord } from './go-value.ts';
import { lex } from './lex.ts';
import { parseTokens, type TemplateNode } from './parse.ts';
import { describePosition, TemplateFault } from './template-error.ts';

/** How a template is rendered. */
export interface RenderOptions {
  /**
   * Escape what each action prints as Go's html/template does in HTML text (`&`, `<`, `>`, `"`, `'`, `+`, NUL),
   * and print nothing for nil or missing values, as html/template does. Text outside actions is kept as written.
   */
  html?: boolean | undefined;
  /**
   * What a field the data lacks does. `default` (Go's behaviour on maps): it prints `<no value>`, tests false
   * in if/with, and fields of it are missing too. `error` (Go's behaviour on structs): rendering fails.
   */
  missingKey?: 'default' | 'error' | undefined;
}

/** A parsed template, ready to render any number of times. */
export interface GoTemplate {
  /** The setting the template came from, named in every error. */
  readonly where: string;
  readonly text: string;
  /** Executes the template over `data`; a failure is a PROW_ERR_TEMPLATE_INVALID naming `where`. */
  render(data: unknown, options?: RenderOptions): string;
}

// What html/template turns these into in text, so a rendered message reads as Prow's would.
const htmlEscapes: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;', '+': '&#43;', '\0': '\uFFFD' };
const escapeHtml = (text: string): string => text.replace(/[&<>"'+\0]/g, (ch) => htmlEscapes[ch] ?? ch);

const grammarHint = `the data's fields; if, else, with, range, end, break, continue; and the functions ${[...builtinNames].sort().join(', ')}`;

function dataHint(data: unknown): string {
  if (!isRecord(data)) return grammarHint;
  const fields = Object.keys(data)
    .filter((k) => data[k] !== undefined)
    .map((k) => `.${goNameFor(k)}`);
  return fields.length > 0 ? fields.join(', ') : grammarHint;
}

function templateError(where: string, text: string, fault: unknown, hint: string): ProwError {
  if (!(fault instanceof TemplateFault)) throw fault;
  const why = fault.offset === undefined ? fault.message : `${describePosition(text, fault.offset)}: ${fault.message}`;
  return new ProwError('PROW_ERR_TEMPLATE_INVALID', where, JSON.stringify(text), why, fault.hint ?? hint);
}

/**
 * Parses `text` as a Go text/template: field chains (`.Spec.Refs.Org`, each Go field name matched to its
 * JSON key), `$`, variables, if/else if/else, with, range (with break/continue), pipelines, parentheses,
 * trim markers and comments, and the builtins and, or, not, eq, ne, lt, le, gt, ge, index, len, printf,
 * print, println, html, urlquery, js. A template Go would refuse is a PROW_ERR_TEMPLATE_INVALID naming
 * `where` (the config setting) with the line and column.
 */
export function parseGoTemplate(where: string, text: string): GoTemplate {
  let nodes: TemplateNode[];
  try {
    nodes = parseTokens(lex(text));
  } catch (fault) {
    throw templateError(where, text, fault, grammarHint);
  }
  return {
    where,
    text,
    render(data: unknown, options: RenderOptions = {}): string {
      try {
        return execute(nodes, data, { html: options.html === true, missingKey: options.missingKey ?? 'default', escape: escapeHtml });
      } catch (fault) {
        throw templateError(where, text, fault, dataHint(data));
      }
    },
  };
}

/** Parses and renders in one step; see {@link parseGoTemplate}. */
export function renderGoTemplate(where: string, text: string, data: unknown, options?: RenderOptions): string {
  return parseGoTemplate(where, text).render(data, options);
}
