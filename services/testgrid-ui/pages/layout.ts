import { html, type SafeHtml } from './html.ts';

/** One entry of the nav bar. `match` says which paths light it up (its href and below by default). */
export interface NavEntry {
  href: string;
  label: string;
  match?: (path: string) => boolean;
}

/** The pages this service has today; the grid and triage pages add their entries to this list. */
export const defaultNav: readonly NavEntry[] = [
  { href: '/', label: 'Jobs', match: (p) => p === '/' || p.startsWith('/pr-history') || p.startsWith('/view/') },
  { href: '/tide', label: 'Merge queue', match: (p) => p.startsWith('/tide') },
  { href: '/pr', label: 'PR dashboard', match: (p) => p === '/pr' },
  { href: '/command-help', label: 'Command help' },
];

/** What one page gives the layout. */
export interface PageContent {
  title: string;
  /** The request path, to mark the active nav entry. */
  path: string;
  body: SafeHtml;
  /** Scripts under /static/ the page needs. */
  scripts?: readonly string[];
  /** Stylesheets under /static/ beside app.css (a page family's own, served by its plugin). */
  styles?: readonly string[];
}

/** A page renderer over a nav bar: the one layout every page uses, extended by passing more entries. */
export type PageLayout = (page: PageContent) => string;

function isActive(entry: NavEntry, path: string): boolean {
  if (entry.match !== undefined) return entry.match(path);
  return path === entry.href || path.startsWith(`${entry.href}/`);
}

/** The layout for a nav bar: head, nav with the active entry marked, the page's body and its scripts. */
export function pageLayout(nav: readonly NavEntry[] = defaultNav): PageLayout {
  return (page) =>
    html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} · prow-ts</title>
<link rel="stylesheet" href="/static/app.css">
${(page.styles ?? []).map((s) => html`<link rel="stylesheet" href="/static/${s}">`)}
</head>
<body>
<nav class="nav"><span class="brand">prow-ts</span>${nav.map(
      (e) => html`<a href="${e.href}"${isActive(e, page.path) ? html` class="active" aria-current="page"` : ''}>${e.label}</a>`,
    )}</nav>
<main>
<h1>${page.title}</h1>
${page.body}
</main>
${(page.scripts ?? []).map((s) => html`<script src="/static/${s}" defer></script>`)}
</body>
</html>
`.text;
}
