import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../../lib/config/config-issue.ts';
import { isProwError } from '../../../lib/errors.ts';
import { loadResourcesConfig, parseResourcesConfig } from './resources-config.ts';

const errors = (yaml: string): string[] => parseResourcesConfig('boskos.yaml', yaml).issues.map(formatIssue);

describe("Boskos' resources file", () => {
  it("reads Boskos' own example unchanged: static names and a dynamic type with needs, lifespan and config", () => {
    const { config, issues } = parseResourcesConfig(
      'boskos.yaml',
      `resources:
- type: gce-project
  state: dirty
  names: [proj-a, proj-b]
- type: aws-account
  names:
  - acct-1
  - acct-2
- type: aws-cluster
  state: dirty
  min-count: 1
  max-count: 2
  lifespan: 48h
  needs: {aws-account: 1}
  config: {type: AWSClusterCreator, content: "region: us-east-1"}
- type: gke-cluster
  max-count: 3
  lifespan: 3600000000000
`,
    );
    expect(issues).toEqual([]);
    expect(config?.static).toEqual([
      { type: 'gce-project', state: 'dirty', names: ['proj-a', 'proj-b'] },
      { type: 'aws-account', state: 'free', names: ['acct-1', 'acct-2'] },
    ]);
    expect(config?.dynamic).toEqual([
      { type: 'aws-cluster', state: 'dirty', minCount: 1, maxCount: 2, lifespanMs: 48 * 3_600_000, needs: { 'aws-account': 1 }, config: { type: 'AWSClusterCreator', content: 'region: us-east-1' } },
      { type: 'gke-cluster', state: 'free', minCount: 0, maxCount: 3, lifespanMs: 3_600_000, needs: {}, config: { type: '', content: '' } },
    ]);
    expect(config?.types).toEqual(['gce-project', 'aws-account', 'aws-cluster', 'gke-cluster']);
  });

  it("refuses what Boskos' ValidateConfig refuses, each at its line and column", () => {
    expect(
      errors(`resources:
- type: ""
  names: [a]
- type: proj
  names: [Proj_1, ok-1]
- type: proj
  names: [ok-1]
- type: dyn
  min-count: 3
  max-count: 2
- type: nomax
- type: both
  names: [b-1]
  max-count: 2
- type: hungry
  max-count: 2
  needs: {proj: 1, ghost: 1}
- type: greedy
  max-count: 5
  needs: {both: 1}
  lifespan: soon
`),
    ).toEqual([
      'boskos.yaml:2:9 resources[0].type: must be set: name the resource type, e.g. gce-project',
      'boskos.yaml:5:11 resources[1].names[0]: "Proj_1" is not a DNS-1123 subdomain: use lowercase letters, digits, "-" and ".", starting and ending with a letter or digit',
      'boskos.yaml:6:9 resources[2].type: type "proj" is listed twice; merge the entries',
      'boskos.yaml:7:11 resources[2].names[0]: "ok-1" is already a resource of type "proj"; names are unique across types',
      'boskos.yaml:9:14 resources[3].min-count: min-count 3 is above max-count 2',
      'boskos.yaml:11:3 resources[4].max-count: a dynamic type (no names) needs max-count > 0; or list its names to make it static',
      'boskos.yaml:13:10 resources[5].names: names and min-count/max-count/lifespan are exclusive: list names for a static type, or drop them for a dynamic one',
      'boskos.yaml:17:27 resources[6].needs.ghost: needs type "ghost", which the file does not list',
      'boskos.yaml:20:17 resources[7].needs.both: needs 5 of type "both" at max-count, but there are only 1',
      'boskos.yaml:21:13 resources[7].lifespan: "soon" is not a positive Go duration (such as 48h or 30m) or number of nanoseconds',
    ]);
  });

  it('refuses unknown keys, wrong shapes, YAML errors and an empty list, saying where', () => {
    expect(errors('resources:\n- type: a\n  names: [x-1]\n  owner: me\n')).toEqual(['boskos.yaml:4:3 resources[0]: unknown key "owner"']);
    expect(errors('resource:\n- type: a\n')).toEqual(['boskos.yaml:1:1: unknown key "resource"']);
    expect(errors('resources:\n- type: a\n  max-count: many\n')).toEqual(['boskos.yaml:3:14 resources[0].max-count: Invalid input: expected number, received string']);
    expect(errors('resources: [\n')[0]).toMatch(/^boskos\.yaml:2:1: YAML syntax/);
    expect(errors('resources: []\n')).toEqual(['boskos.yaml:1:12 resources: no resources: list at least one {type, names} or {type, min-count, max-count} entry under resources:']);
  });

  it('loads a file, or throws PROW_ERR_CONFIG_READ / PROW_ERR_CONFIG_INVALID', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'boskos-config-'));
    try {
      const good = join(dir, 'good.yaml');
      await writeFile(good, 'resources:\n- type: t\n  names: [n-1]\n');
      expect((await loadResourcesConfig(good)).static).toEqual([{ type: 't', state: 'free', names: ['n-1'] }]);
      const bad = join(dir, 'bad.yaml');
      await writeFile(bad, 'resources:\n- type: t\n');
      const invalid: unknown = await loadResourcesConfig(bad).catch((e: unknown) => e);
      expect(isProwError(invalid, 'PROW_ERR_CONFIG_INVALID')).toBe(true);
      expect((invalid as Error).message).toContain(`${bad}:2:3 resources[0].max-count: a dynamic type`);
      expect(isProwError(await loadResourcesConfig(join(dir, 'missing.yaml')).catch((e: unknown) => e), 'PROW_ERR_CONFIG_READ')).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
