import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compileGoRegexp } from './go/go-regexp.ts';
import { loadConfig, type LoadResult } from './load-config.ts';
import { presubmitsFor } from './lookups.ts';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function loadYaml(config: string): Promise<LoadResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'prow-defaults-'));
  dirs.push(dir);
  await writeFile(path.join(dir, 'config.yaml'), config);
  return loadConfig({ configPath: path.join(dir, 'config.yaml') });
}

const base = `
pod_namespace: test-pods
plank:
  default_decoration_config_entries:
  - config:
      timeout: 2h
      utility_images: { clonerefs: c:1, initupload: i:1, entrypoint: e:1, sidecar: s:1 }
  - repo: acme
    config:
      utility_images: { clonerefs: c:2 }
presets:
- labels: { preset-creds: "true" }
  env: [{ name: CREDS, value: /etc/creds }]
  volumes: [{ name: creds, secret: { secretName: creds } }]
  volumeMounts: [{ name: creds, mountPath: /etc/creds }]
- env: [{ name: GOPROXY, value: https://proxy.golang.org }]
`;

describe('Prow job defaults', () => {
  it('defaults context, trigger and rerun_command from the name', async () => {
    const r = await loadYaml(`${base}
presubmits:
  acme/widget:
  - name: unit
    spec: { containers: [{ image: golang }] }
`);
    expect(r.errors).toEqual([]);
    const [job] = presubmitsFor(r.config, 'acme/widget');
    expect(job).toMatchObject({
      context: 'unit',
      trigger: '(?m)^/test( | .* )unit,?($|\\s.*)',
      rerun_command: '/test unit',
      always_run: false,
      optional: false,
      skip_report: false,
      cluster: 'default',
      agent: 'kubernetes',
      namespace: 'test-pods',
      decorate: false,
    });
    const trigger = compileGoRegexp(job?.trigger ?? '');
    expect(['/test unit', '/test lint unit', '/test unit,', 'LGTM\n/test unit please'].map((c) => trigger.test(c))).toEqual([true, true, true, true]);
    expect(['/test units', '/test all', '/testunit'].map((c) => trigger.test(c))).toEqual([false, false, false]);
  });

  it('applies presets whose labels the job has, and label-less presets to every job', async () => {
    const r = await loadYaml(`${base}
presubmits:
  acme/widget:
  - name: with-creds
    labels: { preset-creds: "true" }
    spec: { containers: [{ image: golang, env: [{ name: OWN, value: x }] }] }
  - name: without
    spec: { containers: [{ image: golang }] }
`);
    expect(r.errors).toEqual([]);
    const [withCreds, without] = presubmitsFor(r.config, 'acme/widget');
    expect(withCreds?.spec).toEqual({
      containers: [
        {
          image: 'golang',
          env: [
            { name: 'OWN', value: 'x' },
            { name: 'CREDS', value: '/etc/creds' },
            { name: 'GOPROXY', value: 'https://proxy.golang.org' },
          ],
          volumeMounts: [{ name: 'creds', mountPath: '/etc/creds' }],
        },
      ],
      volumes: [{ name: 'creds', secret: { secretName: 'creds' } }],
    });
    expect(without?.spec).toEqual({ containers: [{ image: 'golang', env: [{ name: 'GOPROXY', value: 'https://proxy.golang.org' }] }] });
  });

  it('refuses a preset that sets an env var the job already sets', async () => {
    const r = await loadYaml(`${base}
presubmits:
  acme/widget:
  - name: clash
    labels: { preset-creds: "true" }
    spec: { containers: [{ image: golang, env: [{ name: CREDS, value: mine }] }] }
`);
    expect(r.errors.map((e) => [e.path, e.message])).toEqual([
      ['presubmits["acme/widget"][0].spec', 'env var CREDS is set by both a preset and the pod spec'],
    ]);
  });

  it("merges plank's matching decoration defaults under a decorated job's own", async () => {
    const r = await loadYaml(`${base}
presubmits:
  acme/widget:
  - name: decorated
    decorate: true
    decoration_config: { timeout: 30m }
  other/repo:
  - name: decorated
    decorate: true
`);
    expect(r.errors).toEqual([]);
    expect(presubmitsFor(r.config, 'acme/widget')[0]?.decoration_config).toEqual({
      timeout: '30m',
      utility_images: { clonerefs: 'c:2', initupload: 'i:1', entrypoint: 'e:1', sidecar: 's:1' },
    });
    expect(presubmitsFor(r.config, 'other/repo')[0]?.decoration_config?.utility_images?.clonerefs).toBe('c:1');
  });

  it('keeps a written trigger, and refuses one of trigger and rerun_command without the other', async () => {
    const r = await loadYaml(`
presubmits:
  acme/widget:
  - name: custom
    trigger: (?m)^/run custom$
    rerun_command: /run custom
  - name: half
    rerun_command: /run half
  - name: mismatch
    trigger: (?m)^/run mismatch$
    rerun_command: /test mismatch
`);
    expect(presubmitsFor(r.config, 'acme/widget')[0]).toMatchObject({ trigger: '(?m)^/run custom$', rerun_command: '/run custom' });
    expect(r.errors.map((e) => [e.line, e.message])).toEqual([
      [7, 'job half sets only one of trigger and rerun_command; set both or neither'],
      [11, 'rerun_command "/test mismatch" of job mismatch does not match its trigger'],
    ]);
  });
});
