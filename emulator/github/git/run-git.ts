import { execFile } from 'node:child_process';
import os from 'node:os';

/** Environment every git process gets: no system or user config, no prompts, stable messages. */
export function gitEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: os.tmpdir(),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
    ...extra,
  };
}

/** What a finished git process said. */
export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** How to run one git command. */
export interface RunGitOptions {
  /** Written to git's stdin. */
  input?: string | Uint8Array | undefined;
  /** Added to the environment from `gitEnv()`. */
  env?: Record<string, string> | undefined;
  /** Exit codes that are answers, not failures (`merge-base --is-ancestor` answers with 1). */
  okCodes?: readonly number[] | undefined;
}

/** A git process that exited with a code its caller did not expect. */
export class GitCommandFailed extends Error {
  readonly args: readonly string[];
  readonly code: number;
  readonly stderr: string;

  constructor(args: readonly string[], code: number, stderr: string) {
    super(`git ${args.join(' ')} exited with ${code}: ${stderr.trim()}`);
    this.name = 'GitCommandFailed';
    this.args = args;
    this.code = code;
    this.stderr = stderr;
  }
}

/** Runs `git --git-dir=<gitDir> <args>` without a shell and collects its output. */
export function runGit(gitDir: string, args: readonly string[], opts: RunGitOptions = {}): Promise<GitResult> {
  const argv = [`--git-dir=${gitDir}`, ...args];
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      argv,
      { env: gitEnv(opts.env), encoding: 'buffer', maxBuffer: 512 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const exit = err === null ? 0 : err.code;
        if (typeof exit !== 'number') {
          reject(new Error(`cannot run git: ${err?.message ?? 'unknown error'}`, { cause: err }));
          return;
        }
        const code = exit;
        const result = { code, stdout, stderr: stderr.toString('utf8') };
        if (code === 0 || opts.okCodes?.includes(code)) resolve(result);
        else reject(new GitCommandFailed(args, code, result.stderr));
      },
    );
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(opts.input ?? '');
  });
}

/** Runs git and returns its stdout as text without the trailing newline. */
export async function gitText(gitDir: string, args: readonly string[], opts: RunGitOptions = {}): Promise<string> {
  const { stdout } = await runGit(gitDir, args, opts);
  return stdout.toString('utf8').replace(/\n$/, '');
}
