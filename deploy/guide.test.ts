import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { V1PodSpec } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { runCheckConfig } from '../bin/commands/check-config.ts';
import { loadConfig } from '../lib/config/index.ts';
import { presubmitShouldRun } from '../lib/jobs/index.ts';
import { plugins } from '../plugins/index.ts';
import { defaultConfigDir, defaultImage } from './starter.ts';

const guideDir = fileURLToPath(new URL('./guide/', import.meta.url));
const snippet = readFileSync(join(guideDir, 'check-config-presubmit.yaml'), 'utf8');
const guide = readFileSync(fileURLToPath(new URL('../README.md', import.meta.url)), 'utf8');

async function loadSnippet() {
  return loadConfig({ configPath: join(defaultConfigDir, 'config.yaml'), jobConfigPath: guideDir, pluginConfigPath: join(defaultConfigDir, 'plugins.yaml'), implementedPlugins: plugins.map((p) => p.name) });
}

async function snippetJob() {
  const job = (await loadSnippet()).config.presubmits['my-org/prow-config']?.[0];
  if (job === undefined) throw new Error('the presubmit did not load');
  return job;
}

describe('the guide’s check-config presubmit', () => {
  it('is the fixture, word for word', () => {
    expect(guide).toContain(`\`\`\`yaml\n${snippet}\`\`\``);
  });

  it('loads with lib/config with no errors and no warnings', async () => {
    const loaded = await loadSnippet();
    expect(loaded.errors).toEqual([]);
    expect(loaded.warnings).toEqual([]);
    expect(loaded.config.presubmits['my-org/prow-config']?.map((j) => j.name)).toEqual(['pull-prow-config-check']);
  });

  it('runs when the config files change and not otherwise', async () => {
    const job = await snippetJob();
    const runsOn = (files: string[]) => presubmitShouldRun(job, 'main', () => Promise.resolve(files));
    for (const f of ['config.yaml', 'plugins.yaml', 'jobs/my-org/app/presubmits.yaml', 'jobs/periodics.yml']) expect(await runsOn([f]), f).toBe(true);
    for (const f of ['README.md', 'docs/config.yaml', 'jobs/notes.txt']) expect(await runsOn([f]), f).toBe(false);
  });

  it('runs the starter’s image with a command line prow check-config accepts, passing on config/', async () => {
    const container = ((await snippetJob()).spec as V1PodSpec | undefined)?.containers[0];
    expect(container?.image).toBe(defaultImage);
    expect(container?.command).toEqual(['prow']);
    const [subcommand, ...args] = container?.args ?? [];
    expect(subcommand).toBe('check-config');
    // The job runs in its clone of the config repository, laid out as config/ is: its paths are relative to it.
    const inConfigDir = args.map((a, i) => (i > 0 && args[i - 1]?.startsWith('--') === true ? join(defaultConfigDir, a) : a));
    const lines: string[] = [];
    expect(await runCheckConfig(inConfigDir, (line) => lines.push(line))).toBe(0);
    expect(lines.join('\n')).toMatch(/configuration is valid: 0 errors/);
  });
});
