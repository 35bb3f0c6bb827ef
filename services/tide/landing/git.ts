import { execFile } from 'node:child_process';
import os from 'node:os';

/** How to run one git command in a clone. */
export interface GitOptions {
  /** Added to the isolated environment (identities, the auth header's config). */
  env?: Record<string, string> | undefined;
  /** Exit codes that are answers, not failures (`merge` answers a conflict with 1). */
  okCodes?: readonly number[] | undefined;
}

/** What a finished git command said. */
export interface GitOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/** A git command that exited with a code its caller did not expect; names the arguments, never the environment. */
export class GitFailed extends Error {
  readonly args: readonly string[];
  readonly code: number;
  readonly stderr: string;

  constructor(args: readonly string[], code: number, stderr: string) {
    super(`git ${args.join(' ')} exited with ${code}: ${stderr.trim()}`);
    this.name = 'GitFailed';
    this.args = args;
    this.code = code;
    this.stderr = stderr;
  }
}

/**
 * Runs `git <args>` in `cwd` without a shell, with no system or user config and no prompts, so the machine's
 * git settings (hooks, signing, editors) never change what a train is made of.
 */
export function git(cwd: string, args: readonly string[], opts: GitOptions = {}): Promise<GitOutput> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: os.tmpdir(),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
    ...opts.env,
  };
  return new Promise((resolve, reject) => {
    const child = execFile('git', args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : err.code;
      if (typeof code !== 'number') {
        reject(new Error(`cannot run git: ${err?.message ?? 'unknown error'}`, { cause: err }));
        return;
      }
      if (code === 0 || opts.okCodes?.includes(code)) resolve({ code, stdout, stderr });
      else reject(new GitFailed(args, code, stderr));
    });
    child.stdin?.end();
  });
}

/** Runs git and answers its stdout without the trailing newline. */
export async function gitText(cwd: string, args: readonly string[], opts: GitOptions = {}): Promise<string> {
  return (await git(cwd, args, opts)).stdout.replace(/\n$/, '');
}
