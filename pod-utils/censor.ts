import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import type { CensoringOptions } from './options.ts';

/** Every file under `root`, following symlinks (a mounted Secret's keys are links into `..data`), skipping `..` entries. */
async function secretFiles(root: string): Promise<string[]> {
  const info = await stat(root);
  if (!info.isDirectory()) return [root];
  const files: string[] = [];
  for (const name of (await readdir(root)).sort()) {
    if (name.startsWith('..')) continue;
    files.push(...(await secretFiles(join(root, name))));
  }
  return files;
}

/** The values of an INI file's `key = value` lines, which Prow censors one by one as well as whole. */
function iniValues(text: string): string[] {
  return text
    .split('\n')
    .map((line) => /^\s*[^#;[\s][^=]*=(.*)$/.exec(line)?.[1]?.trim().replace(/^"(.*)"$/, '$1'))
    .filter((v): v is string => v !== undefined && v !== '');
}

/** The secrets to censor: every file under the secret directories, trimmed, at least `minimum_secret_length` long. */
export async function loadSecrets(options: CensoringOptions): Promise<string[]> {
  const found = new Set<string>();
  const ini = new Set(options.ini_filenames ?? []);
  for (const dir of options.secret_directories ?? []) {
    for (const file of await secretFiles(dir)) {
      const text = await readFile(file, 'utf8');
      found.add(text.trim());
      if (ini.has(basename(file))) for (const value of iniValues(text)) found.add(value);
    }
  }
  const min = options.minimum_secret_length ?? 0;
  return [...found].filter((s) => s !== '' && s.length >= min);
}

/** Each secret and its base64 form (how Kubernetes Secrets often leak), longest first so no part is left showing. */
function needles(secrets: readonly string[]): Buffer[] {
  const all = new Set<string>();
  for (const s of secrets) {
    all.add(s);
    all.add(Buffer.from(s, 'utf8').toString('base64'));
  }
  return [...all].map((s) => Buffer.from(s, 'utf8')).sort((a, b) => b.length - a.length);
}

function censorInPlace(buf: Buffer, secrets: readonly Buffer[]): void {
  for (const secret of secrets) {
    for (let at = buf.indexOf(secret); at !== -1; at = buf.indexOf(secret, at + secret.length)) buf.fill('*', at, at + secret.length);
  }
}

/**
 * A stream that replaces every secret (and its base64) with as many `*`, as Prow's censorer does, holding back
 * only the last bytes that could start a secret split across chunks.
 */
export function createCensorStream(secrets: readonly string[]): Transform {
  const targets = needles(secrets);
  const keep = Math.max(0, (targets[0]?.length ?? 0) - 1);
  let carry = Buffer.alloc(0);
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      const buf = Buffer.concat([carry, chunk]);
      censorInPlace(buf, targets);
      const cut = Math.max(0, buf.length - keep);
      carry = Buffer.from(buf.subarray(cut));
      done(null, buf.subarray(0, cut));
    },
    flush(done) {
      done(null, carry);
    },
  });
}

function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i);
    if (c === '*' && glob[i + 1] === '*') {
      out += '.*';
      i++;
      if (glob[i + 1] === '/') i++;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else out += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** Prow's shouldCensor: excluded globs never, included globs always, everything when nothing is included. */
export function shouldCensor(options: CensoringOptions, relativePath: string): boolean {
  if ((options.exclude_directories ?? []).some((g) => globToRegExp(g).test(relativePath))) return false;
  const include = options.include_directories ?? [];
  return include.length === 0 || include.some((g) => globToRegExp(g).test(relativePath));
}
