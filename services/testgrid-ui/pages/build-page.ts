import type { FastifyPluginCallback } from 'fastify';
import { buildLocationOf, readBuild, type BuildStores, type BuildView, type JunitLens, type JunitLensView } from '../api/build.ts';
import type { LogLine } from '../api/build-log.ts';
import { prHistoryPath } from '../api/jobs.ts';
import { formatBytes, formatDuration, formatTime, stateBadge } from './format.ts';
import { html, safeUrl, type SafeHtml } from './html.ts';
import type { PageLayout } from './layout.ts';

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

function result(view: BuildView): string {
  const finished = view.finished;
  if (finished === undefined) return view.prowjob?.status.state === undefined ? 'PENDING' : view.prowjob.status.state.toUpperCase();
  return str(finished.result) ?? (finished.passed === true ? 'SUCCESS' : 'FAILURE');
}

function metadata(view: BuildView): SafeHtml {
  const pj = view.prowjob;
  const started = view.started;
  const finished = view.finished;
  const refs = pj?.spec.refs;
  const pull = refs?.pulls?.[0];
  const repos = started?.repos;
  const row = (k: string, v: SafeHtml | SafeHtml[] | string | undefined): SafeHtml => (v === undefined || v === '' ? html`` : html`<tr><th>${k}</th><td>${v}</td></tr>`);
  return html`<section class="lens metadata"><h2>${stateBadge(result(view))} ${pj?.spec.job ?? view.location.dir.split('/').at(-2) ?? ''}</h2><table class="kv">
${row('Build', pj?.status.build_id ?? view.location.dir.split('/').at(-1))}
${row('Type', pj?.spec.type)}
${row('Started', formatTime(num(started?.timestamp)))}
${row('Finished', formatTime(num(finished?.timestamp)))}
${row('Elapsed', formatDuration(num(started?.timestamp), num(finished?.timestamp)))}
${row('Repository', refs === undefined ? undefined : html`${refs.org}/${refs.repo}${refs.base_ref === undefined ? '' : html` on ${refs.base_ref}`}`)}
${row('Pull', refs === undefined || pull === undefined ? undefined : html`<a class="pr-link" href="${prHistoryPath(refs.org, refs.repo, pull.number)}">#${pull.number}</a> by ${pull.author}${pull.link === undefined ? '' : html` <a href="${safeUrl(pull.link)}">on GitHub</a>`}`)}
${row('Revision', str(finished?.revision) ?? str(started?.['repo-commit']))}
${row('Repos', typeof repos === 'object' && repos !== null ? Object.entries(repos as Record<string, unknown>).map(([k, v]) => html`<div><code>${k}: ${str(v) ?? ''}</code></div>`) : undefined)}
${row('Pod', pj?.status.pod_name)}
${row('ProwJob', pj?.metadata.name)}
${row('Description', pj?.status.description)}
</table>${view.problems.length > 0 ? html`<p class="problem">${view.problems.join('; ')}</p>` : ''}</section>`;
}

function logLine(l: LogLine): SafeHtml {
  return html`<span class="line${l.failure ? ' failure' : ''}" id="l${l.number}"><a class="ln" href="#l${l.number}">${l.number}</a>${l.text}\n</span>`;
}

function buildLog(view: BuildView): SafeHtml {
  const log = view.log;
  if (log === undefined) return html``;
  const failures = log.lines.filter((l) => l.failure);
  const src = `/api/log${view.path.slice('/view'.length)}`;
  return html`<section class="lens buildlog"><h2>Build log <a class="muted" href="${view.artifacts.find((a) => a.name === 'build-log.txt')?.href ?? '#'}">raw</a></h2>
<ul class="failures" id="log-failures">${failures.map((l) => html`<li><a href="#l${l.number}">line ${l.number}</a>: <code>${l.text}</code></li>`)}</ul>
<pre class="log" id="log" data-src="${src}" data-next="${log.next}" data-line="${(log.lines.at(-1)?.number ?? 0) + 1}">${log.lines.map(logLine)}</pre>
${log.done ? '' : html`<p class="more" id="log-more"><button type="button" data-load="one">Load more</button> <button type="button" data-load="all">Load all</button> <span id="log-progress">${formatBytes(log.next)}${log.size === undefined ? '' : html` of ${formatBytes(log.size)}`}</span></p>`}
</section>`;
}

function junit(view: JunitLensView | { error: string } | undefined): SafeHtml {
  if (view === undefined) return html``;
  if ('error' in view) return html`<section class="lens junit"><h2>JUnit</h2><p class="problem">The JUnit results could not be read: ${view.error}</p></section>`;
  const by = (s: string): typeof view.tests => view.tests.filter((t) => t.status === s);
  const [failed, flaky, passed, skipped] = [by('failed'), by('flaky'), by('passed'), by('skipped')];
  const detail = (t: (typeof view.tests)[number]): SafeHtml =>
    html`<li class="test test-${t.status}"><span class="test-name">${t.name}</span>${t.duration === undefined ? '' : html` <span class="muted">${t.duration.toFixed(2)}s</span>`}${t.message === undefined || t.message === '' ? '' : html`<pre>${t.message}</pre>`}</li>`;
  return html`<section class="lens junit"><h2>JUnit: ${failed.length} failed, ${flaky.length} flaky, ${passed.length} passed, ${skipped.length} skipped</h2>
${failed.length > 0 ? html`<h3>Failed</h3><ul class="tests">${failed.map(detail)}</ul>` : ''}
${flaky.length > 0 ? html`<h3>Flaky</h3><ul class="tests">${flaky.map(detail)}</ul>` : ''}
${passed.length > 0 ? html`<details><summary>${passed.length} passed</summary><ul class="tests">${passed.map(detail)}</ul></details>` : ''}
${skipped.length > 0 ? html`<details><summary>${skipped.length} skipped</summary><ul class="tests">${skipped.map(detail)}</ul></details>` : ''}
</section>`;
}

function artifacts(view: BuildView): SafeHtml {
  return html`<section class="lens artifacts"><h2>Artifacts</h2><table class="files"><tbody>${view.artifacts.map(
    (a) => html`<tr><td><a class="artifact" href="${a.href}">${a.name}</a></td><td class="num">${formatBytes(a.size)}</td><td class="muted">${formatTime(a.updated)}</td></tr>`,
  )}</tbody></table></section>`;
}

/** Spyglass' page at deck's `/view/<provider>/<bucket>/<dir>`: metadata, build log, JUnit results (the lens slot) and artifacts. */
export function buildPage(stores: BuildStores, junitLens: JunitLens | undefined, layout: PageLayout, pieceBytes?: number): FastifyPluginCallback {
  return (app, _opts, done) => {
    app.get('/view/:provider/:bucket/*', async (req, reply) => {
      const view = await readBuild(stores, buildLocationOf(req.params), junitLens, pieceBytes);
      const title = view.prowjob === undefined ? view.location.dir : `${view.prowjob.spec.job} #${view.prowjob.status.build_id ?? ''}`;
      const body = html`${metadata(view)}${junit(view.junit)}${buildLog(view)}${artifacts(view)}`;
      return reply.type('text/html; charset=utf-8').send(layout({ title, path: req.url.split('?')[0] ?? '', body, scripts: ['build-log.js'] }));
    });
    done();
  };
}
