import { describe, expect, it } from 'vitest';
import { isProwError } from '../errors.ts';
import { parseGoTemplate, renderGoTemplate, type RenderOptions } from './go-template.ts';

const job = {
  spec: {
    type: 'presubmit',
    job: 'pull-test',
    refs: { org: 'acme', repo: 'widgets', base_sha: 'abc', pulls: [{ number: 7, author: 'ada' }, { number: 9, author: 'bob' }] },
  },
  status: { build_id: '1234', pod_name: 'pod-1', state: 'pending', url: 'https://deck/x' },
};

const render = (text: string, data: unknown = job, options?: RenderOptions): string => renderGoTemplate('test.template', text, data, options);

function failure(fn: () => unknown): { code: string | undefined; message: string } {
  try {
    fn();
  } catch (err) {
    return { code: isProwError(err) ? err.code : undefined, message: String(err) };
  }
  throw new Error('expected the template to fail');
}

describe('field chains', () => {
  it('map Go field names onto JSON keys: as written, lowerCamel, then snake_case', () => {
    expect(render('{{.Spec.Job}}/{{.Status.BuildID}}/{{.Status.PodName}}/{{.Spec.Refs.BaseSHA}}/{{.Status.URL}}')).toBe('pull-test/1234/pod-1/abc/https://deck/x');
    expect(render('{{.APIVersion}} {{.JobURLPrefix}} {{.GCSConfiguration}}', { apiVersion: 'v1', job_url_prefix: 'p', gcs_configuration: 'g' })).toBe('v1 p g');
    expect(render('{{.Number}} by {{.Author}}', { Number: 5, Author: 'x' })).toBe('5 by x');
    // The key as written wins over the spellings derived from it.
    expect(render('{{.Org}}', { Org: 'exact', org: 'camel' })).toBe('exact');
  });

  it('print a missing field as <no value>, as Go does on a map, and fields of it likewise', () => {
    expect(render('[{{.Spec.Nope}}] [{{.Nope.Deeper}}] [{{.Spec.Refs.Org}}]')).toBe('[<no value>] [<no value>] [acme]');
  });

  it('never reach into the prototype', () => {
    expect(render('{{.constructor}}|{{.toString}}', {})).toBe('<no value>|<no value>');
  });

  it("refuse a field of a string, as Go can't evaluate it", () => {
    expect(failure(() => render('{{.Spec.Job.Name}}')).code).toBe('PROW_ERR_TEMPLATE_INVALID');
  });

  it('fail on a missing field with missingKey error, naming the fields there are', () => {
    const err = failure(() => render('Hi {{.Login}}', { AuthorLogin: 'ada', Org: 'acme' }, { missingKey: 'error' }));
    expect(err.code).toBe('PROW_ERR_TEMPLATE_INVALID');
    expect(err.message).toContain('.AuthorLogin, .Org');
    expect(err.message).toContain('test.template');
    expect(failure(() => render('{{if .Missing}}x{{end}}', {}, { missingKey: 'error' })).code).toBe('PROW_ERR_TEMPLATE_INVALID');
  });

  it('reach the root through $ and the current value through .', () => {
    expect(render('{{with .Spec.Refs}}{{.Org}} in {{$.Spec.Job}}{{end}}')).toBe('acme in pull-test');
    expect(render('{{.}}', 'plain')).toBe('plain');
  });
});

describe('printing values', () => {
  it('prints numbers, booleans, nil, slices and maps as fmt %v does', () => {
    const data = { I: 42, F: 1.5, Big: 1234567.5, Small: 0.00001, T: true, N: null, L: [1, 'a', null], M: { b: 2, a: 'x' } };
    expect(render('{{.I}} {{.F}} {{.Big}} {{.Small}} {{.T}} {{.N}} {{.L}} {{.M}}', data)).toBe('42 1.5 1.2345675e+06 1e-05 true <nil> [1 a <nil>] map[a:x b:2]');
  });

  it('reads Go literals: quoted and raw strings with escapes, runes, hex, negative numbers', () => {
    expect(render('{{"a\\tb\\u00e9\\x41"}}|{{`raw\\n`}}|{{\'a\'}}|{{0x1F}}|{{-3}}|{{1_000}}|{{true}}')).toBe('a\tbéA|raw\\n|97|31|-3|1000|true');
  });
});

describe('if, else if, else', () => {
  const branch = '{{if eq .Spec.Type "presubmit"}}pre{{else if eq .Spec.Type "batch"}}batch{{else}}other{{end}}';

  it('takes the first true branch', () => {
    expect(render(branch)).toBe('pre');
    expect(render(branch, { spec: { type: 'batch' } })).toBe('batch');
    expect(render(branch, { spec: { type: 'periodic' } })).toBe('other');
  });

  it("follows Go's truth: empty string, 0, nil, false, an empty list and a missing field are false; objects are true", () => {
    const truth = (value: unknown): string => render('{{if .V}}T{{else}}F{{end}}', { V: value });
    expect(['', 0, null, false, [], undefined].map(truth).join('')).toBe('FFFFFF');
    expect(['x', 1, -1, true, [0], {}].map(truth).join('')).toBe('TTTTTT');
    expect(render('{{if .Nope}}T{{else}}F{{end}}', {})).toBe('F');
  });

  it('chains else with', () => {
    const t = '{{with .X}}x={{.}}{{else with .Y}}y={{.}}{{else}}none{{end}}';
    expect(render(t, { X: 1, Y: 2 })).toBe('x=1');
    expect(render(t, { Y: 2 })).toBe('y=2');
    expect(render(t, {})).toBe('none');
  });
});

describe('with and range', () => {
  it('with rebinds dot, and its else runs on a false value', () => {
    expect(render('{{with index .Spec.Refs.Pulls 0}}#{{.Number}} by {{.Author}}{{end}}')).toBe('#7 by ada');
    expect(render('{{with .Spec.Nope}}yes{{else}}no {{.Spec.Job}}{{end}}')).toBe('no pull-test');
  });

  it('range walks a list, with one variable for the element or two for index and element', () => {
    expect(render('{{range .Spec.Refs.Pulls}}{{.Number}},{{end}}')).toBe('7,9,');
    expect(render('{{range $p := .Spec.Refs.Pulls}}{{$p.Author}} {{end}}')).toBe('ada bob ');
    expect(render('{{range $i, $p := .Spec.Refs.Pulls}}{{$i}}={{$p.Number}} {{end}}')).toBe('0=7 1=9 ');
  });

  it('range over a map goes in key order; over an int counts; else runs when there is nothing', () => {
    expect(render('{{range $k, $v := .}}{{$k}}={{$v}};{{end}}', { b: 2, a: 1 })).toBe('a=1;b=2;');
    expect(render('{{range 3}}{{.}}{{end}}')).toBe('012');
    expect(render('{{range .Spec.Nope}}x{{else}}none{{end}}|{{range .L}}x{{else}}empty{{end}}', { spec: {}, L: [] })).toBe('none|empty');
  });

  it('break and continue stop the range or skip an element', () => {
    expect(render('{{range .L}}{{if eq . 2}}{{continue}}{{end}}{{if eq . 4}}{{break}}{{end}}{{.}}{{end}}', { L: [1, 2, 3, 4, 5] })).toBe('13');
  });

  it('refuses to range over a string', () => {
    expect(failure(() => render('{{range .Spec.Job}}x{{end}}')).code).toBe('PROW_ERR_TEMPLATE_INVALID');
  });
});

describe('variables', () => {
  it('are declared, assigned and scoped to their control structure', () => {
    expect(render('{{$n := .Spec.Job}}{{$n}} {{$n = "other"}}{{$n}}')).toBe('pull-test other');
    expect(render('{{$x := 1}}{{range .Spec.Refs.Pulls}}{{$x = .Number}}{{end}}{{$x}}')).toBe('9');
    const err = failure(() => render('{{if true}}{{$v := 1}}{{end}}{{$v}}'));
    expect(err.code).toBe('PROW_ERR_TEMPLATE_INVALID');
    expect(err.message).toContain('undefined variable "$v"');
  });
});

describe('functions', () => {
  it('eq compares with any of several values, ne with one; lt, le, gt, ge order numbers and strings', () => {
    expect(render('{{eq .Spec.Type "batch" "presubmit"}} {{eq .Spec.Type "batch" "periodic"}} {{ne .Spec.Refs.Org ""}}')).toBe('true false true');
    expect(render('{{lt 1 2}} {{le 2 2}} {{gt "b" "a"}} {{ge 1 2}}')).toBe('true true true false');
    expect(render('{{eq .Nope "x"}}', {})).toBe('false');
  });

  it('eq refuses values of different kinds, as Go does', () => {
    expect(failure(() => render('{{eq 1 "1"}}')).message).toContain('incompatible types for comparison');
  });

  it('and, or return the deciding operand and stop early; not negates', () => {
    expect(render('{{and 1 0 2}} {{and 1 2}} {{or 0 "" "x"}} {{or 0 ""}}|{{not 0}} {{not "a"}}')).toBe('0 2 x |true false');
    // `or` stops at the true operand, so the bad index after it is never evaluated.
    expect(render('{{or .Spec.Job (index .Spec.Refs.Pulls 99)}}')).toBe('pull-test');
  });

  it('index reads lists and maps, and fails outside a list as Go does', () => {
    expect(render('{{index .Spec.Refs.Pulls 1 | printf "%v"}} {{(index .Spec.Refs.Pulls 1).Author}} {{index .M "k"}} {{index .M "none"}}', { ...job, M: { k: 'v' } })).toBe(
      'map[author:bob number:9] bob v <no value>',
    );
    expect(failure(() => render('{{index .Spec.Refs.Pulls 5}}')).message).toContain('index out of range: 5');
    expect(failure(() => render('{{index .Nope 0}}', {})).message).toContain('index of untyped nil');
  });

  it('len counts bytes of a string, elements of a list and keys of a map', () => {
    expect(render('{{len "héllo"}} {{len .Spec.Refs.Pulls}} {{len .Status}}')).toBe('6 2 4');
  });

  it('printf formats %s %d %v %q %t %x with width and precision, and Go’s error forms', () => {
    expect(render('{{printf "%s/%d/%v" .Spec.Job 7 .Spec.Refs.Org}}')).toBe('pull-test/7/acme');
    expect(render('{{printf "%q %t %x %5d|%-5s|%05d %.2f %.3s %%" "a\\"b" true 255 42 "ab" -42 3.14159 "abcdef"}}')).toBe('"a\\"b" true ff    42|ab   |-0042 3.14 abc %');
    expect(render('{{printf "%d %s" "x" 5}} {{printf "%s"}} {{printf "%s" "a" 2}}')).toBe('%!d(string=x) %!s(int=5) %!s(MISSING) a%!(EXTRA int=2)');
  });

  it('print, println, html, urlquery and js', () => {
    expect(render('{{print 1 2 "a" 3}}|{{println "a" 1}}|{{html "<a href=\'x\'>&"}}|{{urlquery "a b&c/d~"}}|{{js "it\'s <b>"}}')).toBe(
      "1 2a3|a 1\n|&lt;a href=&#39;x&#39;&gt;&amp;|a+b%26c%2Fd~|it\\'s \\u003Cb\\u003E",
    );
  });

  it('pipelines pass the value on as the last argument', () => {
    expect(render('{{.Spec.Job | printf "[%s]"}} {{"a" | printf "%s-%s" "b"}} {{.Spec.Refs.Pulls | len}}')).toBe('[pull-test] b-a 2');
  });
});

describe('whitespace and comments', () => {
  it('trims beside {{- and -}}, drops comments, and keeps {{-3}} a number', () => {
    expect(render('a  {{- .Spec.Job -}}  \n b{{/* why */}}!')).toBe('apull-testb!');
    expect(render('x \n {{- /* gone */ -}} \n y')).toBe('xy');
    expect(render('{{.Spec.Job}} {{.Spec.Type}}\n')).toBe('pull-test presubmit\n');
    expect(render('1 {{-3}}')).toBe('1 -3');
  });

  it('lets strings inside an action hold }}', () => {
    expect(render('{{printf "%s}}" "x"}}')).toBe('x}}');
  });
});

describe('html', () => {
  it('escapes what actions print as html/template does in text, not the template itself', () => {
    expect(render('<b>{{.Name}}</b>', { Name: `Ada O'Brien <ada> & "co" +1` }, { html: true })).toBe('<b>Ada O&#39;Brien &lt;ada&gt; &amp; &#34;co&#34; &#43;1</b>');
    expect(render('{{printf "<%s>" "x"}}', {}, { html: true })).toBe('&lt;x&gt;');
  });

  it('prints nothing for nil or missing values, as html/template does', () => {
    expect(render('[{{.N}}][{{.Missing}}]', { N: null }, { html: true })).toBe('[][]');
  });
});

describe('errors', () => {
  const cases: [string, string][] = [
    ['{{.Spec.Job', 'unclosed action'],
    ['{{if .A}}x', 'has no {{end}}'],
    ['{{if .A}}x{{else}}y{{else}}z{{end}}', 'expected {{end}}; found {{else}}'],
    ['{{end}}', 'unexpected {{end}}'],
    ['{{else}}', 'unexpected {{else}}'],
    ['{{foo .A}}', 'function "foo" not defined'],
    ['{{slice .A 1}}', 'not supported'],
    ['{{template "x"}}', 'not supported'],
    ['{{"open}}', 'unterminated quoted string'],
    ['{{/* open }}', 'unclosed comment'],
    ['{{}}', 'missing value for command'],
    ['{{$y = 1}}', 'undefined variable "$y"'],
    ['{{break}}', 'outside {{range}}'],
    ['{{.A | "x"}}', 'non executable command in pipeline stage 2'],
    ['{{(.A}}', 'unclosed left paren'],
    ['{{.A ~}}', 'unexpected "~" in command'],
  ];

  it.each(cases)('refuses %s when parsed, saying why', (text, why) => {
    const err = failure(() => parseGoTemplate('plank.job_url_template', text));
    expect(err.code).toBe('PROW_ERR_TEMPLATE_INVALID');
    expect(err.message).toContain('plank.job_url_template');
    expect(err.message).toContain(why);
  });

  it('says where in the template the fault is', () => {
    expect(failure(() => parseGoTemplate('t', 'line one\n  {{bogus}}')).message).toContain('line 2, column 5: function "bogus" not defined');
  });

  it('refuses at render time what only the data shows, e.g. nil as a command or an argument to a field', () => {
    expect(failure(() => render('{{nil}}')).message).toContain('nil is not a command');
    expect(failure(() => render('{{.Spec.Job "x"}}')).message).toContain('has arguments but cannot be invoked as function');
  });

  it('parses once and renders many times', () => {
    const t = parseGoTemplate('t', '{{.Spec.Job}}');
    expect([t.render(job), t.render({ spec: { job: 'other' } })]).toEqual(['pull-test', 'other']);
  });
});
