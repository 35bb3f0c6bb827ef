import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../', import.meta.url));
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
const lines = dockerfile.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
const instructions = (name: string): string[] => lines.filter((l) => l.startsWith(`${name} `)).map((l) => l.slice(name.length + 1).trim());
const workdir = instructions('WORKDIR').at(-1) ?? '/';

/** Paths in the build context that `COPY` puts in the image (the `--from` stages aside). */
const copied = instructions('COPY').flatMap((args) => args.split(/\s+/).filter((a) => !a.startsWith('--')).slice(0, -1));

/** .dockerignore's patterns, as Docker reads them: `**` any folders, `*` within a name, a match covers what is below. */
const ignored = readFileSync(join(root, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
const patternRe = (p: string): RegExp => new RegExp(`^${p.split('/').map((seg) => (seg === '**' ? '.*' : seg.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*'))).join('/').replace(/\.\*\//g, '(?:.*/)?')}(?:/.*)?$`);
const isIgnored = (path: string): boolean => ignored.some((p) => patternRe(p).test(path));

/** Every file `prow` loads when it runs: bin/prow.ts and what it imports, and the files code reads beside itself. */
function runtimeFiles(): string[] {
  const seen = new Set<string>();
  const queue = [join(root, 'bin/prow.ts')];
  while (queue.length > 0) {
    const file = queue.pop() ?? '';
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const imported of ts.preProcessFile(text, true, true).importedFiles) {
      if (imported.fileName.startsWith('.')) queue.push(resolve(dirname(file), imported.fileName));
    }
    // Assets read by URL (Boskos' Lua scripts): the literal part of the path, a folder's every file.
    for (const m of text.matchAll(/new URL\(\s*[`'"](\.[^`'"$]*)/g)) {
      const target = resolve(dirname(file), m[1] ?? '');
      if (target === root.replace(/\/$/, '') || !existsSync(target)) continue;
      if (statSync(target).isDirectory()) {
        if (!/\.\.\/?$/.test(m[1] ?? '')) for (const f of readdirSync(target)) seen.add(join(target, f));
      } else if (!target.endsWith('.ts')) seen.add(target);
    }
  }
  return [...seen].map((f) => relative(root, f)).sort();
}

describe('the image', () => {
  it('is node 20 slim, installs production dependencies only, and runs as a non-root user by number', () => {
    expect(instructions('FROM')).toEqual(['node:20-slim']);
    expect(instructions('RUN').some((r) => r.includes('npm ci --omit=dev'))).toBe(true);
    expect(instructions('USER').at(-1)).toMatch(/^[1-9]\d*(:[1-9]\d*)?$/);
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; bin: Record<string, string> };
    expect(pkg.dependencies.tsx).toBeDefined();
    expect(pkg.bin.prow).toBe('./bin/prow.ts');
  });

  it('copies every file prow loads at run time, and .dockerignore keeps none of them out', () => {
    const files = runtimeFiles();
    expect(files).toContain('services/boskos/ranch/lua/prelude.lua');
    expect(files.length).toBeGreaterThan(300);
    const missing = files.filter((f) => !copied.some((c) => f === c || f.startsWith(`${c.replace(/\/$/, '')}/`)) || isIgnored(f));
    expect(missing).toEqual([]);
    // The default config prow start falls back to, and the lockfile npm ci needs.
    for (const f of ['config/config.yaml', 'package-lock.json']) expect(copied.some((c) => f === c || f.startsWith(`${c}/`)) && !isIgnored(f), f).toBe(true);
    expect(isIgnored('deploy/starter.test.ts') && isIgnored('lib/jobs/kube-job-store.test.ts') && isIgnored('node_modules/tsx/package.json')).toBe(true);
  });

  it('has git, which clonerefs and Tide’s train commits run', () => {
    expect(instructions('RUN').some((r) => /apt-get install .*\bgit\b/.test(r))).toBe(true);
  });

  it('keeps prow-ts where the controller’s job Pods copy it from', () => {
    const podSpec = readFileSync(join(root, 'services/controller/runner/pod-spec.ts'), 'utf8');
    expect(/cp -R (\S+) \/tools\/prow-ts/.exec(podSpec)?.[1]).toBe(workdir);
    expect(podSpec).toContain('/tools/prow-ts/node_modules/tsx/dist/loader.mjs');
  });

  it('has an entrypoint, prow, that runs bin/prow.ts from any working directory', () => {
    expect(instructions('ENTRYPOINT')).toEqual(['["prow"]']);
    const wrapper = /printf '([^']*)' > \/usr\/local\/bin\/prow/.exec(dockerfile)?.[1];
    const exec = wrapper?.split('\\n').find((l) => l.startsWith('exec '));
    if (exec === undefined) throw new Error('the Dockerfile writes no /usr/local/bin/prow');
    // The wrapper's command line with the image's /app standing for this checkout, run from elsewhere.
    const argv = exec.slice('exec '.length).replace(' "$@"', '').split(' ').map((a) => a.replaceAll(`${workdir}/`, root));
    const [node = '', ...args] = argv;
    expect(node).toBe('node');
    const out = execFileSync(process.execPath, [...args, '--help'], { cwd: tmpdir(), encoding: 'utf8' });
    expect(out).toMatch(/^usage: prow <command>/);
  });
});
