import { html, type SafeHtml } from './html.ts';

/** An RFC 3339 time or Unix seconds as `2024-05-01 12:00:00`, UTC; empty when absent or unreadable. */
export function formatTime(value: string | number | undefined): string {
  if (value === undefined || value === '') return '';
  const ms = typeof value === 'number' ? value * 1000 : Date.parse(value);
  if (!Number.isFinite(ms)) return '';
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
}

/** The time between two RFC 3339 times (or Unix seconds) as `1h2m3s`; empty when either is absent. */
export function formatDuration(start: string | number | undefined, end: string | number | undefined): string {
  const ms = (v: string | number | undefined): number => (v === undefined || v === '' ? NaN : typeof v === 'number' ? v * 1000 : Date.parse(v));
  const span = Math.round((ms(end) - ms(start)) / 1000);
  if (!Number.isFinite(span) || span < 0) return '';
  const h = Math.floor(span / 3600);
  const m = Math.floor((span % 3600) / 60);
  const s = span % 60;
  return `${h > 0 ? `${String(h)}h` : ''}${h > 0 || m > 0 ? `${String(m)}m` : ''}${String(s)}s`;
}

/** A byte count as `1.5 KiB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${String(n)} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i] ?? 'TiB'}`;
}

/** A job state (or Tide/train state) as a coloured badge. */
export function stateBadge(state: string): SafeHtml {
  return html`<span class="state state-${state.toLowerCase().replace(/[^a-z-]/g, '')}">${state}</span>`;
}

/** A `<select>` of a filter: "all" first, then the choices, the current one selected. */
export function filterSelect(name: string, label: string, choices: readonly string[], current: string | undefined): SafeHtml {
  const options = current !== undefined && current !== '' && !choices.includes(current) ? [current, ...choices] : choices;
  return html`<label>${label} <select name="${name}"><option value="">all</option>${options.map(
    (c) => html`<option value="${c}"${c === current ? html` selected` : ''}>${c}</option>`,
  )}</select></label>`;
}
