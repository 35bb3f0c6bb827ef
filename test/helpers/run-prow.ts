import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The environment a spawned `prow` sees: this one without GitHub credentials, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const credentials = new Set(['GITHUB_TOKEN', 'GITHUB_APP_ID', 'GITHUB_APP_PRIVATE_KEY', 'GITHUB_API_URL', 'WEBHOOK_SECRET', 'GHPROXY_URL']);
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !credentials.has(k)));
  return { ...env, LOG_LEVEL: 'warn', ...extra };
}

/** A `prow` process started from the repo root, with everything it printed so far. */
export interface ProwProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves when stdout contains `text`; rejects when the process exits first or `ms` passes. */
  waitFor(text: string, ms?: number): Promise<void>;
  exited: Promise<number | null>;
}

/** Spawns `node --import tsx bin/prow.ts ...args` the way `npm start` does. */
export function runProw(args: string[], env: NodeJS.ProcessEnv): ProwProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/prow.ts', ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => { resolve(code); }));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(text, ms = 30_000) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`no "${text}" within ${ms} ms; stdout:\n${out}\nstderr:\n${err}`));
        }, ms);
        const check = (): void => {
          if (out.includes(text)) {
            clearTimeout(timer);
            resolve();
          }
        };
        child.stdout.on('data', check);
        void exited.then((code) => {
          clearTimeout(timer);
          if (!out.includes(text)) reject(new Error(`prow exited with ${code ?? 'a signal'} before "${text}"; stdout:\n${out}\nstderr:\n${err}`));
        });
        check();
      });
    },
  };
}
