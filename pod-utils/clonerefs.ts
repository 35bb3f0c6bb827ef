import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../lib/log.ts';
import type { Refs } from '../lib/jobs/index.ts';
import type { CloneCommand, CloneRecord } from './clone-record.ts';
import type { CloneRefsOptions } from './options.ts';
import { pathForRefs, set } from './refs.ts';

/** Prow's defaults for `git config user.name` and `user.email` in every clone. */
export const defaultGitUser = { name: 'ci-robot', email: 'ci-robot@k8s.io' };

/** Prow's waits between fetch attempts, in milliseconds. */
export const prowFetchRetries: readonly number[] = [100, 200, 400, 800, 2000, 5000, 10_000, 15_000, 30_000];

/** What `runClonerefs` runs with besides its options. */
export interface CloneRefsDeps {
  /** The environment git runs in; this process's by default. */
  env?: NodeJS.ProcessEnv;
  /** Waits between fetch attempts (ms); Prow's by default. */
  fetchRetries?: readonly number[];
  log?: Logger;
}

/** How a clonerefs run ended. */
export interface CloneRefsResult {
  records: CloneRecord[];
  /** Records that failed. */
  failed: number;
  /** 0 unless `fail` is set and a clone failed, as Prow's clonerefs exits. */
  exitCode: number;
}

interface Step {
  dir: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  retries?: readonly number[];
}

interface StepResult {
  text: string;
  output: string;
  error: string | undefined;
}

/** Runs one command with stdout and stderr in one buffer, as Prow records them. */
function runStep(step: Step, env: NodeJS.ProcessEnv): Promise<StepResult> {
  const extra = Object.entries(step.env ?? {}).map(([k, v]) => `${k}=${v}`);
  const text = `PWD=${step.dir} ${extra.join(' ')} ${step.command} ${step.args.join(' ')}`;
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(step.command, step.args, {
      cwd: step.dir,
      env: { ...env, GIT_TERMINAL_PROMPT: '0', ...step.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (output += d.toString('utf8')));
    child.once('error', (err) => {
      resolve({ text, output, error: err.message });
    });
    child.once('close', (code, signal) => {
      resolve({ text, output, error: code === 0 ? undefined : code === null ? `signal: ${signal ?? 'unknown'}` : `exit status ${code}` });
    });
  });
}

/** The URL a ref is fetched from: clone_uri, else repo_link + .git, else the GitHub base; with the token as Prow puts it. */
export function cloneUrl(refs: Refs, githubBaseUrl = 'https://github.com', token?: string): string {
  const url = refs.clone_uri ?? (refs.repo_link ? `${refs.repo_link}.git` : `${githubBaseUrl.replace(/\/+$/, '')}/${refs.org}/${refs.repo}.git`);
  if (token === undefined || token === '') return url;
  try {
    const parsed = new URL(url);
    // GitHub takes a personal access token as the user name.
    parsed.username = token;
    parsed.password = 'x-oauth-basic';
    return parsed.toString();
  } catch {
    // An scp-style clone_uri (git@github.com:org/repo) carries no token.
    return url;
  }
}

interface ClonerContext {
  srcRoot: string;
  options: CloneRefsOptions;
  env: NodeJS.ProcessEnv;
  fetchRetries: readonly number[];
  log: Logger | undefined;
  token: string | undefined;
}

/** Clones one ref, recording every command in its one record. */
class RefCloner {
  readonly record: CloneRecord;
  private readonly refs: Refs;
  private readonly ctx: ClonerContext;
  private readonly dir: string;
  private readonly url: string;

  constructor(refs: Refs, ctx: ClonerContext) {
    this.refs = refs;
    this.ctx = ctx;
    this.record = { refs };
    this.dir = pathForRefs(ctx.srcRoot, refs);
    this.url = cloneUrl(refs, ctx.options.github_base_url, ctx.token);
  }

  private censor(text: string): string {
    return this.ctx.token ? text.split(this.ctx.token).join('CENSORED') : text;
  }

  /** Runs the steps in order, recording each; false at the first that fails. */
  private async run(steps: Step[]): Promise<boolean> {
    for (const step of steps) {
      const started = performance.now();
      let result = await runStep(step, this.ctx.env);
      for (const wait of result.error !== undefined ? (step.retries ?? []) : []) {
        this.ctx.log?.info({ command: this.censor(result.text), sleep: wait }, 'Retrying after sleep');
        await sleep(wait);
        result = await runStep(step, this.ctx.env);
        if (result.error === undefined) break;
      }
      const command: CloneCommand = { command: this.censor(result.text) };
      if (result.output !== '') command.output = this.censor(result.output);
      if (result.error !== undefined) command.error = this.censor(result.error);
      command.duration = Math.round((performance.now() - started) * 1e6);
      (this.record.commands ??= []).push(command);
      this.ctx.log?.info({ command: command.command, output: command.output, error: command.error }, 'Ran command');
      if (result.error !== undefined) {
        this.record.failed = true;
        return false;
      }
    }
    return true;
  }

  private git(args: string[], extra: Partial<Step> = {}): Step {
    return { dir: this.dir, command: 'git', args, ...extra };
  }

  private fetch(args: string[]): Step {
    return this.git(['fetch', ...args], { retries: this.ctx.fetchRetries });
  }

  private baseSteps(): Step[] {
    const { refs } = this;
    const options = this.ctx.options;
    const sparse = (refs.sparse_checkout_files ?? []).length > 0;
    const steps: Step[] = [{ dir: '/', command: 'mkdir', args: ['-p', this.dir] }, this.git(['init'])];
    if (options.git_user_name) steps.push(this.git(['config', 'user.name', options.git_user_name]));
    if (options.git_user_email) steps.push(this.git(['config', 'user.email', options.git_user_email]));
    if (options.cookie_path && refs.skip_submodules === true) steps.push(this.git(['config', 'http.cookiefile', options.cookie_path]));
    if (sparse) steps.push(this.git(['sparse-checkout', 'init']));
    const depth = sparse ? 1 : (refs.clone_depth ?? 0);
    const depthArgs = depth > 0 ? ['--depth', String(depth)] : [];
    const filterArgs = refs.blobless_fetch === true || sparse ? ['--filter=blob:none'] : [];
    if (refs.skip_fetch_head !== true && !sparse) steps.push(this.fetch([...depthArgs, ...filterArgs, this.url, '--tags', '--prune']));
    const baseRef = refs.base_ref ?? '';
    const baseSha = set(refs.base_sha);
    const target = baseSha ?? 'FETCH_HEAD';
    steps.push(this.fetch([...depthArgs, ...filterArgs, ...(sparse ? ['--no-tags'] : []), this.url, baseSha ?? baseRef]));
    if (sparse) steps.push(this.git(['sparse-checkout', 'set', ...(refs.sparse_checkout_files ?? [])]));
    // We cannot move the branch we are on, so check out the commit, point the branch at it, then check it out.
    steps.push(this.git(['checkout', target]), this.git(['branch', '--force', baseRef, target]), this.git(['checkout', baseRef]));
    return steps;
  }

  /**
   * Each pull is merged at one second after the one before, starting from the base's commit time, so the same
   * base and pulls always make the same merge commits.
   */
  private pullSteps(baseTimestamp: number): Step[] {
    const { refs } = this;
    const steps: Step[] = [];
    let timestamp = baseTimestamp;
    for (const pull of refs.pulls ?? []) {
      const ref = set(pull.ref) ?? set(pull.sha) ?? `pull/${pull.number}/head`;
      steps.push(this.fetch([...(refs.blobless_fetch === true ? ['--filter=blob:none'] : []), this.url, ref]));
      timestamp++;
      const date = String(timestamp);
      steps.push(this.git(['merge', '--no-ff', set(pull.sha) ?? 'FETCH_HEAD'], { env: { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } }));
    }
    if (refs.skip_submodules !== true && (refs.sparse_checkout_files ?? []).length === 0) {
      steps.push(this.git(['submodule', 'update', '--init', '--recursive']));
    }
    return steps;
  }

  private async quiet(args: string[]): Promise<string | undefined> {
    const result = await runStep(this.git(args), this.ctx.env);
    return result.error === undefined ? result.output.trim() : undefined;
  }

  async clone(): Promise<CloneRecord> {
    const started = performance.now();
    this.ctx.log?.info({ refs: `${this.refs.org}/${this.refs.repo}` }, 'Cloning refs');
    if (await this.run(this.baseSteps())) {
      const headTime = Number(await this.quiet(['show', '-s', '--format=format:%ct', 'HEAD']));
      if (await this.run(this.pullSteps(Number.isInteger(headTime) ? headTime : Math.floor(Date.now() / 1000)))) {
        const sha = await this.quiet(['rev-parse', 'HEAD']);
        if (sha !== undefined) this.record.final_sha = sha;
      }
    }
    this.record.duration = Math.round((performance.now() - started) * 1e6);
    return this.record;
  }
}

async function readToken(file: string | undefined, setup: CloneRecord): Promise<string | undefined> {
  if (file === undefined || file === '') return undefined;
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (err) {
    setup.failed = true;
    (setup.commands ??= []).push({ command: `read oauth token file ${file}`, error: (err as Error).message });
    return undefined;
  }
}

/** Runs `items` through `work` with at most `limit` at once (all at once when `limit` is 0), keeping their order. */
async function pooled<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  const count = limit > 0 ? Math.min(limit, items.length) : items.length;
  await Promise.all(Array.from({ length: count }, worker));
  return results;
}

/**
 * Prow's clonerefs: checks out every ref under `src_root` (fetch the base, check out its sha, merge each
 * pull with --no-ff in order) and writes the clone records to `log`. A failed clone is recorded, not thrown.
 */
export async function runClonerefs(options: CloneRefsOptions, deps: CloneRefsDeps = {}): Promise<CloneRefsResult> {
  const setup: CloneRecord = { refs: {} };
  const token = await readToken(options.oauth_token_file, setup);
  const ctx: ClonerContext = {
    srcRoot: options.src_root,
    options,
    env: deps.env ?? process.env,
    fetchRetries: deps.fetchRetries ?? prowFetchRetries,
    log: deps.log,
    token,
  };
  const records: CloneRecord[] = [setup];
  if (!setup.failed) {
    records.push(...(await pooled(options.refs, options.max_parallel_workers ?? 0, (refs) => new RefCloner(refs, ctx).clone())));
  }
  await mkdir(dirname(options.log), { recursive: true });
  await writeFile(options.log, JSON.stringify(records));
  const failed = records.filter((r) => r.failed === true).length;
  return { records, failed, exitCode: options.fail === true && failed > 0 ? 1 : 0 };
}
