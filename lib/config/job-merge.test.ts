import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.ts';
import { postsubmitsFor, presubmitsFor } from './lookups.ts';

const spec = '    spec: { containers: [{ image: golang }] }\n';

describe('merging config.yaml and the job-config directory', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'prow-merge-'));
    await mkdir(path.join(dir, 'jobs', 'acme', 'deep'), { recursive: true });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const write = (file: string, text: string): Promise<void> => writeFile(path.join(dir, file), text);
  const load = () => loadConfig({ configPath: path.join(dir, 'config.yaml'), jobConfigPath: path.join(dir, 'jobs') });

  it('concatenates presubmits per repo and periodics across files, recursively, .yaml and .yml', async () => {
    await write('config.yaml', `presubmits:\n  acme/widget:\n  - name: from-config\n${spec}`);
    await write('jobs/acme/a.yaml', `presubmits:\n  acme/widget:\n  - name: from-a\n${spec}periodics:\n  - name: nightly\n    interval: 24h\n${spec}`);
    await write('jobs/acme/deep/b.yml', `presubmits:\n  acme/widget:\n  - name: from-b\n${spec}postsubmits:\n  acme/widget:\n  - name: push\n${spec}`);
    await write('jobs/acme/notes.txt', 'presubmits: {}\n');
    const r = await load();
    expect(r.errors).toEqual([]);
    expect(presubmitsFor(r.config, 'acme/widget').map((j) => j.name)).toEqual(['from-config', 'from-a', 'from-b']);
    expect(postsubmitsFor(r.config, 'acme/widget').map((j) => [j.name, j.context, j.always_run])).toEqual([['push', 'push', undefined]]);
    expect(r.config.periodics.map((j) => j.name)).toEqual(['nightly']);
    expect(r.files.map((f) => path.relative(dir, f))).toEqual(['config.yaml', 'jobs/acme/a.yaml', 'jobs/acme/deep/b.yml']);
  });

  it('refuses the same periodic name in two files, naming both', async () => {
    await write('config.yaml', '');
    await write('jobs/acme/a.yaml', `periodics:\n- name: nightly\n  interval: 24h\n`);
    await write('jobs/acme/deep/b.yaml', `periodics:\n- name: nightly\n  cron: "0 3 * * *"\n`);
    const r = await load();
    expect(r.errors.map((e) => [path.relative(dir, e.file), e.line, e.message])).toEqual([
      ['jobs/acme/deep/b.yaml', 2, `duplicated periodic job nightly; also defined at ${path.join(dir, 'jobs/acme/a.yaml')}:2:3`],
    ]);
  });

  it('a job-config file may only hold jobs and presets', async () => {
    await write('config.yaml', '');
    await write('jobs/acme/a.yaml', 'tide:\n  sync_period: 1m\n');
    const r = await load();
    expect(r.errors.map((e) => [e.line, e.col, e.message])).toEqual([[1, 1, 'unknown key "tide"']]);
  });
});
