import { describe, expect, it } from 'vitest';
import { html, safeUrl } from './html.ts';

describe('html', () => {
  it('escapes every interpolated value and keeps nested html as markup', () => {
    const name = '<img src=x onerror=alert(1)>';
    const out = html`<td title="${`"${name}'`}">${name}</td>${html`<b>${[1, ' & ', true]}</b>`}${undefined}${false}`;
    expect(out.text).toBe('<td title="&quot;&lt;img src=x onerror=alert(1)&gt;&#39;">&lt;img src=x onerror=alert(1)&gt;</td><b>1 &amp; true</b>');
  });

  it('lets only http(s) and site paths into links', () => {
    expect(['https://github.com/a/b/pull/1', '/view/gs/b/x', 'javascript:alert(1)', '//evil.example', undefined].map(safeUrl)).toEqual(['https://github.com/a/b/pull/1', '/view/gs/b/x', '#', '#', '#']);
  });
});
