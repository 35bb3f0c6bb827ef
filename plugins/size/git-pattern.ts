function escapeRegExp(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

/** A bracket expression `[...]` starting at `at`, as a RegExp class that never matches `/`; undefined when unterminated. */
function bracket(glob: string, at: number): { re: string; next: number } | undefined {
  let i = at + 1;
  let negate = false;
  if (glob[i] === '!' || glob[i] === '^') {
    negate = true;
    i++;
  }
  let body = '';
  // A `]` right after the opening (or after the negation) is a literal member, as in fnmatch.
  if (glob[i] === ']') {
    body += '\\]';
    i++;
  }
  for (; i < glob.length; i++) {
    const ch = glob[i] ?? '';
    if (ch === ']') return { re: `[${negate ? '^/' : ''}${body}]`, next: i + 1 };
    if (ch === '\\' && i + 1 < glob.length) {
      body += `\\${glob[i + 1] ?? ''}`;
      i++;
    } else body += ch === '-' ? '-' : escapeRegExp(ch);
  }
  return undefined;
}

/** fnmatch with FNM_PATHNAME: `*` and `?` never cross `/`; `**` between slashes spans directories. */
function globBody(glob: string): string {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] ?? '';
    if (ch === '*') {
      let run = 1;
      while (glob[i + run] === '*') run++;
      const atStart = i === 0 || glob[i - 1] === '/';
      const atEnd = i + run === glob.length || glob[i + run] === '/';
      i += run - 1;
      if (run >= 2 && atStart && atEnd) {
        if (i + 1 === glob.length) re += '.*';
        else {
          // `**/` matches zero or more whole directories.
          re += '(?:.*/)?';
          i++;
        }
      } else re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const b = bracket(glob, i);
      if (b) {
        re += b.re;
        i = b.next - 1;
      } else re += '\\[';
    } else if (ch === '\\' && i + 1 < glob.length) {
      re += escapeRegExp(glob[i + 1] ?? '');
      i++;
    } else re += escapeRegExp(ch);
  }
  return re;
}

/**
 * A gitattributes pattern (gitattributes(5), the .gitignore syntax without negation) as a test on a path from
 * the repo root: a pattern without a slash matches the file name at any depth; one with a slash is anchored
 * at the root; a pattern naming a directory does not match the files inside it (`dir/**` does).
 */
export function gitAttributesPattern(pattern: string): (path: string) => boolean {
  // A trailing slash names only directories, and attributes never apply to a directory's files through it.
  if (pattern.endsWith('/')) return () => false;
  const anchored = pattern.includes('/');
  const body = globBody(pattern.replace(/^\//, ''));
  const re = new RegExp(anchored ? `^${body}$` : `(?:^|/)${body}$`);
  return (path) => re.test(path);
}
