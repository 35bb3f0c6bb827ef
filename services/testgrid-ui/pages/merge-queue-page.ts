import type { FastifyPluginCallback } from 'fastify';
import type { HistoryRecord } from '../../tide/pool-store.ts';
import type { CodeReviewCommon, PoolJson } from '../../tide/pools-json.ts';
import { param, prHistoryPath } from '../api/jobs.ts';
import { readMergeQueue, type TideSource } from '../api/merge-queue.ts';
import { filterSelect, formatTime, stateBadge } from './format.ts';
import { html, safeUrl, type SafeHtml } from './html.ts';
import type { PageLayout } from './layout.ts';

/** History records shown per pool; `/api/tide-history` has all (Tide keeps 1,000). */
const maxHistory = 50;

const poolKey = (p: Pick<PoolJson, 'Org' | 'Repo' | 'Branch'>): string => `${p.Org}/${p.Repo}:${p.Branch}`;

function prLink(org: string, repo: string, n: number, title?: string): SafeHtml {
  return html`<a class="pr-link" href="${prHistoryPath(org, repo, n)}" title="${title ?? ''}">#${n}</a>`;
}

function pool(p: PoolJson): SafeHtml {
  const byNumber = new Map<number, CodeReviewCommon>([...p.SuccessPRs, ...p.PendingPRs, ...p.MissingPRs, ...p.Target].map((c) => [c.Number, c]));
  const queue = p.Queue.length === 0
    ? html`<p class="empty">The queue is empty.</p>`
    : html`<table class="queue"><thead><tr><th>#</th><th>PR</th><th>Title</th><th>Author</th><th>Waiting since</th><th>Train</th></tr></thead><tbody>${p.Queue.map((q) => {
        const c = byNumber.get(q.Number);
        return html`<tr><td>${q.Position}</td><td>${prLink(p.Org, p.Repo, q.Number)}</td><td>${c?.Title ?? ''}</td><td>${c?.AuthorLogin ?? ''}</td><td>${formatTime(q.Since)}</td><td>${q.Train ?? ''}</td></tr>`;
      })}</tbody></table>`;
  const trains = p.Trains.length === 0
    ? html``
    : html`<h3>Trains</h3><table class="trains"><thead><tr><th>Train</th><th>State</th><th>Batch</th><th>On</th><th>Commit</th><th>Jobs</th></tr></thead><tbody>${p.Trains.map(
        (t) => html`<tr><td>${t.ID}${t.Check === undefined ? '' : html` <span class="muted">(${t.Check})</span>`}</td><td>${stateBadge(t.State)}</td><td>${t.Batch.map((n) => html`${prLink(p.Org, p.Repo, n)} `)}</td><td>${t.Parent ?? 'base'}</td><td><code>${(t.SHA ?? '').slice(0, 10)}</code></td><td>${Object.entries(t.Jobs).map(
          ([name, j]) => html`<div>${stateBadge(j.State)} ${name}${j.Attempts > 1 ? html` <span class="muted">×${j.Attempts}</span>` : ''}</div>`,
        )}</td></tr>`,
      )}</tbody></table>`;
  const held = p.Held.length === 0 ? html`` : html`<h3>Held out</h3><ul>${p.Held.map((h) => html`<li>${prLink(p.Org, p.Repo, h.Number)} ${h.Kind}${h.Job === undefined ? '' : html`: failed ${h.Job} in ${h.Train ?? ''}`}${h.Files === undefined ? '' : html`: conflicts in ${h.Files.join(', ')}`}</li>`)}</ul>`;
  const blockers = p.Blockers.length === 0 ? html`` : html`<p class="problem">Blocked by ${p.Blockers.map((b) => html`<a href="${safeUrl(b.URL)}">#${b.Number} ${b.Title}</a> `)}</p>`;
  return html`<section class="pool" data-pool="${poolKey(p)}"><h2>${poolKey(p)} ${stateBadge(p.Action)}</h2>
<p class="muted">base <code>${p.BaseSHA.slice(0, 10)}</code> · window ${p.Window} · failure estimate ${p.Estimates.Failure.toFixed(2)}, flake ${p.Estimates.Flake.toFixed(2)}${p.Target.length > 0 ? html` · target ${p.Target.map((c) => prLink(p.Org, p.Repo, c.Number, c.Title))}` : ''}</p>
${p.Error === '' ? '' : html`<p class="problem">${p.Error}</p>`}${blockers}${queue}${trains}${held}</section>`;
}

function history(records: Record<string, HistoryRecord[]>, only: string | undefined): SafeHtml {
  const keys = Object.keys(records).filter((k) => only === undefined || only === '' || k === only).sort();
  const rows = keys.flatMap((k) => (records[k] ?? []).slice(0, maxHistory).map((r) => ({ pool: k, ...r })));
  rows.sort((a, b) => b.time.localeCompare(a.time));
  if (rows.length === 0) return html`<p class="empty">No history yet.</p>`;
  return html`<table class="history"><thead><tr><th>Time</th><th>Pool</th><th>Action</th><th>PRs</th><th>Base</th><th>Error</th></tr></thead><tbody>${rows.map((r) => {
    const [org, rest] = [r.pool.split('/')[0] ?? '', r.pool.split('/')[1] ?? ''];
    const repo = rest.split(':')[0] ?? '';
    return html`<tr><td>${formatTime(r.time)}</td><td>${r.pool}</td><td>${stateBadge(r.action)}</td><td>${r.target.map((t) => html`${prLink(org, repo, t.number, t.title)} `)}</td><td><code>${r.baseSHA.slice(0, 10)}</code></td><td>${r.err ?? ''}</td></tr>`;
  })}</tbody></table>`;
}

/** Tide's page at `/tide`: each pool's queue, trains and holds, then the history (`?pool=` narrows it). */
export function mergeQueuePage(tide: TideSource, layout: PageLayout): FastifyPluginCallback {
  return (app, _opts, done) => {
    app.get('/tide', async (req, reply) => {
      const { pools, history: records } = await readMergeQueue(tide);
      const only = param(req.query, 'pool');
      const body = html`${pools.length === 0 ? html`<p class="empty">Tide has no pools: no open PR matches a Tide query yet.</p>` : pools.map(pool)}
<h2 id="history">History</h2>
<form class="filters" method="get" action="/tide#history" data-autosubmit>${filterSelect('pool', 'Pool', Object.keys(records).sort(), only)}</form>
${history(records, only)}`;
      return reply.type('text/html; charset=utf-8').send(layout({ title: 'Merge queue', path: '/tide', body, scripts: ['autosubmit.js'] }));
    });
    done();
  };
}
