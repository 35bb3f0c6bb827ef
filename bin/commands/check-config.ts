import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { formatIssue, loadConfig } from '../../lib/config/index.ts';
import { plugins } from '../../plugins/index.ts';
import { ProwError } from '../../lib/errors.ts';
import type { Command } from './types.ts';

const usage = `usage: prow check-config --config-path F [--job-config-path D] [--plugin-config P]

Loads Prow configuration exactly as the services do and prints every error and warning as
file:line:col path: message, then a summary. Exits 1 when there is any error.

Errors: YAML syntax, unknown keys, wrong types, regexps and cron lines that do not compile, bad
durations, duplicate job names, settings Prow forbids together. Warnings: keys Prow has that
prow-ts does not implement yet (they are ignored).

options:
  --config-path F         Prow config.yaml
  --job-config-path D     directory of job configs (every *.yaml and *.yml below it)
  --plugin-config P       Prow plugins.yaml`;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Runs check-config writing each line through `print`; resolves to the exit code. */
export async function runCheckConfig(argv: string[], print: (line: string) => void): Promise<number> {
  let values: { 'config-path'?: string | undefined; 'job-config-path'?: string | undefined; 'plugin-config'?: string | undefined };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'config-path': { type: 'string' },
        'job-config-path': { type: 'string' },
        'plugin-config': { type: 'string' },
      },
    }));
  } catch (err) {
    throw new ProwError('PROW_ERR_USAGE', (err as Error).message);
  }
  const configPath = values['config-path'];
  if (configPath === undefined) throw new ProwError('PROW_ERR_USAGE', 'prow check-config needs --config-path');
  const paths = [configPath, values['job-config-path'], values['plugin-config']].filter((p) => p !== undefined);
  let missing = 0;
  for (const p of paths) {
    try {
      await stat(p);
    } catch {
      print(`${p}: not found`);
      missing++;
    }
  }
  if (missing > 0) return 1;

  const started = performance.now();
  const result = await loadConfig({
    configPath,
    jobConfigPath: values['job-config-path'],
    pluginConfigPath: values['plugin-config'],
    implementedPlugins: plugins.map((p) => p.name),
  });
  for (const issue of [...result.errors, ...result.warnings]) print(formatIssue(issue));
  const ms = Math.round(performance.now() - started);
  const verdict = result.errors.length > 0 ? 'configuration is invalid' : 'configuration is valid';
  print(`${verdict}: ${plural(result.errors.length, 'error')}, ${plural(result.warnings.length, 'warning')} in ${plural(result.files.length, 'file')} (${ms} ms)`);
  return result.errors.length > 0 ? 1 : 0;
}

/** `prow check-config`: validate Prow configuration files and print what is wrong with them. */
export const checkConfig: Command = {
  name: 'check-config',
  summary: 'validate config.yaml, job configs and plugins.yaml; print every error and warning',
  usage,
  run: (argv) =>
    runCheckConfig(argv, (line) => {
      console.log(line);
    }),
};
