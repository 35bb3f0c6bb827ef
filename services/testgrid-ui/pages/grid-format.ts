import type { Dashboard } from '../dashboards/config-types.ts';
import type { TabStatus } from '../grid/tab-summary.ts';
import type { HistoryDay } from '../api/grid-history.ts';
import { tabPath } from '../api/grid-view.ts';
import { html, SafeHtml } from './html.ts';

/** A tab's status as TestGrid's badge (PASSING, FAILING, FLAKY, STALE, BROKEN, ACCEPTABLE, UNKNOWN). */
export function tabBadge(status: TabStatus): SafeHtml {
  return html`<span class="tg-badge tg-${status.toLowerCase()}">${status}</span>`;
}

/** The bar of a dashboard's pages: its summary, then each tab; `current` is the tab shown, '' for the summary. */
export function tabBar(dashboard: Dashboard, current: string): SafeHtml {
  const link = (href: string, label: string, active: boolean): SafeHtml => html`<a href="${href}"${active ? html` class="active" aria-current="page"` : ''}>${label}</a>`;
  return html`<nav class="tg-tabs"><a class="tg-up" href="/testgrid">Dashboards</a> › ${link(`/testgrid/${encodeURIComponent(dashboard.name)}`, 'Summary', current === '')}${dashboard.dashboard_tab.map((t) => link(tabPath(dashboard.name, t.name), t.name, t.name === current))}</nav>`;
}

/** A percentage with one decimal. */
export function percent(n: number): string {
  return `${n.toFixed(1)}%`;
}

/** The trend of a flakiness change as an arrow and a word. */
export function trend(change: 'UP' | 'DOWN' | 'NO_CHANGE'): SafeHtml {
  if (change === 'UP') return html`<span class="tg-trend tg-up-trend" title="flakier than the interval before">▲ up</span>`;
  if (change === 'DOWN') return html`<span class="tg-trend tg-down-trend" title="less flaky than the interval before">▼ down</span>`;
  return html`<span class="tg-trend muted">no change</span>`;
}

/** Epoch milliseconds as `2026-01-15 12:00` UTC; empty for 0. */
export function formatMs(ms: number | undefined): string {
  if (ms === undefined || ms <= 0) return '';
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * JSON for a `<script type="application/json">` element: `<`, `>` and `&` as \u escapes, so no value can
 * close the element or open a comment; the script reads it back with JSON.parse.
 */
export function inlineJson(value: unknown): SafeHtml {
  return new SafeHtml(JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** A stacked bar chart of daily pass, flaky and fail counts, oldest day on the left, as inline SVG. */
export function dailyChart(days: readonly HistoryDay[]): SafeHtml {
  if (days.length === 0) return html`<p class="empty">No completed runs to chart.</p>`;
  const width = 720;
  const height = 160;
  const pad = { left: 32, bottom: 22, top: 8 };
  const max = Math.max(1, ...days.map((d) => d.pass + d.fail + d.flaky));
  const slot = (width - pad.left) / days.length;
  const barW = Math.max(2, Math.min(40, slot * 0.7));
  const plotH = height - pad.bottom - pad.top;
  const y = (n: number): number => (n / max) * plotH;
  const bars = days.map((d, i) => {
    const x = pad.left + i * slot + (slot - barW) / 2;
    let base = height - pad.bottom;
    const parts = (
      [
        ['pass', d.pass],
        ['flaky', d.flaky],
        ['fail', d.fail],
      ] as const
    ).map(([kind, n]) => {
      const h = y(n);
      base -= h;
      return n === 0 ? '' : html`<rect class="tg-bar-${kind}" x="${x.toFixed(1)}" y="${base.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}"></rect>`;
    });
    return html`<g><title>${d.day}: ${d.pass} passed, ${d.fail} failed, ${d.flaky} flaky</title>${parts}</g>`;
  });
  const first = days[0]?.day ?? '';
  const last = days.at(-1)?.day ?? '';
  return html`<svg class="tg-chart" role="img" aria-label="daily passes, flakes and failures" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">
<line class="tg-axis" x1="${pad.left}" y1="${height - pad.bottom}" x2="${width}" y2="${height - pad.bottom}"></line>
<text class="tg-tick" x="${pad.left - 4}" y="${pad.top + 8}" text-anchor="end">${max}</text><text class="tg-tick" x="${pad.left - 4}" y="${height - pad.bottom}" text-anchor="end">0</text>
${bars}
<text class="tg-tick" x="${pad.left}" y="${height - 6}">${first}</text><text class="tg-tick" x="${width}" y="${height - 6}" text-anchor="end">${last}</text>
</svg>
<p class="tg-legend"><span class="tg-key tg-bar-pass"></span> passed <span class="tg-key tg-bar-flaky"></span> flaky <span class="tg-key tg-bar-fail"></span> failed, per day (UTC)</p>`;
}
