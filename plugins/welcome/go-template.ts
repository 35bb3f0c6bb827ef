import { ProwError } from '../../lib/errors.ts';

// What Go's html/template turns these into in text, so a rendered message reads as Prow's would.
const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;', '+': '&#43;', '\0': '\uFFFD' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"'+\0]/g, (ch) => htmlEscapes[ch] ?? ch);
}

// `{{.Field}}`, `{{ .Field }}`, with Go's `{{-` / `-}}` trimming the whitespace beside them, and `{{/* comments */}}`.
// The whitespace a trim marker removes is part of the match, so it is simply not given back.
const actionRe = /(?:\s*\{\{-\s|\{\{)\s*([\s\S]*?)\s*(?:\s-\}\}\s*|\}\})/g;

/**
 * Renders the small part of Go's html/template that Prow's message templates use: `{{.Field}}` actions
 * (values HTML-escaped as html/template does in text), whitespace trimming and comments. Anything else, or a
 * field `data` lacks, is a ProwError naming `where` (the config setting), as Go's Execute would fail.
 */
export function renderGoTemplate(where: string, template: string, data: Readonly<Record<string, string>>): string {
  const fail = (why: string): never => {
    throw new ProwError('PROW_ERR_TEMPLATE_INVALID', where, JSON.stringify(template), why, Object.keys(data).map((k) => `.${k}`).join(', '));
  };
  const fieldValue = (action: string): string => {
    const field = /^\.([A-Za-z_]\w*)$/.exec(action)?.[1];
    if (field === undefined) return fail(`{{${action}}} is not a {{.Field}} action`);
    const v = Object.hasOwn(data, field) ? data[field] : undefined;
    if (v === undefined) return fail(`there is no field .${field}`);
    return escapeHtml(v);
  };
  const rendered = template.replace(actionRe, (_all, action: string) => (/^\/\*[\s\S]*\*\/$/.test(action) ? '' : fieldValue(action)));
  if (rendered.includes('{{')) fail('an action is not closed with }}');
  return rendered;
}
