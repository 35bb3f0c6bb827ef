const posixClasses: Record<string, string> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7F', blank: '\\t ', cntrl: '\\x00-\\x1F\\x7F', digit: '0-9',
  graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-/:-@[-`{-~', space: '\\t\\n\\v\\f\\r ', upper: 'A-Z',
  word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};

/**
 * Compiles a Go (RE2) regular expression as a JS RegExp. Translates what differs and is common in Prow configs:
 * leading flag groups `(?m)`/`(?i)`/`(?s)`, `(?P<name>`, `\A`, `\z`, `\Q…\E` and POSIX classes `[[:alpha:]]`.
 * Throws a SyntaxError naming the problem when it cannot compile.
 */
export function compileGoRegexp(source: string): RegExp {
  let src = source;
  let flags = '';
  const lead = /^\(\?([imsU]+)\)/.exec(src);
  if (lead) {
    if (lead[1]?.includes('U')) throw new SyntaxError(`flag U (ungreedy) has no JavaScript equivalent in ${source}`);
    flags = [...new Set(lead[1])].join('');
    src = src.slice(lead[0].length);
  }
  if (/\(\?[imsU-]+[:)]/.test(src)) throw new SyntaxError(`inline flag groups are only supported at the start: ${source}`);
  src = src
    .replace(/\\Q(.*?)(?:\\E|$)/g, (_m, lit: string) => lit.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&'))
    .replace(/\(\?P</g, '(?<')
    .replace(/\[:(\^?)([a-z]+):\]/g, (m, neg: string, name: string) => {
      const cls = posixClasses[name];
      if (cls === undefined) throw new SyntaxError(`unknown POSIX class ${m} in ${source}`);
      if (neg !== '') throw new SyntaxError(`negated POSIX class ${m} is not supported in ${source}`);
      return cls;
    })
    .replace(/\\A/g, '(?<![\\s\\S])')
    .replace(/\\z/g, '(?![\\s\\S])');
  return new RegExp(src, src.includes('\\p{') ? `${flags}u` : flags);
}

/** The message when `source` is not a valid Go regexp, else undefined. */
export function goRegexpError(source: string): string | undefined {
  try {
    compileGoRegexp(source);
    return undefined;
  } catch (err) {
    return `invalid regular expression ${JSON.stringify(source)}: ${(err as Error).message}`;
  }
}
