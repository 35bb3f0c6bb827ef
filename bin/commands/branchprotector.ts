import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfigOrThrow } from '../../lib/config/index.ts';
import { readEnv, type ProwEnv } from '../../lib/env.ts';
import { ProwError } from '../../lib/errors.ts';
import { githubClientFromEnv, type GitHubClient } from '../../lib/github/github-client.ts';
import { createLogger } from '../../lib/log.ts';
import { protectBranches } from '../../policy/branchprotector/protect.ts';
import { loadBranchProtection } from '../../policy/branchprotector/protection-config.ts';
import type { Command } from './types.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

const usage = `usage: prow branchprotector [--config-path F] [--job-config-path D] [--confirm]

Holds GitHub branch protection to config.yaml's \`branch-protection\`, as Prow's branchprotector does:
settings inherit from the top level to orgs, repos and branches; each branch's required status checks are
the configured contexts plus those of the presubmits that must pass on it (reported, not optional, always
run). Only branches that exist are touched. Without --confirm it prints, per branch, the settings it would
change. GitHub comes from GITHUB_TOKEN (or a GitHub App, with Administration: write) and GITHUB_API_URL.

options:
  --config-path F       Prow config.yaml (default: the example config)
  --job-config-path D   job config directory (default: the example's, when --config-path is not given)
  --confirm             apply the changes (default: dry run)`;

/** What `runBranchprotector` writes to and reads from; tests pass their own environment and client. */
export interface BranchprotectorIo {
  print(line: string): void;
  env?: ProwEnv | undefined;
  /** The GitHub client; from the environment when absent (tests pass one without write spacing). */
  github?: GitHubClient | undefined;
}

/** Runs `prow branchprotector`; resolves to the exit code (1 when a branch could not be handled). */
export async function runBranchprotector(argv: string[], io: BranchprotectorIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        'config-path': { type: 'string' },
        'job-config-path': { type: 'string' },
        confirm: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    throw new ProwError('PROW_ERR_USAGE', (err as Error).message);
  }
  const own = values['config-path'] !== undefined;
  const configPath = values['config-path'] ?? `${root}config/config.yaml`;
  const { config: protection, warnings } = await loadBranchProtection(configPath);
  const loaded = await loadConfigOrThrow({ configPath, jobConfigPath: values['job-config-path'] ?? (own ? undefined : `${root}config/jobs`) });
  const env = io.env ?? readEnv();
  if (values.confirm && env.githubToken === undefined && env.githubAppId === undefined) {
    throw new ProwError('PROW_ERR_USAGE', 'prow branchprotector --confirm changes branch protection: set GITHUB_TOKEN (or a GitHub App) first');
  }
  const logger = createLogger({ level: env.logLevel, name: 'branchprotector', destination: process.stderr });
  for (const warning of warnings) logger.warn(warning);
  const result = await protectBranches({
    github: io.github ?? githubClientFromEnv(env, logger),
    prow: loaded.config,
    protection,
    confirm: values.confirm,
    print: (line) => {
      io.print(line);
    },
    logger,
  });
  for (const error of result.errors) io.print(`error: ${error}`);
  const done = values.confirm ? `changed ${String(result.changes)}` : `would change ${String(result.changes)} (dry run; --confirm applies)`;
  io.print(`branchprotector: ${String(result.branches)} branches checked, ${done}${result.errors.length > 0 ? `, ${String(result.errors.length)} errors` : ''}`);
  return result.errors.length > 0 ? 1 : 0;
}

/** `prow branchprotector`: apply config.yaml's branch-protection to GitHub, as Prow's branchprotector. */
export const branchprotector: Command = {
  name: 'branchprotector',
  summary: "apply config.yaml's branch-protection to GitHub (as Prow's branchprotector); dry run unless --confirm",
  usage,
  run: (argv) =>
    runBranchprotector(argv, {
      print: (line) => {
        process.stdout.write(`${line}\n`);
      },
    }),
};
