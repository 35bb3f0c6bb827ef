import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, octokitFor, startTestEmulator } from '../../emulator/github/testing/test-emulator.ts';
import { loadConfigOrThrow } from '../../lib/config/index.ts';
import { readEnv } from '../../lib/env.ts';
import { isProwError } from '../../lib/errors.ts';
import { githubClientFromEnv } from '../../lib/github/github-client.ts';
import { requiredContexts } from '../../policy/branchprotector/branch-policy.ts';
import { loadBranchProtection } from '../../policy/branchprotector/protection-config.ts';
import { memoryLogger } from '../../test/helpers/memory-logger.ts';
import { runBranchprotector } from './branchprotector.ts';

let emu: Awaited<ReturnType<typeof startTestEmulator>>;
let gh: Octokit;
let token: string;
let dir: string;
const fixtures = new URL('../../test/fixtures/prow-config/', import.meta.url).pathname;

const spec = '    spec: {containers: [{image: alpine, command: [sh, -c, "true"]}]}\n';
const config = `branch-protection:
  allow_disabled_policies: true
  orgs:
    acme:
      protect: true
      required_status_checks:
        contexts: [EasyCLA]
      exclude: ["^revert-"]
      repos:
        widgets:
          enforce_admins: true
          required_pull_request_reviews:
            required_approving_review_count: 1
          branches:
            gh-pages:
              protect: false
        gadgets:
          unmanaged: true
presubmits:
  acme/widgets:
  - name: unit
    always_run: true
    skip_branches: ['^gh-pages$']
${spec}  - name: lint
    always_run: true
    optional: true
${spec}  - name: docs
    run_if_changed: '^docs/'
${spec}  - name: quiet
    always_run: true
    skip_report: true
${spec}  - name: e2e
${spec}  - name: release-only
    always_run: true
    branches: ['^release-']
${spec}`;

async function protector(file: string, confirm = false, jobs: string[] = []): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const env = readEnv({ GITHUB_TOKEN: token, GITHUB_API_URL: emu.url, LOG_LEVEL: 'silent' });
  const github = githubClientFromEnv(env, memoryLogger('warn').logger, { rateLimits: { enabled: false } });
  const code = await runBranchprotector(['--config-path', file, ...jobs, ...(confirm ? ['--confirm'] : [])], { print: (line) => lines.push(line), env, github });
  return { code, lines };
}

const protection = (repo: string, branch: string, owner = 'acme') => gh.rest.repos.getBranchProtection({ owner, repo, branch }).then((r) => r.data);

beforeAll(async () => {
  emu = await startTestEmulator();
  token = (await emu.control.createUser({ login: 'admin' })).token;
  await emu.control.createOrg({ login: 'acme', admins: ['admin'] });
  for (const name of ['widgets', 'gadgets', 'tools']) await emu.control.createRepo({ owner: 'acme', name });
  for (const login of ['kubernetes', 'kubernetes-client', 'kubernetes-csi', 'kubernetes-sigs']) await emu.control.createOrg({ login, admins: ['admin'] });
  for (const name of ['gengo', 'autoscaler']) await emu.control.createRepo({ owner: 'kubernetes', name });
  await emu.control.commitFiles({ owner: 'kubernetes', repo: 'autoscaler', branch: 'gh-pages', from: 'main', files: { 'index.html': 'x\n' }, message: 'pages' });
  for (const branch of ['release-1.0', 'revert-1', 'gh-pages']) {
    await emu.control.commitFiles({ owner: 'acme', repo: 'widgets', branch, from: 'main', files: { [`${branch}.txt`]: 'x\n' }, message: branch });
  }
  gh = octokitFor(emu.url, token);
  await gh.rest.repos.updateBranchProtection({ owner: 'acme', repo: 'widgets', branch: 'gh-pages', required_status_checks: null, enforce_admins: true, required_pull_request_reviews: null, restrictions: null });
  dir = await mkdtemp(join(tmpdir(), 'prow-branchprotector-'));
  await writeFile(join(dir, 'config.yaml'), config);
});

afterAll(async () => {
  await emu.close();
  await rm(dir, { recursive: true, force: true });
});

describe('prow branchprotector', () => {
  it("loads Kubernetes' branch-protection, and requires only the presubmits Prow would", async () => {
    const { config: bp } = await loadBranchProtection(join(fixtures, 'config.yaml'));
    expect(bp.orgs?.kubernetes?.required_status_checks?.contexts).toEqual(['EasyCLA']);
    expect(bp.orgs?.kubernetes?.repos?.autoscaler?.branches?.['gh-pages']?.protect).toBe(false);

    const { config: prow } = await loadConfigOrThrow({ configPath: join(dir, 'config.yaml') });
    const jobs = prow.presubmits['acme/widgets'] ?? [];
    expect(requiredContexts('main', jobs, {}).required).toEqual(['unit']);
    expect(requiredContexts('release-1.0', jobs, {}).required).toEqual(['unit', 'release-only']);
    expect(requiredContexts('main', jobs, { require_manually_triggered_jobs: true }).required).toEqual(['unit', 'e2e']);
  });

  it('a dry run prints the changes per branch and changes nothing', async () => {
    const { code, lines } = await protector(join(dir, 'config.yaml'));
    expect(code).toBe(0);
    expect(lines).toContain('acme/widgets=main: protect');
    expect(lines).toContain('  required_status_checks.contexts: ["EasyCLA","unit"]');
    expect(lines).toContain('acme/widgets=release-1.0: protect');
    expect(lines).toContain('  required_status_checks.contexts: ["EasyCLA","release-only","unit"]');
    expect(lines).toContain('acme/widgets=gh-pages: unprotect');
    expect(lines).toContain('acme/tools=main: protect');
    expect(lines.some((l) => l.startsWith('acme/widgets=revert-1') || l.startsWith('acme/gadgets'))).toBe(false);
    expect(lines.at(-1)).toBe('branchprotector: 4 branches checked, would change 4 (dry run; --confirm applies)');
    expect((await failure(protection('widgets', 'main'))).status).toBe(404);
    expect((await protection('widgets', 'gh-pages')).enforce_admins?.enabled).toBe(true);
  });

  it('--confirm applies the policy, and a second run is a no-op', async () => {
    const applied = await protector(join(dir, 'config.yaml'), true);
    expect(applied.code).toBe(0);
    const main = await protection('widgets', 'main');
    expect(main.required_status_checks?.contexts).toEqual(['EasyCLA', 'unit']);
    expect(main.enforce_admins?.enabled).toBe(true);
    expect(main.required_pull_request_reviews?.required_approving_review_count).toBe(1);
    expect((await protection('widgets', 'release-1.0')).required_status_checks?.contexts).toEqual(['EasyCLA', 'release-only', 'unit']);
    const tools = await protection('tools', 'main');
    expect(tools.required_status_checks?.contexts).toEqual(['EasyCLA']);
    expect(tools.enforce_admins?.enabled).toBe(false);
    expect((await failure(protection('widgets', 'gh-pages'))).status).toBe(404);
    expect((await failure(protection('widgets', 'revert-1'))).status).toBe(404);
    expect((await failure(protection('gadgets', 'main'))).status).toBe(404);

    const again = await protector(join(dir, 'config.yaml'), true);
    expect(again.lines).toEqual(['branchprotector: 4 branches checked, changed 0']);
  });

  it('puts back a setting changed by hand, naming it', async () => {
    await gh.rest.repos.updateBranchProtection({
      owner: 'acme', repo: 'tools', branch: 'main',
      required_status_checks: { strict: false, contexts: ['EasyCLA', 'manual'] }, enforce_admins: false, required_pull_request_reviews: null, restrictions: null,
    });
    const { lines } = await protector(join(dir, 'config.yaml'), true);
    expect(lines).toEqual(['acme/tools=main: update', '  required_status_checks.contexts: ["EasyCLA","manual"] -> ["EasyCLA"]', 'branchprotector: 4 branches checked, changed 1']);
    expect((await protection('tools', 'main')).required_status_checks?.contexts).toEqual(['EasyCLA']);
  });

  it("holds Kubernetes' own repos to Kubernetes' config and jobs, and a second run is a no-op", async () => {
    const args = ['--job-config-path', join(fixtures, 'jobs')];
    const first = await protector(join(fixtures, 'config.yaml'), true, args);
    expect(first.lines.filter((l) => l.startsWith('error'))).toEqual([]);
    expect(first.code).toBe(0);
    expect((await protection('gengo', 'main', 'kubernetes')).required_status_checks?.contexts).toEqual(['EasyCLA', 'pull-gengo-test', 'pull-gengo-verify']);
    expect((await protection('autoscaler', 'main', 'kubernetes')).required_status_checks?.contexts).toEqual(['EasyCLA', 'Helm Docs', 'Helm chart', 'test', 'verify']);
    expect((await failure(protection('autoscaler', 'gh-pages', 'kubernetes'))).status).toBe(404);
    const again = await protector(join(fixtures, 'config.yaml'), true, args);
    expect(again.lines.at(-1)).toMatch(/branches checked, changed 0$/);
  });

  it('names bad config by file:line, and refuses protect: false on a branch with required jobs', async () => {
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, 'branch-protection:\n  orgs:\n    acme:\n      protect: yes\n      enforce_admin: true\n      exclude: ["(unclosed"]\n');
    const err = await protector(bad).catch((e: unknown) => e);
    expect(isProwError(err, 'PROW_ERR_CONFIG_INVALID')).toBe(true);
    expect((err as Error).message).toMatch(/bad\.yaml:5:7 .*unknown key "enforce_admin"/);
    expect((err as Error).message).toMatch(/bad\.yaml:6:17 /);

    await writeFile(bad, config.replace("    skip_branches: ['^gh-pages$']\n", ''));
    const refused = await protector(bad);
    expect(refused.code).toBe(1);
    expect(refused.lines).toContain('error: acme/widgets=gh-pages: required presubmits (unit) need branch protection, but protect is false: set protect: true, or allow_disabled_job_policies: true');

    await writeFile(bad, config.replace("    skip_branches: ['^gh-pages$']\n", '').replace('  allow_disabled_policies: true\n', '  allow_disabled_policies: true\n  allow_disabled_job_policies: true\n'));
    const allowed = await protector(bad);
    expect(allowed.code).toBe(0);
    expect(allowed.lines.some((l) => l.startsWith('acme/widgets=gh-pages'))).toBe(false);
  });
});
