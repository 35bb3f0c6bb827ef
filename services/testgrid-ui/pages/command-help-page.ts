import type { FastifyPluginCallback } from 'fastify';
import { commandRows, type HelpSource } from '../api/command-help.ts';
import { param } from '../api/jobs.ts';
import { filterSelect } from './format.ts';
import { html } from './html.ts';
import type { PageLayout } from './layout.ts';

/** Deck's `/command-help`: every enabled plugin's commands from hook's `/plugin-help`, by repository, searchable. */
export function commandHelpPage(help: HelpSource, layout: PageLayout): FastifyPluginCallback {
  return (app, _opts, done) => {
    app.get('/command-help', async (req, reply) => {
      const answer = await help();
      const repo = param(req.query, 'repo') ?? '';
      const search = param(req.query, 'search') ?? '';
      const rows = commandRows(answer, repo, search);
      const body = html`<form class="filters" method="get" action="/command-help" data-autosubmit>
${filterSelect('repo', 'Repository', answer.AllRepos, repo)}
<label>Search <input type="search" name="search" value="${search}" placeholder="/lgtm, hold, label"></label> <button type="submit">Filter</button>
</form>
<p class="count">${rows.length} commands${repo === '' ? '' : html` enabled for ${repo}`}</p>
<table class="commands"><thead><tr><th>Command</th><th>Plugin</th><th>What it does</th><th>Who can use it</th><th>Examples</th></tr></thead><tbody>${rows.map(
        (c) => html`<tr data-plugin="${c.plugin}"><td><code class="usage">${c.usage}</code>${c.featured ? html` <span class="label">featured</span>` : ''}</td><td>${c.plugin}${c.external ? html` <span class="muted">(external)</span>` : ''}</td><td>${c.description}</td><td>${c.whoCanUse}</td><td>${c.examples.map((e) => html`<div><code>${e}</code></div>`)}</td></tr>`,
      )}</tbody></table>`;
      return reply.type('text/html; charset=utf-8').send(layout({ title: 'Command help', path: '/command-help', body, scripts: ['autosubmit.js'] }));
    });
    done();
  };
}
