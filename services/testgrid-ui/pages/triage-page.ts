import { readFileSync } from 'node:fs';
import type { FastifyPluginCallback } from 'fastify';
import { triageFilterOf, type TriageSource } from '../api/triage.ts';
import type { ClusterSummary, NameCount, TriageSummary } from '../triage/summary.ts';
import { filterSelect, formatTime } from './format.ts';
import { html, safeUrl, type SafeHtml } from './html.ts';
import type { NavEntry, PageLayout } from './layout.ts';

/** The triage page's entry in the nav bar. */
export const triageNav: NavEntry = { href: '/triage', label: 'Triage' };

/** Clusters shown at once; the JSON API has them all. */
const maxClusters = 100;
/** Names shown before the rest fold away. */
const shownNames = 3;
const DAY = 86_400_000;

const sparkWidth = 140;
const sparkHeight = 28;

/** The daily counts as bars, oldest on the left; each bar's title gives its day and count. */
function sparkline(daily: readonly number[], start: number): SafeHtml {
  const max = Math.max(1, ...daily);
  const step = sparkWidth / Math.max(1, daily.length);
  const bars = daily.map((n, i) => {
    const h = n === 0 ? 1 : Math.max(2, Math.round((n / max) * (sparkHeight - 2)));
    const day = new Date(start + i * DAY).toISOString().slice(0, 10);
    return html`<rect class="${n === 0 ? 'none' : 'some'}" x="${(i * step + 1).toFixed(1)}" y="${String(sparkHeight - h)}" width="${(step - 2).toFixed(1)}" height="${String(h)}"><title>${day}: ${String(n)}</title></rect>`;
  });
  return html`<svg class="spark" viewBox="0 0 ${String(sparkWidth)} ${String(sparkHeight)}" width="${String(sparkWidth)}" height="${String(sparkHeight)}" role="img" aria-label="failures per day: ${daily.join(', ')}">${bars}</svg>`;
}

/** The normalised key with what varies (UNIQn, TIME) marked. */
function markedKey(key: string): SafeHtml {
  return html`${key.split(/(UNIQ\d+|TIME)/).map((part, i) => (i % 2 === 1 ? html`<mark class="var">${part}</mark>` : part))}`;
}

function nameList(cls: string, names: readonly NameCount[]): SafeHtml {
  const item = (n: NameCount): SafeHtml => html`<li title="${n.name}"><span class="n">${String(n.count)}</span> ${n.name}</li>`;
  const rest = names.slice(shownNames);
  return html`<ul class="${cls}">${names.slice(0, shownNames).map(item)}</ul>${rest.length === 0 ? '' : html`<details class="more"><summary>${String(rest.length)} more</summary><ul class="${cls}">${rest.map(item)}</ul></details>`}`;
}

function clusterCard(c: ClusterSummary, start: number): SafeHtml {
  return html`<li class="cluster" id="c-${c.id}" data-id="${c.id}">
<div class="head">${sparkline(c.daily, start)}<span class="counts"><b>${String(c.recent.day)}</b> in 24 h · <b>${String(c.recent.week)}</b> in 7 d · <b>${String(c.total)}</b> in ${String(c.daily.length)} days · ${String(c.builds)} builds</span>${c.owner === undefined ? '' : html`<span class="owner">sig/${c.owner}</span>`}<a class="cluster-id" href="#c-${c.id}" title="stable while the cause lasts: search issues for it">${c.id}</a></div>
<pre class="key">${markedKey(c.key)}</pre>
<details class="text"><summary>Newest failure, ${formatTime(c.lastSeen / 1000)}</summary><pre>${c.text}</pre></details>
<div class="hits"><div><h3>Jobs</h3>${nameList('jobs', c.jobs)}</div><div><h3>Tests</h3>${nameList('tests', c.tests)}</div><div><h3>Builds</h3><ul class="examples">${c.examples.map(
    (e) => html`<li><a class="example" href="${safeUrl(e.url)}">${e.job} #${e.build}</a> <span class="muted">${formatTime(e.started / 1000)}</span></li>`,
  )}</ul></div></div>
</li>`;
}

function clusterList(summary: TriageSummary): SafeHtml {
  if (summary.clusters.length === 0) return html`<p class="empty">No failures match in the last ${String(summary.window.days)} days.</p>`;
  return html`<ol class="clusters">${summary.clusters.slice(0, maxClusters).map((c) => clusterCard(c, summary.window.start))}</ol>`;
}

const css = readFileSync(new URL('../static/triage.css', import.meta.url));

/**
 * `/triage`: the failure clusters of the last 14 days, ranked by the last day then week, each with its
 * daily counts as a sparkline, the key with what varies marked, the newest text, the jobs and tests it
 * hits, its SIG and its newest builds; filtered by job, test, text and SIG through a GET form. Serves its
 * stylesheet at `/static/triage.css` (a static route, which fastify prefers over `/static/:file`).
 */
export function triagePage(source: TriageSource, layout: PageLayout): FastifyPluginCallback {
  return (app, _opts, done) => {
    app.get('/static/triage.css', (_req, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=300').send(css));
    app.get('/triage', async (req, reply) => {
      const filter = triageFilterOf(req.query);
      const narrowed = Object.keys(filter).length > 0;
      const [summary, all] = await Promise.all([source.summary(filter), narrowed ? source.summary({}) : undefined]);
      const everything = all ?? summary;
      const jobs = [...new Set(everything.clusters.flatMap((c) => c.jobs.map((j) => j.name)))].sort();
      const sigs = [...new Set(everything.clusters.flatMap((c) => (c.owner === undefined ? [] : [c.owner])))].sort();
      const shown = Math.min(summary.clusters.length, maxClusters);
      const body = html`<form class="filters" method="get" action="/triage" data-autosubmit>
${filterSelect('job', 'Job', jobs, filter.job)}
${filterSelect('sig', 'SIG', sigs, filter.sig)}
<label>Test <input type="search" name="test" value="${filter.test ?? ''}" placeholder="part of a test name"></label>
<label>Text <input type="search" name="text" value="${filter.text ?? ''}" placeholder="part of the failure text"></label>
<button type="submit">Filter</button> <a href="/triage">clear</a>
</form>
<p class="count">${String(summary.clusters.length)} clusters, ${String(summary.failures)} failures in the ${String(summary.window.days)} days to ${formatTime(summary.now / 1000)} UTC${shown < summary.clusters.length ? html`, the first ${String(shown)} shown (all in <a href="/api/triage">/api/triage</a>)` : ''}</p>
${clusterList(summary)}`;
      return reply.type('text/html; charset=utf-8').send(layout({ title: 'Triage', path: '/triage', body, scripts: ['autosubmit.js'], styles: ['triage.css'] }));
    });
    done();
  };
}
