import type { FastifyPluginCallback } from 'fastify';
import type { JobStore } from '../../../lib/jobs/index.ts';
import { filterChoices, filterJobs, jobFiltersOf, prHistory, prTarget, type JobRow } from '../api/jobs.ts';
import { HttpProblem } from '../api/problem.ts';
import { filterSelect, formatDuration, formatTime, stateBadge } from './format.ts';
import { html, safeUrl, type SafeHtml } from './html.ts';
import type { PageLayout } from './layout.ts';

/** Rows shown at once; the JSON API has them all. */
const maxRows = 1000;

function jobLinks(r: JobRow): SafeHtml {
  return html`${r.buildPath === undefined ? (r.url === undefined ? '' : html`<a href="${safeUrl(r.url)}">status</a>`) : html`<a class="build-link" href="${r.buildPath}">build ${r.buildId ?? ''}</a>`}`;
}

function refsCell(r: JobRow): SafeHtml {
  if (r.repo === undefined) return html``;
  if (r.pull === undefined) return html`${r.repo}${r.baseRef === undefined ? '' : html` <span class="muted">${r.baseRef}</span>`}`;
  return html`${r.repo} <a class="pr-link" href="${r.prPath ?? '#'}">#${r.pull}</a>${r.pullLink === undefined ? '' : html` <a class="muted" href="${safeUrl(r.pullLink)}" title="on GitHub">↗</a>`}`;
}

/** The rows of a jobs table, newest first. */
export function jobsTable(rows: readonly JobRow[], withRefs = true): SafeHtml {
  if (rows.length === 0) return html`<p class="empty">No jobs match.</p>`;
  return html`<table class="jobs"><thead><tr><th>State</th><th>Job</th><th>Type</th>${withRefs ? html`<th>Repository</th><th>Author</th>` : ''}<th>Started</th><th>Duration</th><th>Build</th></tr></thead><tbody>${rows.map(
    (r) => html`<tr data-state="${r.state}"><td>${stateBadge(r.state)}</td><td class="job-name" title="${r.description ?? ''}">${r.job}</td><td>${r.type}</td>${withRefs ? html`<td>${refsCell(r)}</td><td>${r.author ?? ''}</td>` : ''}<td>${formatTime(r.started)}</td><td>${formatDuration(r.started, r.finished ?? undefined)}</td><td>${jobLinks(r)}</td></tr>`,
  )}</tbody></table>`;
}

/** Deck's job list at `/` (filters repo, type, state, author, job) and a pull's jobs at `/pr-history?org=&repo=&pr=`. */
export function jobsPages(jobs: JobStore, layout: PageLayout): FastifyPluginCallback {
  return (app, _opts, done) => {
    app.get('/', async (req, reply) => {
      const all = await jobs.list();
      const filters = jobFiltersOf(req.query);
      const rows = filterJobs(all, filters);
      const choices = filterChoices(all);
      const body = html`<form class="filters" method="get" action="/" data-autosubmit>
${filterSelect('repo', 'Repository', choices.repo, filters.repo)}
${filterSelect('type', 'Type', choices.type, filters.type)}
${filterSelect('state', 'State', choices.state, filters.state)}
${filterSelect('author', 'Author', choices.author, filters.author)}
<label>Job <input type="search" name="job" value="${filters.job ?? ''}" list="job-names" placeholder="part of a job name"></label>
<datalist id="job-names">${choices.job.map((j) => html`<option value="${j}">`)}</datalist>
<button type="submit">Filter</button> <a href="/">clear</a>
</form>
<p class="count">${rows.length} of ${all.length} jobs${rows.length > maxRows ? html`, the newest ${maxRows} shown (all in <a href="/api/jobs">/api/jobs</a>)` : ''}</p>
${jobsTable(rows.slice(0, maxRows))}`;
      return reply.type('text/html; charset=utf-8').send(layout({ title: 'Jobs', path: '/', body, scripts: ['autosubmit.js'] }));
    });
    app.get('/pr-history', async (req, reply) => {
      const target = prTarget(req.query);
      if (typeof target === 'string') throw new HttpProblem(400, target);
      const history = await prHistory(jobs, target.org, target.repo, target.pr);
      const body = history.jobs.length === 0
        ? html`<p class="empty">No jobs of ${target.org}/${target.repo}#${target.pr} are in the job store. Old jobs are removed after sinker's max_prowjob_age.</p>`
        : history.jobs.map((j) => html`<section class="pr-job"><h2>${j.job} ${stateBadge(j.runs[0]?.state ?? 'unknown')}</h2>${jobsTable(j.runs, false)}</section>`);
      return reply
        .type('text/html; charset=utf-8')
        .send(layout({ title: `${target.org}/${target.repo}#${String(target.pr)}`, path: '/pr-history', body: html`<p>Every job of the pull, newest run first.</p>${body}` }));
    });
    done();
  };
}
