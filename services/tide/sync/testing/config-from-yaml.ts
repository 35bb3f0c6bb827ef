import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { formatIssue, loadConfig, type ProwConfig } from '../../../../lib/config/index.ts';

/** A config.yaml loaded as prow-ts loads it (schema, job defaults); refuses to go on when it has errors. */
export async function configFromYaml(yaml: string): Promise<ProwConfig> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tide-sync-'));
  try {
    await writeFile(path.join(dir, 'config.yaml'), yaml);
    const loaded = await loadConfig({ configPath: path.join(dir, 'config.yaml') });
    if (loaded.errors.length > 0) throw new Error(`the test config does not load:\n${loaded.errors.map(formatIssue).join('\n')}`);
    return loaded.config;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
