import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { BoskosClient, BoskosHttpError, isTransient } from '../client.ts';

/** What a load client does; BoskosClient is one, the benchmark brings a leaner one. */
export interface LeaseClient {
  readonly owner: string;
  acquire(type: string, state: string, dest: string, requestId?: string): Promise<{ name: string; owner: string; state: string; type: string }>;
  update(name: string, state: string, userData?: Record<string, string>): Promise<void>;
  release(name: string, dest: string): Promise<void>;
  close(): void;
}

export interface LeaseLoadOptions {
  /** Replicas; each operation goes to one picked at random. */
  urls: string[];
  clients: number;
  durationMs: number;
  type: string;
  /** Heartbeats per lease. */
  heartbeats?: number | undefined;
  /** Acquire with a request id (the job contract); without, the queue is bypassed. */
  requestIds?: boolean | undefined;
  /** Now and then, another owner tries to release or heartbeat a held lease; Boskos must refuse it (401). */
  intruders?: boolean | undefined;
  /** Retry an operation that got no answer or a 5xx (the same request id for acquire), as a careful client does. */
  retryTransient?: boolean | undefined;
  /** Operations per second each client offers (an open-loop pace); as fast as answers come when unset. */
  pacePerClient?: number | undefined;
  /** Makes the client for one owner and replica; a BoskosClient on a shared keep-alive agent by default. */
  connect?: ((url: string, owner: string) => LeaseClient) | undefined;
}

/** What the clients saw, checked against their own record of who holds what. */
export interface LeaseLoadResult {
  ops: number;
  acquired: number;
  released: number;
  heartbeats: number;
  notFound: number;
  transientRetries: number;
  /** Per lease, ms from the first /acquire to the one that got it (polls included), sorted. */
  acquireMs: number[];
  /** A resource given to a client while the record said another held it. */
  doubleLeases: string[];
  /** Anything else Boskos answered that it must not (a wrong owner in the JSON, an intruder let through, a refused heartbeat). */
  wrong: string[];
  elapsedMs: number;
}

/**
 * Clients cycling acquire, heartbeat(s), release over real HTTP, each a distinct owner, keeping an
 * independent record (resource -> owner): set when Boskos hands a lease over, cleared before the client
 * releases it. Boskos may only give a resource the record shows as held if it double-leased it.
 */
export async function runLeaseLoad(opts: LeaseLoadOptions): Promise<LeaseLoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.clients * 2 });
  const record = new Map<string, string>();
  const result: LeaseLoadResult = { ops: 0, acquired: 0, released: 0, heartbeats: 0, notFound: 0, transientRetries: 0, acquireMs: [], doubleLeases: [], wrong: [], elapsedMs: 0 };
  const started = performance.now();
  const deadline = started + opts.durationMs;
  const pick = <T>(list: T[]): T => list[Math.floor(Math.random() * list.length)] as T;

  async function attempt<T>(fn: () => Promise<T>, pace?: () => Promise<void>, onSend?: () => void): Promise<T> {
    for (;;) {
      await pace?.();
      onSend?.();
      try {
        const value = await fn();
        result.ops++;
        return value;
      } catch (err) {
        result.ops++;
        if (opts.retryTransient !== true || !isTransient(err)) throw err;
        result.transientRetries++;
        await sleep(20);
      }
    }
  }

  async function client(i: number): Promise<void> {
    const owner = `load-client-${i}`;
    // Paced, each client sends its n-th operation at start + phase + n / pace (at once when behind); the
    // phases spread the clients over the interval so that they do not all send at the same instant.
    let sent = 0;
    const interval = 1000 / (opts.pacePerClient ?? 1);
    const phase = (i / opts.clients) * interval;
    const pace =
      opts.pacePerClient === undefined
        ? undefined
        : async (): Promise<void> => {
            const due = started + phase + sent++ * interval;
            const wait = due - performance.now();
            if (wait > 0) await sleep(wait);
          };
    const make = opts.connect ?? ((url: string, who: string): LeaseClient => new BoskosClient({ url, owner: who, agent, userAgent: 'boskos-load' }));
    const byUrl = opts.urls.map((url) => make(url, owner));
    const intruders = opts.urls.map((url) => make(url, `intruder-${i}`));
    // A request id is a place in line: kept across polls until it is served, as Boskos' AcquireWait does.
    let requestId = opts.requestIds === true ? randomUUID() : undefined;
    // When this lease was first asked for (the first poll), for the acquire latency.
    let t0: number | undefined;
    const firstPoll = (): void => {
      t0 ??= performance.now();
    };
    while (performance.now() < deadline) {
      let name: string;
      try {
        const r = await attempt(() => pick(byUrl).acquire(opts.type, 'free', 'busy', requestId), pace, firstPoll);
        result.acquireMs.push(performance.now() - (t0 ?? performance.now()));
        t0 = undefined;
        requestId = opts.requestIds === true ? randomUUID() : undefined;
        name = r.name;
        if (r.owner !== owner || r.state !== 'busy' || r.type !== opts.type) result.wrong.push(`acquire gave ${JSON.stringify(r)} to ${owner}`);
      } catch (err) {
        if (err instanceof BoskosHttpError && err.kind === 'not-found') {
          result.notFound++;
          await sleep(1 + Math.random() * 5);
          continue;
        }
        result.wrong.push(`acquire by ${owner}: ${err instanceof Error ? err.message : String(err)}`);
        continue;
      }
      const other = record.get(name);
      if (other !== undefined) result.doubleLeases.push(`${name} given to ${owner} while ${other} held it`);
      record.set(name, owner);
      result.acquired++;
      try {
        for (let h = 0; h < (opts.heartbeats ?? 1); h++) {
          await attempt(() => pick(byUrl).update(name, 'busy', h === 0 ? { holder: owner } : undefined), pace);
          result.heartbeats++;
        }
        if (opts.intruders === true && Math.random() < 0.05) {
          const intruder = pick(intruders);
          const tries = [() => intruder.release(name, 'free'), () => intruder.update(name, 'busy')];
          await attempt(pick(tries)).then(
            () => result.wrong.push(`${intruder.owner} was let through on ${name}, held by ${owner}`),
            (err: unknown) => {
              if (!(err instanceof BoskosHttpError && err.status === 401)) result.wrong.push(`intruder on ${name}: ${String(err)}`);
            },
          );
        }
        if (record.get(name) !== owner) result.doubleLeases.push(`${name} held by ${owner} was taken over by ${record.get(name) ?? 'nobody'}`);
      } catch (err) {
        result.wrong.push(`${owner} lost ${name} while holding it: ${err instanceof Error ? err.message : String(err)}`);
      }
      record.delete(name);
      // A release whose answer was lost may have been applied: if its retry finds the resource owned by
      // someone else, the first try went through and another client has since acquired it.
      let sends = 0;
      const countSend = (): void => {
        sends++;
      };
      const release = (): Promise<void> =>
        pick(byUrl)
          .release(name, 'free')
          .catch((err: unknown) => {
            if (sends > 1 && err instanceof BoskosHttpError && err.status === 401) return;
            throw err;
          });
      try {
        await attempt(release, pace, countSend);
        result.released++;
      } catch (err) {
        result.wrong.push(`release of ${name} by ${owner}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    for (const c of [...byUrl, ...intruders]) c.close();
  }

  await Promise.all(Array.from({ length: opts.clients }, (_, i) => client(i)));
  result.elapsedMs = performance.now() - started;
  agent.destroy();
  result.acquireMs.sort((a, b) => a - b);
  return result;
}
