import type { DashboardOverview, DashboardsOverview, DashboardView } from '../api/grid-dashboards.ts';
import { historyPath } from '../api/grid-view.ts';
import type { Dashboard } from '../dashboards/config-types.ts';
import type { FailingTestSummary } from '../grid/tab-summary.ts';
import { formatMs, percent, tabBadge, tabBar, trend } from './grid-format.ts';
import { html, type SafeHtml } from './html.ts';

function dashboardRows(dashboards: readonly DashboardOverview[]): SafeHtml {
  if (dashboards.length === 0) return html`<p class="empty">No dashboards in this group.</p>`;
  return html`<table class="tg-dashboards"><thead><tr><th>Dashboard</th><th>Status</th><th>Tabs</th></tr></thead><tbody>${dashboards.map(
    (d) => html`<tr data-dashboard="${d.name}"><td><a class="tg-dashboard" href="${d.link}">${d.name}</a>${d.description === '' ? '' : html`<div class="muted">${d.description}</div>`}</td><td>${tabBadge(d.overall_status)}</td><td><div class="tg-tab-badges">${d.tabs.map(
      (t) => html`<a class="tg-tab-badge tg-${t.overall_status.toLowerCase()}" href="${t.link}" title="${t.overall_status}: ${t.status}" data-status="${t.overall_status}">${t.name}</a>`,
    )}</div></td></tr>`,
  )}</tbody></table>`;
}

/** `/testgrid`: every dashboard group with its dashboards, each tab with its status. */
export function overviewBody(overview: DashboardsOverview): SafeHtml {
  if (overview.groups.length === 0 && overview.ungrouped.length === 0) {
    return html`<p class="empty">No dashboards are configured. Name a TestGrid configuration file in TESTGRID_CONFIG, or give Prow jobs testgrid-dashboards annotations.</p>`;
  }
  return html`${overview.groups.map(
    (g) => html`<section class="tg-group"><h2>${g.name}</h2>${g.description === '' ? '' : html`<p class="muted">${g.description}</p>`}${dashboardRows(g.dashboards)}</section>`,
  )}${overview.ungrouped.length === 0 ? '' : html`<section class="tg-group"><h2>${overview.groups.length === 0 ? 'Dashboards' : 'Other dashboards'}</h2>${dashboardRows(overview.ungrouped)}</section>`}`;
}

function failingTests(dashboard: string, tab: string, failing: readonly FailingTestSummary[]): SafeHtml {
  if (failing.length === 0) return html`<p class="muted">No test is failing consistently.</p>`;
  return html`<table class="tg-failing-tests"><thead><tr><th>Failing test</th><th class="num">Fails</th><th>First failure</th><th>Last pass</th><th>Message</th></tr></thead><tbody>${[...failing]
    .sort((a, b) => b.fail_count - a.fail_count)
    .map(
      (f) => html`<tr><td><a href="${historyPath(dashboard, tab, f.test_name)}">${f.test_name}</a></td><td class="num">${f.fail_count}</td><td>${f.fail_build_id} <span class="muted">${formatMs(f.fail_time)}</span></td><td>${f.pass_build_id === undefined ? html`<span class="muted">not in the grid</span>` : html`${f.pass_build_id} <span class="muted">${formatMs(f.pass_time)}</span>`}</td><td class="tg-message">${f.failure_message}</td></tr>`,
    )}</tbody></table>`;
}

/** `/testgrid/<dashboard>`: each tab's status, failing tests, latest green and healthiness. */
export function dashboardBody(dashboard: Dashboard, view: DashboardView): SafeHtml {
  return html`${tabBar(dashboard, '')}
${view.description === '' ? '' : html`<p class="muted">${view.description}</p>`}
<p>Overall: ${tabBadge(view.overall_status)}</p>
${view.tabs.map((t) => {
    const s = t.summary;
    const h = t.health;
    return html`<section class="tg-tab-summary" data-tab="${s.dashboard_tab_name}">
<h2><a href="${t.link}">${s.dashboard_tab_name}</a> ${tabBadge(s.overall_status)}</h2>
<p class="tg-status">${s.status}</p>
<table class="kv"><tbody>
<tr><th>Latest green</th><td class="tg-latest-green">${s.latest_green}</td></tr>
<tr><th>Last run</th><td>${formatMs(s.last_run_timestamp) || 'never'}</td></tr>
<tr><th>Updated</th><td>${formatMs(s.last_update_timestamp) || 'never'}</td></tr>
<tr><th>Test group</th><td>${s.test_group_name}</td></tr>
</tbody></table>
<h3>Failing tests</h3>
${failingTests(view.name, s.dashboard_tab_name, s.failing_tests)}
<h3>Healthiness</h3>
<p>Average flakiness over ${h.days} days: <strong>${percent(h.average_flakiness)}</strong>${h.previous_average_flakiness === undefined ? '' : html` (the ${h.days} days before: ${percent(h.previous_average_flakiness)})`}</p>
${h.flaky_tests.length === 0
      ? html`<p class="muted">No flaky tests.</p>`
      : html`<table class="tg-flaky-tests"><thead><tr><th>Flaky test</th><th class="num">Flakiness</th><th class="num">Before</th><th>Trend</th><th class="num">Runs</th></tr></thead><tbody>${h.flaky_tests.map(
          (f) => html`<tr><td><a href="${historyPath(view.name, s.dashboard_tab_name, f.name)}">${f.name}</a></td><td class="num">${percent(f.flakiness)}</td><td class="num">${f.previous_flakiness === undefined ? '' : percent(f.previous_flakiness)}</td><td>${trend(f.change_from_last_interval)}</td><td class="num">${f.total_runs_with_infra}</td></tr>`,
        )}</tbody></table>`}
</section>`;
  })}`;
}
