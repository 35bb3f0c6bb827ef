/** Markup that is already safe: the only thing `html` interpolates without escaping. */
export class SafeHtml {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  toString(): string {
    return this.text;
  }
}

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text escaped for HTML content and quoted attribute values. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => entities[c] ?? c);
}

/** A value as it goes into markup: SafeHtml as it is, arrays joined, nothing for null/undefined/false, the rest escaped text. */
function interpolate(value: unknown): string {
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(interpolate).join('');
  if (value === undefined || value === null || value === false) return '';
  if (typeof value === 'string') return escapeHtml(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return escapeHtml(JSON.stringify(value));
}

/**
 * The tagged template every page is written with: every interpolated value is escaped unless it is
 * SafeHtml (another `html` result), so a job or test named `<img src=x onerror=alert(1)>` shows as text.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += interpolate(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/** A URL for an href from data (a job's links, a status URL): http(s) and site paths pass, anything else (javascript:) becomes '#'. */
export function safeUrl(url: string | undefined): string {
  if (url === undefined || url === '') return '#';
  if (url.startsWith('/') && !url.startsWith('//')) return url;
  return /^https?:\/\//i.test(url) ? url : '#';
}
