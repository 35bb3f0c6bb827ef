import type { GridFilters } from '../api/grid-filters.ts';
import type { TabGrid } from '../api/grid-view.ts';
import { historyPath, tabPath } from '../api/grid-view.ts';
import type { Dashboard } from '../dashboards/config-types.ts';
import { formatMs, inlineJson, tabBadge, tabBar } from './grid-format.ts';
import { html, type SafeHtml } from './html.ts';

function filterForm(t: TabGrid, f: GridFilters): SafeHtml {
  const sort = (value: string, label: string): SafeHtml => html`<option value="${value}"${f.sort === value ? html` selected` : ''}>${label}</option>`;
  return html`<form class="filters tg-filters" method="get" action="${tabPath(t.dashboard, t.tab)}" data-autosubmit>
<label>Search <input type="search" name="include-filter-by-regex" value="${f.include}" placeholder="regex of test names"></label>
<label>Exclude <input type="search" name="exclude-filter-by-regex" value="${f.exclude}" placeholder="regex"></label>
<label><input type="checkbox" name="exclude-non-failed-tests" value=""${f.failuresOnly ? html` checked` : ''}> failures only</label>
<label><input type="checkbox" name="flaky-tests-only" value=""${f.flakyOnly ? html` checked` : ''}> flaky only</label>
<label>Sort <select name="sort">${sort('name', 'by name')}${sort('failures', 'by failures')}${sort('flakiness', 'by flakiness')}</select></label>
<button type="submit">Apply</button> <a href="${tabPath(t.dashboard, t.tab)}">clear</a>
</form>`;
}

function alerts(t: TabGrid): SafeHtml {
  if (t.alerts.length === 0) return html``;
  return html`<ul class="tg-alerts">${t.alerts.map(
    (a) => html`<li><a href="${historyPath(t.dashboard, t.tab, a.test_name)}">${a.test_name}</a> has failed ${a.fail_count} times in a row since build ${a.fail_build_id} (${formatMs(a.fail_time)})${a.pass_build_id === undefined ? '' : html`; it last passed in ${a.pass_build_id}`}${a.failure_message === '' ? '' : html`: <span class="tg-message">${a.failure_message}</span>`}</li>`,
  )}</ul>`;
}

/** `/testgrid/<dashboard>/<tab>`: the summary, alerts and filters, and the grid the client script draws from the inline JSON. */
export function tabBody(dashboard: Dashboard, t: TabGrid): SafeHtml {
  const s = t.summary;
  return html`${tabBar(dashboard, t.tab)}
<div class="tg-summary-line">${tabBadge(s.overall_status)} <span class="tg-status">${s.status}</span> <span class="muted">· latest green: ${s.latest_green} · last run ${formatMs(s.last_run_timestamp) || 'never'}</span></div>
${t.description === '' ? '' : html`<p class="muted">${t.description}</p>`}
${alerts(t)}
${filterForm(t, t.filters)}
<p class="count">${t.grid.rows.length} of ${t.total_rows} rows · ${t.grid.columns.length} columns, newest first · <a href="/api/testgrid/${encodeURIComponent(t.dashboard)}/${encodeURIComponent(t.tab)}">JSON</a></p>
${t.grid.rows.length === 0 ? html`<p class="empty">No rows match the filters.</p>` : ''}
<div id="grid" class="tg-grid" tabindex="0" aria-label="test results, one row per test and one column per build"></div>
<div id="grid-tip" class="tg-tip" hidden></div>
<script type="application/json" id="grid-data">${inlineJson(t)}</script>`;
}
