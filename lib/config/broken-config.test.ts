import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConfigIssue } from './config-issue.ts';
import { loadConfig, type LoadResult } from './load-config.ts';

const fixtures = fileURLToPath(new URL('../../test/fixtures/prow-config/', import.meta.url));
const dra = 'jobs/kubernetes/sig-node/dra-presubmit.yaml';
const k8sRepo = 'presubmits["kubernetes/kubernetes"]';
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** Copies Kubernetes' config to a temp dir, applies one small edit per file, and loads the copy. */
async function loadEdited(edits: Record<string, [from: string, to: string]>): Promise<LoadResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'prow-config-'));
  dirs.push(dir);
  await cp(fixtures, dir, { recursive: true });
  for (const [file, [from, to]] of Object.entries(edits)) {
    const text = await readFile(path.join(dir, file), 'utf8');
    if (!text.includes(from)) throw new Error(`edit target not found in ${file}: ${from}`);
    await writeFile(path.join(dir, file), text.replace(from, to));
  }
  const result = await loadConfig({
    configPath: path.join(dir, 'config.yaml'),
    jobConfigPath: path.join(dir, 'jobs'),
    pluginConfigPath: path.join(dir, 'plugins.yaml'),
  });
  // Report files relative to the copy so assertions read like the fixture's own paths.
  const relative = (i: ConfigIssue): ConfigIssue => ({ ...i, file: path.relative(dir, i.file) });
  return { ...result, errors: result.errors.map(relative), warnings: result.warnings.map(relative) };
}

describe('broken copies of a real configuration', () => {
  it('an unknown key is an error naming file, line, column and path', async () => {
    const r = await loadEdited({
      'config.yaml': ['tide:\n  sync_period: 2m\n', 'tide:\n  sync_period: 2m\n  bogus_key: 1\n'],
      [dra]: ['    cluster: eks-prow-build-cluster\n', '    cluster: eks-prow-build-cluster\n    bogus_field: true\n'],
    });
    expect(r.errors).toEqual([
      { file: 'config.yaml', line: 693, col: 3, path: 'tide', message: 'unknown key "bogus_key"', severity: 'error' },
      { file: dra, line: 8, col: 5, path: `${k8sRepo}[0]`, message: 'unknown key "bogus_field"', severity: 'error' },
    ]);
  });

  it('an unknown key inside a section Prow has but prow-ts ignores is still an error', async () => {
    const r = await loadEdited({ 'config.yaml': ['  spyglass:\n', '  spyglass:\n    not_a_spyglass_key: 1\n'] });
    expect(r.errors).toEqual([
      { file: 'config.yaml', line: 69, col: 5, path: 'deck.spyglass', message: 'unknown key "not_a_spyglass_key"', severity: 'error' },
    ]);
    expect(r.warnings.map((w) => w.path)).toContain('deck.spyglass');
  });

  it('a regexp that does not compile is an error at its value', async () => {
    const r = await loadEdited({ [dra]: ['run_if_changed: /(dra|', 'run_if_changed: /((dra|'] });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ file: dra, line: 11, col: 21, path: `${k8sRepo}[0].run_if_changed` });
    expect(r.errors[0]?.message).toMatch(/^invalid regular expression/);
  });

  it('a skip_branches pattern that does not compile is an error at the list item', async () => {
    const r = await loadEdited({ [dra]: ['    - release-\\d+\\.\\d+  # per-release image', '    - release-(\\d+  # per-release image'] });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ file: dra, line: 9, col: 7, path: `${k8sRepo}[0].skip_branches[0]` });
    expect(r.errors[0]?.message).toMatch(/^invalid regular expression/);
  });

  it('a cron line that does not parse is an error at its value', async () => {
    const file = 'jobs/kubernetes/sig-k8s-infra/periodics.yaml';
    const r = await loadEdited({ [file]: ['cron: "*/5 * * * *"', 'cron: "61 * * * *"'] });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ file, line: 3, col: 11, path: 'periodics[0].cron' });
    expect(r.errors[0]?.message).toMatch(/^invalid cron "61 \* \* \* \*"/);
  });

  it('a periodic with two schedules is an error', async () => {
    const file = 'jobs/kubernetes/sig-k8s-infra/periodics.yaml';
    const r = await loadEdited({ [file]: ['cron: "*/5 * * * *"', 'cron: "*/5 * * * *"\n    interval: 1h'] });
    expect(r.errors).toEqual([
      expect.objectContaining({ file, line: 4, path: 'periodics[0].interval', message: expect.stringContaining('mutually exclusive') as unknown }),
    ]);
  });

  it('a bad duration is an error at its value', async () => {
    const r = await loadEdited({ 'config.yaml': ['  max_pod_age: 48h', '  max_pod_age: 48hours'] });
    expect(r.errors).toEqual([expect.objectContaining({ file: 'config.yaml', line: 64, col: 16, path: 'sinker.max_pod_age' })]);
  });

  it('a duplicate presubmit name on overlapping branches is an error naming both places', async () => {
    const r = await loadEdited({ [dra]: ['  - name: pull-kubernetes-kind-dra-all\n', '  - name: pull-kubernetes-kind-dra\n'] });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ file: dra, line: 96, col: 11, path: `${k8sRepo}[1].name` });
    expect(r.errors[0]?.message).toContain(`duplicated presubmit job pull-kubernetes-kind-dra; also defined at `);
    expect(r.errors[0]?.message).toMatch(/dra-presubmit\.yaml:6:5$/);
  });

  it('the same presubmit name on disjoint branches is allowed, as in Prow', async () => {
    const r = await loadEdited({
      [dra]: [
        '  - name: pull-kubernetes-kind-dra-all\n    cluster: eks-prow-build-cluster\n    skip_branches:\n    - release-\\d+\\.\\d+',
        '  - name: pull-kubernetes-kind-dra\n    cluster: eks-prow-build-cluster\n    branches:\n    - release-1.30',
      ],
    });
    expect(r.errors).toEqual([]);
  });

  it('YAML that does not parse is an error at the parser position', async () => {
    const r = await loadEdited({ 'config.yaml': ['  resync_period: 1m\n', '  resync_period: [1m\n'] });
    // The parser reports where it noticed the unclosed `[`: at the next key.
    expect(r.errors[0]).toEqual({
      file: 'config.yaml',
      line: 63,
      col: 3,
      path: '',
      message: 'YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]',
      severity: 'error',
    });
  });

  it('a string where a list is expected is an error at the value', async () => {
    const r = await loadEdited({ 'plugins.yaml': ['  mdyamlrepos:\n  - kubernetes/website\n', '  mdyamlrepos: kubernetes/website\n'] });
    expect(r.errors).toEqual([
      { file: 'plugins.yaml', line: 59, col: 16, path: 'owners.mdyamlrepos', message: 'Invalid input: expected array, received string', severity: 'error' },
    ]);
  });

  it('always_run with run_if_changed, and both file filters at once, are errors', async () => {
    const r = await loadEdited({
      [dra]: ['    always_run: false\n    run_if_changed: /(dra|', '    always_run: true\n    skip_if_only_changed: ^docs/\n    run_if_changed: /(dra|'],
    });
    expect(r.errors.map((e) => [e.line, e.path, e.message])).toEqual([
      [10, `${k8sRepo}[0].always_run`, 'job pull-kubernetes-kind-dra sets always_run and run_if_changed; they are mutually exclusive'],
      [11, `${k8sRepo}[0].skip_if_only_changed`, 'job pull-kubernetes-kind-dra sets both run_if_changed and skip_if_only_changed; keep one'],
    ]);
  });
});
