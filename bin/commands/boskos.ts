import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { parseGoDuration } from '../../lib/config/go/go-duration.ts';
import { ProwError } from '../../lib/errors.ts';
import { readBoskosClientEnv } from '../../services/boskos/boskos-env.ts';
import { BoskosClient, BoskosHttpError, BoskosUnreachableError, isTransient } from '../../services/boskos/client.ts';
import { fromWire, toWire } from '../../services/boskos/ranch/resource.ts';
import { heartbeat } from './boskos/heartbeat.ts';
import type { Command } from './types.ts';

const usage = `usage: prow boskos <acquire|release|heartbeat|metric> [options] [-- command args...]

Leases Boskos resources from a job script, as boskosctl does, printing JSON on stdout.

  acquire --type T --state S --target-state D [--timeout 10m] [--request-id ID]
      one resource of type T in state S, moved to D and owned by you; prints the resource.
      With --timeout, waits in Boskos' first-come-first-served line (polling every 3s).
  release --name N --target-state D
      gives N back in state D (dirty, so the janitor cleans it); prints {"name","state","released"}.
  heartbeat (--resource JSON | --name N --state S) [--period 30s] [--timeout 5h] [--retries 10]
            [--release-to D] [-- command args...]
      keeps the lease (the reaper takes back leases without heartbeats for 30m). With a command,
      heartbeats while it runs and exits with its code; the command is stopped if the lease is lost.
      --release-to releases the resource when the command (or the heartbeat) ends.
  metric --type T
      counts of T by state and by owner.

options for every verb:
  --server-url URL      Boskos (BOSKOS_URL; http://127.0.0.1:8080 by default)
  --owner-name NAME     who leases (BOSKOS_OWNER, else JOB_NAME, which Prow sets in a job's Pod)
  --username U --password-file F   basic auth, for a Boskos behind a proxy

example:
  res=$(prow boskos acquire --type gce-project --state free --target-state busy --timeout 20m)
  prow boskos heartbeat --resource "$res" --release-to dirty -- ./e2e.sh "$(echo "$res" | jq -r .name)"`;

/** Where `prow boskos` writes and what it reads; tests pass their own. */
export interface BoskosIo {
  print(line: string): void;
  error(line: string): void;
  env?: NodeJS.ProcessEnv | undefined;
  signal?: AbortSignal | undefined;
}

const options = {
  'server-url': { type: 'string' },
  'owner-name': { type: 'string' },
  username: { type: 'string' },
  'password-file': { type: 'string' },
  type: { type: 'string' },
  state: { type: 'string' },
  'target-state': { type: 'string' },
  timeout: { type: 'string' },
  'request-id': { type: 'string' },
  name: { type: 'string' },
  resource: { type: 'string' },
  period: { type: 'string', default: '30s' },
  retries: { type: 'string', default: '10' },
  'release-to': { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>['values'];

function usageError(message: string): ProwError {
  return new ProwError('PROW_ERR_USAGE', message);
}

function need(values: Values, verb: string, ...names: (keyof Values)[]): string[] {
  const missing = names.filter((n) => values[n] === undefined || values[n] === '');
  if (missing.length > 0) throw usageError(`${verb} needs ${missing.map((m) => `--${m}`).join(', ')}`);
  return names.map((n) => String(values[n]));
}

function durationOf(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseGoDuration(text);
  if (ms === undefined || ms < 0) throw usageError(`--${flag} must be a Go duration such as 30s, 10m or 5h, not "${text}"`);
  return ms;
}

async function clientFor(values: Values, env: NodeJS.ProcessEnv, ownerNeeded: boolean): Promise<BoskosClient> {
  const fromEnv = readBoskosClientEnv(env);
  const owner = values['owner-name'] ?? fromEnv.owner;
  if (ownerNeeded && owner === undefined) throw usageError('name the owner with --owner-name (or set BOSKOS_OWNER; in a Prow job JOB_NAME is used)');
  if ((values.username === undefined) !== (values['password-file'] === undefined)) throw usageError('--username and --password-file go together');
  let password: string | undefined;
  if (values['password-file'] !== undefined) {
    try {
      password = (await readFile(values['password-file'], 'utf8')).trim();
    } catch (err) {
      throw usageError(`cannot read --password-file ${values['password-file']}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const url = values['server-url'] ?? fromEnv.url;
  try {
    new URL(url);
  } catch {
    throw usageError(`--server-url "${url}" is not a URL; give it as http://boskos or http://127.0.0.1:8080`);
  }
  return new BoskosClient({ url, owner: owner ?? '', username: values.username, password, userAgent: 'prow-boskos' });
}

/** Retries what may pass (no answer, 5xx) a few times, as Boskos' client does, with a shorter backoff. */
async function withRetries<T>(fn: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts || !isTransient(err)) throw err;
      await new Promise((r) => setTimeout(r, 250 * i * i));
    }
  }
}

/** What Boskos' refusal means for the person running the script. */
function explain(err: unknown, verb: string, values: Values): string {
  if (err instanceof BoskosUnreachableError) return err.message;
  if (!(err instanceof BoskosHttpError)) return err instanceof Error ? err.message : String(err);
  switch (err.kind) {
    case 'type-not-found':
      return `Boskos has no resources of type "${values.type ?? ''}"; check --type against its resources file (${err.body})`;
    case 'not-found':
      return verb === 'acquire'
        ? `no ${values.type ?? ''} resource is ${values.state ?? ''} right now${values.timeout === undefined ? '; pass --timeout 20m to wait in line for one' : ` within ${values.timeout}`} (${err.body})`
        : err.body;
    case 'owner-mismatch':
      return `the resource is not yours: ${err.body}. Use the --owner-name that acquired it`;
    case 'state-mismatch':
      return `the resource is in another state: ${err.body}. Pass its current state`;
    default:
      return err.message;
  }
}

/** Runs `prow boskos`; resolves to the exit code. */
export async function runBoskos(argv: string[], io: BoskosIo): Promise<number> {
  const dashes = argv.indexOf('--');
  const own = dashes === -1 ? argv : argv.slice(0, dashes);
  const command = dashes === -1 ? undefined : argv.slice(dashes + 1);
  const { values, positionals } = parseArgs({ args: own, options, allowPositionals: true, strict: true });
  const [verb, ...extra] = positionals;
  if (verb === undefined || !['acquire', 'release', 'heartbeat', 'metric'].includes(verb)) {
    throw usageError(`name a verb: acquire, release, heartbeat or metric${verb === undefined ? '' : `, not "${verb}"`}`);
  }
  if (extra.length > 0) throw usageError(`unexpected arguments ${extra.join(' ')}; put a command after --`);
  if (command !== undefined && verb !== 'heartbeat') throw usageError('only heartbeat runs a command (after --)');
  if (command?.length === 0) throw usageError('nothing after --: give the command to run while heartbeating');
  const env = io.env ?? process.env;
  const client = await clientFor(values, env, verb !== 'metric');
  try {
    if (verb === 'acquire') {
      const [type, state, dest] = need(values, verb, 'type', 'state', 'target-state') as [string, string, string];
      const timeoutMs = durationOf('timeout', values.timeout);
      const resource =
        timeoutMs === undefined || timeoutMs === 0
          ? await withRetries(() => client.acquire(type, state, dest, values['request-id']))
          : await client.acquireWait({ type, state, dest, timeoutMs, requestId: values['request-id'], signal: io.signal });
      io.print(JSON.stringify(toWire(resource)));
    } else if (verb === 'release') {
      const [name, dest] = need(values, verb, 'name', 'target-state') as [string, string];
      await withRetries(() => client.release(name, dest));
      io.print(JSON.stringify({ name, state: dest, released: true }));
    } else if (verb === 'metric') {
      const [type] = need(values, verb, 'type') as [string];
      io.print(JSON.stringify(await withRetries(() => client.metric(type))));
    } else {
      let name = values.name;
      let state = values.state;
      if (values.resource !== undefined) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(values.resource);
        } catch {
          parsed = undefined;
        }
        const resource = fromWire(parsed);
        if (resource === undefined) throw usageError('--resource must be the JSON `prow boskos acquire` printed (with name and state)');
        name ??= resource.name;
        state ??= resource.state;
      }
      if (name === undefined || state === undefined) throw usageError('heartbeat needs --resource, or --name and --state');
      const periodMs = durationOf('period', values.period) ?? 30_000;
      if (periodMs <= 0) throw usageError('--period must be above zero');
      const retries = Number(values.retries);
      if (!Number.isInteger(retries) || retries < 0) throw usageError(`--retries must be a whole number, not "${values.retries}"`);
      const timeoutMs = durationOf('timeout', values.timeout) ?? (command === undefined ? 5 * 3_600_000 : undefined);
      const signals = new AbortController();
      const onSignal = (): void => {
        signals.abort();
      };
      io.signal?.addEventListener('abort', onSignal, { once: true });
      const own = io.signal === undefined;
      if (own) {
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
      }
      try {
        return await heartbeat({ client, name, state, periodMs, timeoutMs, retries, command, releaseTo: values['release-to'], print: (l) => { io.print(l); }, error: (l) => { io.error(l); }, signal: signals.signal });
      } finally {
        if (own) {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
      }
    }
    return 0;
  } catch (err) {
    if (err instanceof BoskosHttpError || err instanceof BoskosUnreachableError) {
      io.error(`prow boskos ${verb}: ${explain(err, verb, values)}`);
      return 1;
    }
    throw err;
  } finally {
    client.close();
  }
}

/** `prow boskos`: acquire, heartbeat and release Boskos resources from a job script. */
export const boskosCommand: Command = {
  name: 'boskos',
  summary: 'lease Boskos resources from a job: acquire, heartbeat (around a command), release, metric',
  usage,
  run: (argv) =>
    runBoskos(argv, {
      print: (line) => {
        console.log(line);
      },
      error: (line) => {
        console.error(line);
      },
    }),
};
