import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { formatIssue, loadConfig, pluginsFor, presubmitsFor } from '../lib/config/index.ts';
import { plugins } from '../plugins/index.ts';

const root = fileURLToPath(new URL('../config/', import.meta.url));

describe('the example configuration in config/', () => {
  it('loads with no errors and no warnings, as npm start and starter.yaml use it', async () => {
    const result = await loadConfig({
      configPath: `${root}config.yaml`,
      jobConfigPath: `${root}jobs`,
      pluginConfigPath: `${root}plugins.yaml`,
      implementedPlugins: plugins.map((p) => p.name),
    });
    expect(result.errors.map(formatIssue)).toEqual([]);
    expect(result.warnings.map(formatIssue)).toEqual([]);
    expect(presubmitsFor(result.config, 'prow-demo/hello').map((j) => j.name)).toEqual(['pull-hello-unit', 'pull-hello-docs']);
    expect(pluginsFor(result.plugins, 'prow-demo/hello')).toContain('assign');
  });
});
