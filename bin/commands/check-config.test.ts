import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { isProwError } from '../../lib/errors.ts';
import { checkConfig, runCheckConfig } from './check-config.ts';

const fixtures = fileURLToPath(new URL('../../test/fixtures/prow-config/', import.meta.url));
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

async function run(argv: string[]): Promise<{ code: number; lines: string[] }> {
  const lines: string[] = [];
  const code = await runCheckConfig(argv, (line) => lines.push(line));
  return { code, lines };
}

describe('prow check-config', () => {
  it("passes Kubernetes' configuration, printing its warnings and a summary", async () => {
    const { code, lines } = await run([
      '--config-path', `${fixtures}config.yaml`,
      '--job-config-path', `${fixtures}jobs`,
      '--plugin-config', `${fixtures}plugins.yaml`,
    ]);
    expect(code).toBe(0);
    expect(lines).toContain(`${fixtures}config.yaml:68:3 deck.spyglass: Prow key not implemented yet, ignored`);
    expect(lines).toContain(
      `${fixtures}plugins.yaml:1310:7 plugins.kubernetes.plugins[3]: Prow plugin "cat" is not implemented yet (enabled in 4 places), ignored`,
    );
    // 18 Prow keys and 32 Prow plugins that prow-ts does not implement yet.
    expect(lines.at(-1)).toMatch(/^configuration is valid: 0 errors, 50 warnings in 26 files \(\d+ ms\)$/);
    expect(lines).toHaveLength(51);
  });

  it('prints each error as file:line:col path: message and exits 1', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'prow-check-'));
    dirs.push(dir);
    const file = path.join(dir, 'config.yaml');
    await writeFile(file, 'tide:\n  queries:\n  - repos: [acme/widget]\n    bogus: 1\nperiodics:\n- name: nightly\n  cron: "0 25 * * *"\n');
    const { code, lines } = await run(['--config-path', file]);
    expect(code).toBe(1);
    expect(lines[0]).toBe(`${file}:4:5 tide.queries[0]: unknown key "bogus"`);
    expect(lines[1]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:7:9 periodics\\[0\\]\\.cron: invalid cron "0 25 \\* \\* \\*"`));
    expect(lines.at(-1)).toMatch(/^configuration is invalid: 2 errors, 0 warnings in 1 file \(\d+ ms\)$/);
  });

  it('says a missing file in one line and exits 1', async () => {
    const { code, lines } = await run(['--config-path', '/nonexistent/config.yaml']);
    expect(code).toBe(1);
    expect(lines).toEqual(['/nonexistent/config.yaml: not found']);
  });

  it('needs --config-path', async () => {
    const err: unknown = await checkConfig.run([]).catch((e: unknown) => e);
    expect(isProwError(err, 'PROW_ERR_USAGE')).toBe(true);
    const unknown: unknown = await checkConfig.run(['--config-path', 'x', '--bogus']).catch((e: unknown) => e);
    expect(isProwError(unknown, 'PROW_ERR_USAGE')).toBe(true);
  });
});
