import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCensorStream, loadSecrets, shouldCensor } from './censor.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'prow-censor-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const censored = (chunks: string[], secrets: string[]) => text(Readable.from(chunks.map((c) => Buffer.from(c))).pipe(createCensorStream(secrets)));

describe('createCensorStream', () => {
  it('replaces a secret and its base64 with as many stars, even split across chunks', async () => {
    const secret = 'hunter2-is-the-password';
    const b64 = Buffer.from(secret).toString('base64');
    const input = `token=${secret} again ${secret}\nencoded ${b64} end`;
    const chunks = [input.slice(0, 10), input.slice(10, 11), input.slice(11, 40), input.slice(40)];

    const out = await censored(chunks, [secret]);

    expect(out).toBe(`token=${'*'.repeat(secret.length)} again ${'*'.repeat(secret.length)}\nencoded ${'*'.repeat(b64.length)} end`);
  });

  it('passes text without secrets through unchanged', async () => {
    expect(await censored(['nothing ', 'to hide'], ['hunter2'])).toBe('nothing to hide');
  });
});

describe('loadSecrets', () => {
  it('reads every file of a mounted Secret through its links, trimmed, skipping the .. entries', async () => {
    const secretDir = join(dir, 'secret');
    await mkdir(join(secretDir, '..data'), { recursive: true });
    await writeFile(join(secretDir, '..data', 'token'), 'abc123-token\n');
    await writeFile(join(secretDir, '..data', 'short'), 'x');
    await symlink(join('..data', 'token'), join(secretDir, 'token'));
    await symlink(join('..data', 'short'), join(secretDir, 'short'));

    expect((await loadSecrets({ secret_directories: [secretDir], minimum_secret_length: 3 })).sort()).toEqual(['abc123-token']);
  });
});

describe('shouldCensor', () => {
  it('censors what is included and not excluded, everything when nothing is included', () => {
    expect(shouldCensor({}, 'junit_1.xml')).toBe(true);
    expect(shouldCensor({ include_directories: ['logs/**'] }, 'junit_1.xml')).toBe(false);
    expect(shouldCensor({ include_directories: ['logs/**'] }, 'logs/a/b.txt')).toBe(true);
    expect(shouldCensor({ include_directories: ['logs/**'], exclude_directories: ['logs/big/*'] }, 'logs/big/x.bin')).toBe(false);
  });
});
