import { parseArgs } from 'node:util';
import { readEnv, type ProwEnv } from '../../lib/env.ts';
import { ProwError } from '../../lib/errors.ts';
import { githubClientFromEnv, type GitHubClient } from '../../lib/github/github-client.ts';
import { createLogger } from '../../lib/log.ts';
import { runLabelSync } from '../../policy/label-sync/label-sync.ts';
import { loadLabelsFile } from '../../policy/label-sync/labels-file.ts';
import type { Command } from './types.ts';

const usage = `usage: prow label-sync --config labels.yaml (--orgs ORG,... | --only ORG/REPO,...) [--skip ORG/REPO,...] [--confirm]

Makes repositories' labels match a labels file in Prow's labels.yaml format, as Prow's label_sync does:
missing labels are created, colours and descriptions corrected, a label's \`previously\` names renamed to it
(or, when both exist, their issues and PRs relabelled and the old label deleted), and labels past their
\`deleteAfter\` deleted. Labels the file does not name are left alone. Without --confirm it only prints
what it would do. GitHub comes from GITHUB_TOKEN (or a GitHub App) and GITHUB_API_URL.

options:
  --config FILE         the labels file (Prow's labels.yaml)
  --orgs LIST           comma-separated orgs: every repository in them that is not archived
  --only LIST           comma-separated org/repo: just these (not with --orgs)
  --skip LIST           comma-separated org/repo to leave out
  --confirm             apply the changes (default: dry run)`;

/** What `runLabelSyncCommand` writes to and reads from; tests pass their own environment. */
export interface LabelSyncIo {
  print(line: string): void;
  env?: ProwEnv | undefined;
  /** The GitHub client; from the environment when absent (tests pass one without write spacing). */
  github?: GitHubClient | undefined;
  now?: Date | undefined;
}

const list = (value: string | undefined): string[] => (value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');

/** Runs `prow label-sync`; resolves to the exit code (1 when some repo failed). */
export async function runLabelSyncCommand(argv: string[], io: LabelSyncIo): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        config: { type: 'string' },
        orgs: { type: 'string' },
        only: { type: 'string' },
        skip: { type: 'string' },
        confirm: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    throw new ProwError('PROW_ERR_USAGE', (err as Error).message);
  }
  if (values.config === undefined) throw new ProwError('PROW_ERR_USAGE', 'prow label-sync needs --config, the labels.yaml to sync to');
  const orgs = list(values.orgs);
  const only = list(values.only);
  if (orgs.length > 0 && only.length > 0) throw new ProwError('PROW_ERR_USAGE', 'prow label-sync takes --orgs or --only, not both');
  if (orgs.length === 0 && only.length === 0) throw new ProwError('PROW_ERR_USAGE', 'prow label-sync needs --orgs ORG,... or --only ORG/REPO,... to say which repos to sync');
  const skip = list(values.skip);
  for (const name of [...only, ...skip]) {
    if (!/^[^/\s]+\/[^/\s]+$/.test(name)) throw new ProwError('PROW_ERR_USAGE', `"${name}" is not org/repo (in --only or --skip)`);
  }
  const config = await loadLabelsFile(values.config);
  const env = io.env ?? readEnv();
  if (values.confirm && env.githubToken === undefined && env.githubAppId === undefined) {
    throw new ProwError('PROW_ERR_USAGE', 'prow label-sync --confirm changes labels: set GITHUB_TOKEN (or a GitHub App) first');
  }
  const logger = createLogger({ level: env.logLevel, name: 'label-sync', destination: process.stderr });
  const result = await runLabelSync({
    github: io.github ?? githubClientFromEnv(env, logger),
    config,
    selection: { orgs, only, skip },
    confirm: values.confirm,
    print: (line) => {
      io.print(line);
    },
    logger,
    now: io.now,
  });
  const done = values.confirm ? `applied ${String(result.actions)} changes` : `would apply ${String(result.actions)} changes (dry run; --confirm applies)`;
  io.print(`label-sync: ${String(result.repos)} repos, ${done}${result.failed.length > 0 ? `; failed: ${result.failed.join(', ')}` : ''}`);
  return result.failed.length > 0 ? 1 : 0;
}

/** `prow label-sync`: make repos' labels match labels.yaml, as Prow's label_sync. */
export const labelSync: Command = {
  name: 'label-sync',
  summary: "make repos' labels match a labels.yaml (as Prow's label_sync); dry run unless --confirm",
  usage,
  run: (argv) =>
    runLabelSyncCommand(argv, {
      print: (line) => {
        process.stdout.write(`${line}\n`);
      },
    }),
};
