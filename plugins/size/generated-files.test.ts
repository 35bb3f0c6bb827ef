import { describe, expect, it } from 'vitest';
import { gitAttributesPattern } from './git-pattern.ts';
import { addListedPaths, isListedGenerated, parseGeneratedFiles } from './generated-files.ts';
import { linguistGenerated } from './linguist-generated.ts';

describe('.generated_files', () => {
  it('reads every statement kind, skips comments, and reports bad lines without dropping the rest', () => {
    const g = parseGeneratedFiles(
      [
        '# generated code',
        'file-prefix\tzz_generated.',
        'file-name   types.generated.go',
        'path-prefix vendor/',
        'prefix third_party/',
        'path api/openapi.json',
        'oops',
        'flavour vanilla',
        'paths-from-repo hack/generated.txt',
        '',
      ].join('\n'),
    );
    expect(g.invalidLines).toEqual(['oops', 'flavour vanilla']);
    expect(g.pathsFromRepo).toEqual(['hack/generated.txt']);
    addListedPaths(g, '# listed\npkg/a/listed.go\n\n');
    const generated = [
      'pkg/zz_generated.deepcopy.go',
      'zz_generated.go',
      'a/b/types.generated.go',
      'vendor/x/y.go',
      'third_party/z.c',
      'api/openapi.json',
      'pkg/a/listed.go',
    ];
    const handWritten = ['pkg/deepcopy.go', 'a/zz_generated/main.go', 'src/vendor/x.go', 'docs/api/openapi.json', 'pkg/a/listed.go.orig'];
    expect(generated.filter((p) => !isListedGenerated(g, p))).toEqual([]);
    expect(handWritten.filter((p) => isListedGenerated(g, p))).toEqual([]);
  });
});

describe('gitattributes patterns', () => {
  const cases: [string, string[], string[]][] = [
    ['*.pb.go', ['a.pb.go', 'x/y/a.pb.go'], ['a.pb.go.txt', 'apb.go']],
    ['/root.txt', ['root.txt'], ['sub/root.txt']],
    ['docs/*.md', ['docs/a.md'], ['docs/x/a.md', 'a/docs/a.md']],
    ['**/gen/*.go', ['gen/a.go', 'x/y/gen/a.go'], ['gen/x/a.go']],
    ['api/**', ['api/a', 'api/x/y/z.json'], ['api', 'apix/a']],
    ['a/**/b.txt', ['a/b.txt', 'a/x/b.txt', 'a/x/y/b.txt'], ['b.txt', 'ab.txt']],
    ['file?.[ch]', ['file1.c', 'd/fileA.h'], ['file10.c', 'file1.o', 'file/.c']],
    ['[!a]*.js', ['b.js', 'x/c1.js'], ['a.js']],
    ['vendor/', [], ['vendor/a.go', 'vendor']],
    ['literal\\*.txt', ['literal*.txt'], ['literalx.txt']],
  ];
  it.each(cases)('%s', (pattern, yes, no) => {
    const matches = gitAttributesPattern(pattern);
    expect(yes.filter((p) => !matches(p))).toEqual([]);
    expect(no.filter((p) => matches(p))).toEqual([]);
  });

  it('marks linguist-generated files, letting a later line unset the attribute for a narrower pattern', () => {
    const generated = linguistGenerated(
      ['# comment', '*.pb.go linguist-generated=true', 'api/** text linguist-generated', 'api/keep.json -linguist-generated', 'docs/** linguist-generated=false', '*.txt text eol=lf'].join('\n'),
    );
    expect(['x/a.pb.go', 'api/a.json', 'api/b/c.yaml'].filter((p) => !generated(p))).toEqual([]);
    expect(['api/keep.json', 'docs/a.md', 'a.txt', 'main.go'].filter((p) => generated(p))).toEqual([]);
  });
});
