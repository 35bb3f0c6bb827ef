import type { TestHistory } from '../api/grid-history.ts';
import { tabPath } from '../api/grid-view.ts';
import type { Dashboard } from '../dashboards/config-types.ts';
import { TestStatus } from '../grid/status.ts';
import { dailyChart, formatMs, percent, tabBar, trend } from './grid-format.ts';
import { html, type SafeHtml } from './html.ts';

/** Runs listed below the strip: those that did not plainly pass, newest first. */
const maxListed = 200;

function flakinessBlock(h: TestHistory): SafeHtml {
  const f = h.flakiness;
  if (f === undefined) return html`<p class="muted">Flakiness is not measured for this row (a synthetic row, or no run in the last ${h.flakiness_days} days).</p>`;
  return html`<table class="kv tg-flakiness"><tbody>
<tr><th>Flakiness</th><td><strong>${percent(f.flakiness)}</strong> over ${h.flakiness_days} days ${trend(f.change_from_last_interval)}${f.previous_flakiness === undefined ? '' : html` <span class="muted">(${percent(f.previous_flakiness)} the ${h.flakiness_days} days before)</span>`}</td></tr>
<tr><th>Runs</th><td>${f.total_runs_with_infra}: ${f.passed_non_infra_runs} passed, ${f.failed_non_infra_runs} failed${f.failed_infra_runs === 0 ? '' : html`, ${f.failed_infra_runs} infra failures`}</td></tr>
</tbody></table>`;
}

/** `/testgrid/<dashboard>/<tab>/test?name=`: one row's cells over the columns, its flakiness and trend, and a daily chart. */
export function testBody(dashboard: Dashboard, h: TestHistory): SafeHtml {
  const notPassing = h.cells.filter((c) => c.status !== TestStatus.NO_RESULT && c.status !== TestStatus.PASS);
  return html`${tabBar(dashboard, h.tab)}
<p>In <a href="${tabPath(h.dashboard, h.tab)}">${h.dashboard} / ${h.tab}</a> (test group ${h.test_group}), ${h.cells.length} columns.</p>
${h.alert === undefined ? '' : html`<p class="tg-alerts">Failing ${h.alert.fail_count} times in a row since build ${h.alert.fail_build_id}${h.alert.pass_build_id === undefined ? '' : html`; last passed in ${h.alert.pass_build_id}`}.</p>`}
${flakinessBlock(h)}
<h2>Results per day</h2>
${dailyChart(h.days)}
<h2>Every run, newest first</h2>
<div class="tg-strip">${h.cells.map((c) =>
    c.status === TestStatus.NO_RESULT
      ? html`<span class="c s0" title="${c.build}: no result"></span>`
      : html`<a class="c s${c.status}" href="${c.link}" title="${c.build} ${formatMs(c.started)}: ${c.status_name}${c.message === undefined ? '' : `: ${c.message}`}">${c.icon ?? ''}</a>`,
  )}</div>
<h2>Runs that did not pass</h2>
${notPassing.length === 0
    ? html`<p class="muted">Every run passed.</p>`
    : html`<table class="tg-runs"><thead><tr><th>Build</th><th>Started</th><th>Result</th><th>Message</th></tr></thead><tbody>${notPassing.slice(0, maxListed).map(
        (c) => html`<tr><td><a href="${c.link}">${c.build}</a></td><td>${formatMs(c.started)}</td><td><span class="c s${c.status} tg-inline">${c.icon ?? ''}</span> ${c.status_name}</td><td class="tg-message">${c.message ?? ''}</td></tr>`,
      )}</tbody></table>${notPassing.length > maxListed ? html`<p class="muted">The newest ${maxListed} of ${notPassing.length}.</p>` : ''}`}`;
}
