import { describe, expect, it } from 'vitest';
import { pluginsFor } from './lookups.ts';
import type { PluginConfig } from './prow-config.ts';

const plugins: PluginConfig = {
  plugins: {
    acme: { plugins: ['lgtm', 'hold'], excluded_repos: ['legacy', 'acme/old'] },
    'acme/widget': { plugins: ['trigger', 'hold'], excluded_repos: [] },
    'acme/legacy': { plugins: ['size'], excluded_repos: [] },
  },
};

describe('pluginsFor', () => {
  it("merges the org's list with the repo's, without repeats", () => {
    expect(pluginsFor(plugins, 'acme/widget')).toEqual(['lgtm', 'hold', 'trigger']);
    expect(pluginsFor(plugins, 'acme/other')).toEqual(['lgtm', 'hold']);
  });

  it("honours the org's excluded_repos, by repo name or full name", () => {
    expect(pluginsFor(plugins, 'acme/legacy')).toEqual(['size']);
    expect(pluginsFor(plugins, 'acme/old')).toEqual([]);
  });

  it('is empty for an org with nothing configured', () => {
    expect(pluginsFor(plugins, 'elsewhere/repo')).toEqual([]);
  });
});
