import type { FastifyPluginCallback } from 'fastify';
import { param } from '../api/jobs.ts';
import type { PrDashboardSource, PrNeeds } from '../api/pr-dashboard.ts';
import { html, safeUrl, type SafeHtml } from './html.ts';
import type { PageLayout } from './layout.ts';

function prList(title: string, prs: readonly PrNeeds[], id: string): SafeHtml {
  if (prs.length === 0) return html`<section id="${id}"><h2>${title}</h2><p class="empty">None.</p></section>`;
  return html`<section id="${id}"><h2>${title} (${prs.length})</h2><table class="prs"><thead><tr><th>PR</th><th>Title</th><th>Author</th><th>Still needs</th><th>Tide</th></tr></thead><tbody>${prs.map(
    (p) => html`<tr class="${p.needs.length === 0 ? 'ready' : 'waiting'}"><td><a class="pr-link" href="${safeUrl(p.url)}">${p.org}/${p.repo}#${p.number}</a><div><a class="muted jobs-link" href="${p.jobsPath}">jobs</a></div></td><td>${p.title}<div>${p.labels.map((l) => html`<span class="label">${l}</span>`)}</div></td><td>${p.author}</td><td>${
      p.needs.length === 0 ? html`<span class="state state-success">nothing</span>` : html`<ul class="needs">${p.needs.map((n) => html`<li class="need need-${n.kind}" data-need="${n.kind}">${n.text}</li>`)}</ul>`
    }</td><td>${p.tide}${p.queue === undefined ? '' : html`<div>queued ${p.queue.position} in <a href="/tide">${p.queue.pool}</a></div>`}</td></tr>`,
  )}</tbody></table></section>`;
}

/** Deck's PR dashboard at `/pr?login=`: the login's PRs and review requests, and what each still needs. */
export function prDashboardPage(source: PrDashboardSource, layout: PageLayout): FastifyPluginCallback {
  return (app, _opts, done) => {
    app.get('/pr', async (req, reply) => {
      const login = (param(req.query, 'login') ?? '').trim();
      const form = html`<form class="filters" method="get" action="/pr"><label>GitHub login <input type="search" name="login" value="${login}" required></label> <button type="submit">Show</button></form>`;
      let body: SafeHtml = html`${form}<p class="muted">Enter a login to see the PRs they wrote and the ones waiting for their review.</p>`;
      if (login !== '') {
        const dash = await source(login);
        body = html`${form}${prList(`PRs by ${dash.login}`, dash.authored, 'authored')}${prList(`Waiting for ${dash.login}'s review`, dash.reviewing, 'reviewing')}`;
      }
      return reply.type('text/html; charset=utf-8').send(layout({ title: 'PR dashboard', path: '/pr', body }));
    });
    done();
  };
}
