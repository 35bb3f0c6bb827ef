import { spawn } from 'node:child_process';
import type { Logger } from '../../../lib/log.ts';
import { scrubSecrets } from '../../../lib/log.ts';
import type { JanitorEnv } from '../boskos-env.ts';
import type { Ranch } from '../ranch/ranch.ts';
import { isRanchError } from '../ranch/ranch-errors.ts';
import { toWire, type Resource } from '../ranch/resource.ts';
import { states } from '../ranch/states.ts';

export interface JanitorOptions extends JanitorEnv {
  ranch: Ranch;
  /** The types to clean, read on every pass so config reloads reach it. */
  types: () => readonly string[];
  log: Logger;
  /** Boskos' janitor leases as "Janitor". */
  owner?: string | undefined;
  onCleaned?: ((type: string, name: string, ok: boolean) => void) | undefined;
}

interface Cleanup {
  child: ReturnType<typeof spawn> | undefined;
  done: Promise<void>;
}

/** Boskos' janitor flag: the last dash-separated part of the type (`gce-project` -> `--project=<name>`). */
export function janitorFlag(type: string): string {
  return type.split('-').at(-1) ?? type;
}

const outputTail = 4_000;

/**
 * Boskos' janitor in the service: takes dirty resources (dirty -> cleaning, one type after another so a type
 * with many dirty resources cannot starve the rest), runs the cleanup command on each, heartbeats while it runs
 * (so the reaper leaves it alone), then releases it free on success or dirty on failure. At most `poolSize`
 * cleanups run at once per replica; when nothing is dirty it looks again after `idleMs`.
 */
export class Janitor {
  readonly #opts: JanitorOptions;
  readonly #owner: string;
  readonly #active = new Map<string, Cleanup>();
  #closed = false;
  #wake: (() => void) | undefined;
  #loop: Promise<void> = Promise.resolve();

  private constructor(opts: JanitorOptions) {
    this.#opts = opts;
    this.#owner = opts.owner ?? 'Janitor';
  }

  static start(opts: JanitorOptions): Janitor {
    const janitor = new Janitor(opts);
    janitor.#loop = janitor.#run();
    return janitor;
  }

  /** Looks for dirty resources now instead of after the idle wait. */
  kick(): void {
    this.#wake?.();
  }

  /** How many cleanups are running. */
  get running(): number {
    return this.#active.size;
  }

  /** Stops taking resources; running cleanups are stopped (SIGTERM) and their resources released dirty. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#wake?.();
    for (const c of this.#active.values()) c.child?.kill('SIGTERM');
    await this.#loop;
    await Promise.all([...this.#active.values()].map((c) => c.done));
  }

  #isClosed(): boolean {
    return this.#closed;
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }

  async #run(): Promise<void> {
    while (!this.#isClosed()) {
      const started = await this.#fill();
      // A full pool waits for a cleanup to end (it wakes the loop); an idle one looks again later.
      if (!this.#isClosed() && (started === 0 || this.#active.size >= this.#opts.poolSize)) await this.#pause(this.#opts.idleMs);
    }
  }

  async #fill(): Promise<number> {
    let started = 0;
    let progress = true;
    while (progress && !this.#isClosed() && this.#active.size < this.#opts.poolSize) {
      progress = false;
      for (const type of this.#opts.types()) {
        if (this.#isClosed() || this.#active.size >= this.#opts.poolSize) break;
        let resource: Resource;
        try {
          ({ resource } = await this.#opts.ranch.acquire({ type, state: states.dirty, dest: states.cleaning, owner: this.#owner }));
        } catch (err) {
          if (isRanchError(err, 'resource-not-found') || isRanchError(err, 'type-not-found')) continue;
          this.#opts.log.warn({ type, err: err instanceof Error ? err.message : String(err) }, 'boskos janitor: cannot take dirty resources; trying again later');
          return started;
        }
        this.#launch(resource);
        started++;
        progress = true;
      }
    }
    return started;
  }

  #launch(resource: Resource): void {
    const { ranch, log, heartbeatMs } = this.#opts;
    // Boskos puts the flag right after the janitor binary; last works the same for a binary that parses
    // flags, and also for a command such as `python3 gcp_janitor.py --hours=0` or `sh clean.sh`.
    const [program = '', ...rest] = this.#opts.command;
    const args = [...rest, `--${janitorFlag(resource.type)}=${resource.name}`];
    const env = { ...process.env, BOSKOS_RESOURCE_NAME: resource.name, BOSKOS_RESOURCE_TYPE: resource.type, BOSKOS_RESOURCE: JSON.stringify(toWire(resource)) };
    const cleanup: Cleanup = { child: undefined, done: Promise.resolve() };
    let lost = false;
    let output = '';
    cleanup.done = new Promise<{ ok: boolean; why: string }>((resolve) => {
      let child: ReturnType<typeof spawn>;
      try {
        child = spawn(program, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (err) {
        resolve({ ok: false, why: err instanceof Error ? err.message : String(err) });
        return;
      }
      cleanup.child = child;
      const keep = (chunk: Buffer): void => {
        output = (output + chunk.toString('utf8')).slice(-outputTail);
      };
      child.stdout?.on('data', keep);
      child.stderr?.on('data', keep);
      child.once('error', (err) => {
        resolve({ ok: false, why: err.message });
      });
      child.once('close', (code, signal) => {
        resolve({ ok: code === 0, why: signal === null ? `exit code ${code ?? 'unknown'}` : `signal ${signal}` });
      });
      if (this.#closed) child.kill('SIGTERM');
    }).then(async ({ ok, why }) => {
      clearInterval(heartbeat);
      if (lost) return;
      const dest = ok ? states.free : states.dirty;
      try {
        await ranch.release({ name: resource.name, dest, owner: this.#owner });
      } catch (err) {
        log.error({ resource: resource.name, dest, err: err instanceof Error ? err.message : String(err) }, 'boskos janitor: cannot release the resource it cleaned');
      }
      this.#opts.onCleaned?.(resource.type, resource.name, ok);
      if (ok) log.info({ resource: resource.name, type: resource.type }, 'boskos janitor: cleaned; resource is free');
      else log.warn({ resource: resource.name, type: resource.type, why, output: scrubSecrets(output) }, 'boskos janitor: cleanup failed; resource stays dirty');
    }).finally(() => {
      this.#active.delete(resource.name);
      this.#wake?.();
    });
    const heartbeat = setInterval(() => {
      ranch.update({ name: resource.name, owner: this.#owner, state: states.cleaning }).catch((err: unknown) => {
        if (isRanchError(err, 'owner-mismatch') || isRanchError(err, 'resource-not-found') || isRanchError(err, 'state-mismatch')) {
          // Someone (the reaper, an operator) took it back: the cleanup no longer owns what it cleans.
          lost = true;
          log.warn({ resource: resource.name, err: err.message }, 'boskos janitor: lost the resource while cleaning it; stopping the cleanup');
          cleanup.child?.kill('SIGTERM');
        } else {
          log.warn({ resource: resource.name, err: err instanceof Error ? err.message : String(err) }, 'boskos janitor: heartbeat failed; will retry');
        }
      });
    }, heartbeatMs);
    this.#active.set(resource.name, cleanup);
    log.info({ resource: resource.name, type: resource.type, command: [program, ...args] }, 'boskos janitor: cleaning');
  }
}
