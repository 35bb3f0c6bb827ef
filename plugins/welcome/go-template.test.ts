import { describe, expect, it } from 'vitest';
import { isProwError } from '../../lib/errors.ts';
import { renderGoTemplate } from './go-template.ts';

const data = { AuthorLogin: 'octo-cat', AuthorName: "Ada O'Brien <ada>", Org: 'acme', Repo: 'widgets' };

function errorCode(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return isProwError(err) ? err.code : String(err);
  }
}

describe('renderGoTemplate', () => {
  it('fills {{.Field}} actions, with or without spaces, HTML-escaping values as html/template does', () => {
    expect(renderGoTemplate('t', 'Welcome @{{.AuthorLogin}}! It looks like this is your first PR to {{ .Org }}/{{.Repo}} 🎉', data)).toBe(
      'Welcome @octo-cat! It looks like this is your first PR to acme/widgets 🎉',
    );
    expect(renderGoTemplate('t', 'Hi {{.AuthorName}} & co', data)).toBe('Hi Ada O&#39;Brien &lt;ada&gt; & co');
  });

  it('trims whitespace beside {{- and -}} and drops comments', () => {
    expect(renderGoTemplate('t', 'a  {{- .Org -}}  \n b{{/* why */}}!', data)).toBe('aacmeb!');
    expect(renderGoTemplate('t', '{{.Org}} {{.Repo}}\n', data)).toBe('acme widgets\n');
    expect(renderGoTemplate('t', '{{.Org}} {{- .Repo -}} \n {{ .Org }}', data)).toBe('acmewidgetsacme');
  });

  it('refuses what it cannot render: unknown fields, other actions, unclosed braces', () => {
    expect(errorCode(() => renderGoTemplate('welcome[0].message_template', 'Hi {{.Login}}', data))).toBe('PROW_ERR_TEMPLATE_INVALID');
    expect(errorCode(() => renderGoTemplate('t', '{{if .Org}}x{{end}}', data))).toBe('PROW_ERR_TEMPLATE_INVALID');
    expect(errorCode(() => renderGoTemplate('t', 'Hi {{.Org', data))).toBe('PROW_ERR_TEMPLATE_INVALID');
    expect(errorCode(() => renderGoTemplate('t', '{{.constructor}}', data))).toBe('PROW_ERR_TEMPLATE_INVALID');
  });
});
