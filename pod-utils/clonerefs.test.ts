import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refsForPullRequest, type Refs } from '../lib/jobs/index.ts';
import type { CloneRecord } from './clone-record.ts';
import { defaultGitUser, runClonerefs } from './clonerefs.ts';
import { pathForRefs } from './refs.ts';
import { isolatedGitEnv, startGitWorld, type GitWorld } from './testing/git-world.ts';

let world: GitWorld;

beforeAll(async () => {
  world = await startGitWorld();
});

afterAll(async () => {
  await world.close();
});

/** Runs clonerefs into a fresh source root the way decorationEnv configures it. */
async function clone(name: string, refs: Refs[], extra: { fail?: boolean; oauth_token_file?: string } = {}) {
  const srcRoot = join(world.tmp, name, 'go');
  const log = join(world.tmp, name, 'logs', 'clone.json');
  const result = await runClonerefs(
    { src_root: srcRoot, log, git_user_name: defaultGitUser.name, git_user_email: defaultGitUser.email, refs, github_base_url: world.emu.url, ...extra },
    { env: isolatedGitEnv(world.tmp), fetchRetries: [] },
  );
  return { ...result, srcRoot, log };
}

describe('runClonerefs', () => {
  it('checks out the base and merges the pull with --no-ff, the same merge commit every time', async () => {
    const pr = await world.openPull('clean', { 'feature.txt': 'new feature\n' });
    // The branch moves on after the PR opened, so the merge is a real one.
    const base = await world.push('main', { 'README.md': 'widgets, now documented\n' });
    const refs = refsForPullRequest(pr, base);

    const first = await clone('clean-1', [refs]);
    const second = await clone('clean-2', [refs]);

    expect(first.exitCode).toBe(0);
    expect(first.failed).toBe(0);
    const dir = pathForRefs(first.srcRoot, refs);
    expect(dir).toBe(join(first.srcRoot, 'src', world.emu.url.replace('http://', ''), 'acme', 'widgets'));
    expect(await readFile(join(dir, 'feature.txt'), 'utf8')).toBe('new feature\n');
    expect(await readFile(join(dir, 'README.md'), 'utf8')).toBe('widgets, now documented\n');
    expect(await world.git(dir, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    expect((await world.git(dir, 'log', '-1', '--format=%P')).split(' ')).toEqual([base, pr.head.sha]);
    expect(await world.git(dir, 'config', 'user.name')).toBe('ci-robot');

    const [setup, record] = first.records;
    expect(setup).toEqual({ refs: {} });
    expect(record?.refs).toEqual(refs);
    expect(record?.failed).toBeUndefined();
    expect(record?.final_sha).toBe(await world.git(dir, 'rev-parse', 'HEAD'));
    expect(second.records[1]?.final_sha).toBe(record?.final_sha);
    expect(record?.commands?.some((c) => c.command.endsWith(`git merge --no-ff ${pr.head.sha}`))).toBe(true);
    expect(JSON.parse(await readFile(first.log, 'utf8'))).toEqual(first.records);
  });

  it('records a pull that does not merge as failed and still exits 0, unless fail is set', async () => {
    const pr = await world.openPull('conflict', { 'app.txt': 'version 2 from the PR\n' });
    const base = await world.push('main', { 'app.txt': 'version 2 from main\n' });
    const refs = refsForPullRequest(pr, base);

    const lenient = await clone('conflict-1', [refs]);
    const strict = await clone('conflict-2', [refs], { fail: true });

    expect(lenient.exitCode).toBe(0);
    expect(strict.exitCode).toBe(1);
    const record: CloneRecord = lenient.records[1] ?? { refs: {} };
    expect(record.failed).toBe(true);
    expect(record.final_sha).toBeUndefined();
    const last = record.commands?.at(-1);
    expect(last?.command).toContain('merge --no-ff');
    expect(last?.error).toBe('exit status 1');
    expect(last?.output).toContain('CONFLICT');
  });

  it('clones extra refs beside the job\'s own, under their path_alias, from the base ref when no sha is given', async () => {
    const gadgetsHead = await world.createRepo('gadgets', { 'gadget.txt': 'gadget\n' });
    const widgets: Refs = { org: 'acme', repo: 'widgets', base_ref: 'main', base_sha: await world.head('main') };
    const gadgets: Refs = { org: 'acme', repo: 'gadgets', base_ref: 'main', path_alias: 'example.com/gadgets' };

    const result = await clone('extra', [widgets, gadgets]);

    expect(result.failed).toBe(0);
    expect(result.records).toHaveLength(3);
    const gadgetsDir = join(result.srcRoot, 'src', 'example.com', 'gadgets');
    expect(await readFile(join(gadgetsDir, 'gadget.txt'), 'utf8')).toBe('gadget\n');
    expect(result.records[2]?.final_sha).toBe(gadgetsHead);
    expect(await world.git(join(result.srcRoot, 'src', 'github.com', 'acme', 'widgets'), 'rev-parse', 'HEAD')).toBe(widgets.base_sha);
  });

  it('fetches with the oauth token and keeps it out of the records', async () => {
    const { token } = await world.emu.control.createToken('alice');
    const tokenFile = join(world.tmp, 'oauth-token');
    await writeFile(tokenFile, `${token}\n`);
    const refs: Refs = { org: 'acme', repo: 'widgets', base_ref: 'main' };

    const result = await clone('token', [refs], { oauth_token_file: tokenFile });

    expect(result.failed).toBe(0);
    const text = await readFile(result.log, 'utf8');
    expect(text).not.toContain(token);
    expect(text).toContain('CENSORED:x-oauth-basic@');
  });

  it('records an unreadable token file as a failed environment setup', async () => {
    const result = await clone('no-token', [{ org: 'acme', repo: 'widgets', base_ref: 'main' }], { oauth_token_file: join(world.tmp, 'missing') });

    expect(result.records).toHaveLength(1);
    expect(result.records[0]?.failed).toBe(true);
    expect(result.exitCode).toBe(0);
  });
});
