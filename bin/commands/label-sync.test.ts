import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { octokitFor, startTestEmulator } from '../../emulator/github/testing/test-emulator.ts';
import { readEnv } from '../../lib/env.ts';
import { isProwError } from '../../lib/errors.ts';
import { githubClientFromEnv } from '../../lib/github/github-client.ts';
import { loadLabelsFile } from '../../policy/label-sync/labels-file.ts';
import { memoryLogger } from '../../test/helpers/memory-logger.ts';
import { runLabelSyncCommand } from './label-sync.ts';

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let gh: Octokit;
let token: string;
let dir: string;
let labelsFile: string;
const fixture = new URL('../../test/fixtures/prow-config/labels.yaml', import.meta.url).pathname;

const labels = `default:
  labels:
  - name: lgtm
    color: 15dd18
    description: Indicates that a PR is ready to be merged.
    target: prs
    prowPlugin: lgtm
    addedBy: reviewers or members
  - name: priority/critical-urgent
    color: e11d21
    description: Highest priority.
    target: both
    previously:
    - name: P0
    - name: priority/P0
  - name: area/provider/aws
    color: 0052cc
    previously:
    - name: sig/aws
  - name: gone-label
    color: cccccc
    deleteAfter: 2020-01-02T15:04:05Z
repos:
  acme/widgets:
    labels:
    - name: widgets-only
      color: "00FF00"
`;

async function sync(args: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const env = readEnv({ GITHUB_TOKEN: token, GITHUB_API_URL: emu.url, LOG_LEVEL: 'silent' });
  const github = githubClientFromEnv(env, memoryLogger('warn').logger, { rateLimits: { enabled: false } });
  const code = await runLabelSyncCommand(args, { print: (line) => lines.push(line), env, github });
  return { code, lines };
}

const labelsOf = async (repo: string): Promise<Record<string, string>> =>
  Object.fromEntries((await gh.paginate(gh.rest.issues.listLabelsForRepo, { owner: 'acme', repo, per_page: 100 })).map((l) => [l.name, l.color]));

const issueLabels = async (repo: string, number: number): Promise<string[]> =>
  (await gh.rest.issues.get({ owner: 'acme', repo, issue_number: number })).data.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).sort();

beforeAll(async () => {
  emu = await startTestEmulator();
  token = (await emu.control.createUser({ login: 'admin' })).token;
  await emu.control.createOrg({ login: 'acme', admins: ['admin'] });
  for (const name of ['widgets', 'gadgets', 'fixture']) await emu.control.createRepo({ owner: 'acme', name });
  gh = octokitFor(emu.url, token);
  for (const [name, color] of [['P0', 'ff0000'], ['priority/P0', 'ff0000'], ['sig/aws', '123456'], ['LGTM', '15dd18'], ['gone-label', 'cccccc'], ['our-own', 'abcdef']] as const) {
    await gh.rest.issues.createLabel({ owner: 'acme', repo: 'widgets', name, color });
  }
  dir = await mkdtemp(join(tmpdir(), 'prow-label-sync-'));
  labelsFile = join(dir, 'labels.yaml');
  await writeFile(labelsFile, labels);
});

afterAll(async () => {
  await emu.close();
  await rm(dir, { recursive: true, force: true });
});

async function issueWith(repo: string, title: string, with_: string[]): Promise<number> {
  const { data } = await gh.rest.issues.create({ owner: 'acme', repo, title, labels: with_ });
  return data.number;
}

describe('prow label-sync', () => {
  it('loads Kubernetes\' labels.yaml, previous names and repo additions included', async () => {
    const config = await loadLabelsFile(fixture);
    expect(config.default.labels.length).toBeGreaterThan(100);
    expect(config.default.labels.find((l) => l.name === 'area/provider/aws')?.previously?.map((p) => p.name)).toContain('sig/aws');
    expect(Object.keys(config.repos)).toContain('kubernetes/community');
  });

  it('names a bad labels file by file:line', async () => {
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'default:\n  labels:\n  - name: a\n    color: red\n  - name: b\n    color: 00ff00\n    colour: 00ff00\n');
    const err = await loadLabelsFile(bad).catch((e: unknown) => e);
    expect(isProwError(err, 'PROW_ERR_CONFIG_INVALID')).toBe(true);
    expect((err as Error).message).toContain(`${bad}:4:12 default.labels[0].color`);
    expect((err as Error).message).toMatch(/bad\.yaml:7:5 default\.labels\[1\]: unknown key "colour"/);

    await writeFile(bad, 'default:\n  labels:\n  - name: a\n    color: 000000\nrepos:\n  acme/widgets:\n    labels:\n    - name: B\n      color: 00ff00\n      previously:\n      - name: A\n');
    const dupe = await loadLabelsFile(bad).catch((e: unknown) => e);
    expect(isProwError(dupe, 'PROW_ERR_CONFIG_INVALID')).toBe(true);
    expect((dupe as Error).message).toMatch(/bad\.yaml:11:15 .*label "A" is also defined at default\.labels\[0\] \(line 3\)/);
  });

  it('a dry run prints what it would do and changes nothing', async () => {
    const before = await labelsOf('widgets');
    const { code, lines } = await sync(['--config', labelsFile, '--only', 'acme/widgets']);
    expect(code).toBe(0);
    expect(lines).toContain('acme/widgets: delete "gone-label": dead label');
    expect(lines).toContain('acme/widgets: rename "LGTM" to "lgtm" (color 15dd18): capitalization');
    expect(lines.some((l) => l.startsWith('acme/widgets: rename "P0" to "priority/critical-urgent"'))).toBe(true);
    expect(lines.some((l) => l.startsWith('acme/widgets: migrate "priority/P0" to "priority/critical-urgent"'))).toBe(true);
    expect(lines).toContain('acme/widgets: create "widgets-only" (color 00ff00): missing');
    expect(lines.at(-1)).toMatch(/would apply \d+ changes \(dry run/);
    expect(await labelsOf('widgets')).toEqual(before);
  });

  it('--confirm applies, keeps renamed and migrated issues labelled, leaves unknown labels, and a second run is a no-op', async () => {
    const onP0 = await issueWith('widgets', 'urgent', ['P0']);
    const onOldP0 = await issueWith('widgets', 'also urgent', ['priority/P0']);
    const onAws = await issueWith('widgets', 'aws thing', ['sig/aws', 'our-own']);
    await gh.rest.issues.update({ owner: 'acme', repo: 'widgets', issue_number: onOldP0, state: 'closed' });

    const applied = await sync(['--config', labelsFile, '--only', 'acme/widgets', '--confirm']);
    expect(applied.code).toBe(0);
    expect(await labelsOf('widgets')).toEqual({
      lgtm: '15dd18',
      'priority/critical-urgent': 'e11d21',
      'area/provider/aws': '0052cc',
      'widgets-only': '00ff00',
      'our-own': 'abcdef',
    });
    expect(await issueLabels('widgets', onP0)).toEqual(['priority/critical-urgent']);
    expect(await issueLabels('widgets', onOldP0)).toEqual(['priority/critical-urgent']);
    expect(await issueLabels('widgets', onAws)).toEqual(['area/provider/aws', 'our-own']);

    const again = await sync(['--config', labelsFile, '--only', 'acme/widgets', '--confirm']);
    expect(again.lines).toEqual(['label-sync: 1 repos, applied 0 changes']);
  });

  it('fixes colour and description drift, and --orgs with --skip picks the org\'s other repos', async () => {
    await gh.rest.issues.createLabel({ owner: 'acme', repo: 'gadgets', name: 'lgtm', color: '000000', description: 'Indicates that a PR is ready to be merged.' });
    const { lines } = await sync(['--config', labelsFile, '--orgs', 'acme', '--skip', 'acme/widgets,acme/fixture', '--confirm']);
    expect(lines).toContain('acme/gadgets: update "lgtm" to color 15dd18, description "Indicates that a PR is ready to be merged.": color');
    expect(lines.some((l) => l.startsWith('acme/widgets') || l.startsWith('acme/fixture'))).toBe(false);
    expect((await labelsOf('gadgets')).lgtm).toBe('15dd18');
    expect(await labelsOf('gadgets')).not.toHaveProperty('widgets-only');
  });

  it('syncs Kubernetes\' labels.yaml into a repo, and then has nothing left to do', async () => {
    const first = await sync(['--config', fixture, '--only', 'acme/fixture', '--confirm']);
    expect(first.code).toBe(0);
    const config = await loadLabelsFile(fixture);
    const live = config.default.labels.filter((l) => l.deleteAfter === undefined);
    expect(Object.keys(await labelsOf('fixture')).sort()).toEqual(live.map((l) => l.name).sort());
    const again = await sync(['--config', fixture, '--only', 'acme/fixture']);
    expect(again.lines).toEqual(['label-sync: 1 repos, would apply 0 changes (dry run; --confirm applies)']);
  });

  it('refuses --orgs with --only, and a repo that is not org/repo', async () => {
    for (const args of [['--orgs', 'acme', '--only', 'acme/widgets'], ['--only', 'widgets'], []]) {
      const err = await sync(['--config', labelsFile, ...args]).catch((e: unknown) => e);
      expect(isProwError(err, 'PROW_ERR_USAGE')).toBe(true);
    }
  });
});
