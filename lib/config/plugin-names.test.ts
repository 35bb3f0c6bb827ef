import { describe, expect, it } from 'vitest';
import { formatIssue } from './config-issue.ts';
import { pluginNameIssues } from './plugin-names.ts';
import { parseYaml } from './yaml-file.ts';

const text = `plugins:
  acme:
    plugins: [assign, trigger, asign]
  acme/widgets:
  - trigger
  - lgtm
`;

describe('pluginNameIssues', () => {
  it('errors on a name nobody knows, at its position, and warns once per Prow plugin not implemented', () => {
    const { yaml } = parseYaml('plugins.yaml', text);
    const issues = pluginNameIssues(yaml, ['assign', 'lgtm']);
    expect(issues.map((i) => [i.severity, formatIssue(i)])).toEqual([
      ['error', 'plugins.yaml:3:32 plugins.acme.plugins[2]: unknown plugin "asign"; prow-ts has: assign, lgtm'],
      ['warning', 'plugins.yaml:3:23 plugins.acme.plugins[1]: Prow plugin "trigger" is not implemented yet (enabled in 2 places), ignored'],
    ]);
  });

  it('finds nothing to say when every name is implemented', () => {
    const { yaml } = parseYaml('plugins.yaml', text);
    expect(pluginNameIssues(yaml, ['assign', 'trigger', 'asign', 'lgtm'])).toEqual([]);
  });
});
