import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isProwError } from '../../lib/errors.ts';
import { startBoskosWorld, type BoskosWorld } from '../../services/boskos/testing/boskos-world.ts';
import { runBoskos } from './boskos.ts';
import { until } from '../../test/helpers/until.ts';

let world: BoskosWorld;
beforeEach(async () => {
  world = await startBoskosWorld({ label: 'boskos-cli', yaml: 'resources:\n- type: gce-project\n  names: [proj-a, proj-b]\n' });
});
afterEach(async () => {
  await world.close();
});

async function run(argv: string[], opts: { env?: NodeJS.ProcessEnv; signal?: AbortSignal; out?: string[] } = {}): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = opts.out ?? [];
  const err: string[] = [];
  const code = await runBoskos(['--server-url', world.url, ...argv], { print: (l) => out.push(l), error: (l) => err.push(l), env: opts.env ?? { JOB_NAME: 'pull-e2e' }, signal: opts.signal });
  return { code, out, err };
}

/** Polls until `check` holds; the failure names what was awaited. */
const stateOf = async (name: string) => (await world.ranch.resources('gce-project')).find((r) => r.name === name);

describe('prow boskos', () => {
  it('acquires (printing Boskos JSON), shows the metric and releases, as the job named by JOB_NAME', async () => {
    const acquired = await run(['acquire', '--type', 'gce-project', '--state', 'free', '--target-state', 'busy']);
    expect(acquired.code).toBe(0);
    const resource = JSON.parse(acquired.out[0] ?? '') as Record<string, unknown>;
    expect(resource).toMatchObject({ type: 'gce-project', name: 'proj-a', state: 'busy', owner: 'pull-e2e', userdata: {} });
    expect(JSON.parse((await run(['metric', '--type', 'gce-project'])).out[0] ?? '')).toEqual({ type: 'gce-project', current: { busy: 1, free: 1 }, owner: { '': 1, 'pull-e2e': 1 } });
    expect((await run(['release', '--name', 'proj-a', '--target-state', 'dirty'])).out).toEqual(['{"name":"proj-a","state":"dirty","released":true}']);
    expect(await stateOf('proj-a')).toMatchObject({ state: 'dirty', owner: '' });
  });

  it('says what to do when Boskos refuses: nothing free, no such type, not your resource', async () => {
    await run(['acquire', '--type', 'gce-project', '--state', 'free', '--target-state', 'busy']);
    await run(['acquire', '--type', 'gce-project', '--state', 'free', '--target-state', 'busy']);
    const none = await run(['acquire', '--type', 'gce-project', '--state', 'free', '--target-state', 'busy']);
    expect(none.code).toBe(1);
    expect(none.err[0]).toContain('no gce-project resource is free right now; pass --timeout 20m to wait in line for one');
    expect((await run(['acquire', '--type', 'gcp-project', '--state', 'free', '--target-state', 'busy'])).err[0]).toContain('Boskos has no resources of type "gcp-project"; check --type');
    const theft = await run(['release', '--name', 'proj-a', '--target-state', 'free', '--owner-name', 'someone-else']);
    expect(theft).toMatchObject({ code: 1 });
    expect(theft.err[0]).toContain('the resource is not yours');
    expect(await stateOf('proj-a')).toMatchObject({ owner: 'pull-e2e' });
  });

  it('refuses bad invocations with PROW_ERR_USAGE before calling Boskos', async () => {
    const usage = async (argv: string[], env: NodeJS.ProcessEnv = { JOB_NAME: 'j' }): Promise<string> => {
      const err: unknown = await runBoskos(argv, { print: () => undefined, error: () => undefined, env }).catch((e: unknown) => e);
      expect(isProwError(err, 'PROW_ERR_USAGE')).toBe(true);
      return (err as Error).message;
    };
    expect(await usage(['acquire', '--type', 't'])).toContain('acquire needs --state, --target-state');
    expect(await usage(['acquire', '--type', 't', '--state', 'free', '--target-state', 'busy'], {})).toContain('--owner-name');
    expect(await usage(['borrow'])).toContain('name a verb: acquire, release, heartbeat or metric, not "borrow"');
    expect(await usage(['heartbeat', '--resource', '{"name":'])).toContain('--resource must be the JSON');
    expect(await usage(['heartbeat', '--name', 'proj-a', '--state', 'busy', '--period', 'often'])).toContain('--period must be a Go duration');
    expect(await usage(['release', '--name', 'a', '--target-state', 'dirty', '--', 'ls'])).toContain('only heartbeat runs a command');
    expect(await usage(['metric', '--type', 't', '--server-url', 'not a url'])).toContain('is not a URL');
  });

  it('waits in line with --timeout and gets the resource once it is released', async () => {
    await world.client('holder').acquire('gce-project', 'free', 'busy');
    await world.client('holder').acquire('gce-project', 'free', 'busy');
    const waiting = run(['acquire', '--type', 'gce-project', '--state', 'free', '--target-state', 'busy', '--timeout', '30s']);
    // The waiter has its place in line before the resource comes back: a newcomer without one is refused.
    const line = `${world.settings.prefix}:boskos:q:gce-project:free`;
    await until('the waiter is in line', async () => (await world.replicas[0]?.redis.zcard(line)) === 1);
    await world.client('holder').release('proj-b', 'free');
    await expect(world.client('newcomer').acquire('gce-project', 'free', 'busy')).rejects.toMatchObject({ kind: 'not-found' });
    const got = await waiting;
    expect(got.code).toBe(0);
    expect(JSON.parse(got.out[0] ?? '')).toMatchObject({ name: 'proj-b', owner: 'pull-e2e' });
  });

  it('heartbeats around a command, exits with its code and releases with --release-to', async () => {
    const acquired = await run(['acquire', '--type', 'gce-project', '--state', 'free', '--target-state', 'busy']);
    const before = (await stateOf('proj-a'))?.lastUpdate ?? 0;
    const result = await run(['heartbeat', '--resource', acquired.out[0] ?? '', '--period', '30ms', '--release-to', 'dirty', '--', 'sh', '-c', 'sleep 0.5; exit 7']);
    expect(result.code).toBe(7);
    expect(result.out).toEqual(['{"name":"proj-a","state":"dirty","released":true}']);
    const after = await stateOf('proj-a');
    expect(after).toMatchObject({ state: 'dirty', owner: '' });
    expect(after?.lastUpdate).toBeGreaterThan(before);
  });

  it('stops the command when the lease is lost (reset by the reaper), and exits 1', async () => {
    await run(['acquire', '--type', 'gce-project', '--state', 'free', '--target-state', 'busy']);
    const acquiredAt = (await stateOf('proj-a'))?.lastUpdate ?? 0;
    const running = run(['heartbeat', '--name', 'proj-a', '--state', 'busy', '--period', '30ms', '--', 'sleep', '30']);
    await until('a heartbeat arrived', async () => ((await stateOf('proj-a'))?.lastUpdate ?? 0) > acquiredAt);
    expect(await world.ranch.reset({ type: 'gce-project', state: 'busy', expireMs: 0, dest: 'dirty' })).toEqual({ 'proj-a': 'pull-e2e' });
    const result = await running;
    expect(result.code).toBe(1);
    expect(result.err.join('\n')).toContain('lost the lease on proj-a');
  });

  it('heartbeats without a command until stopped, one JSON line per heartbeat', async () => {
    await run(['acquire', '--type', 'gce-project', '--state', 'free', '--target-state', 'busy']);
    const stop = new AbortController();
    const out: string[] = [];
    const running = run(['heartbeat', '--name', 'proj-a', '--state', 'busy', '--period', '20ms'], { signal: stop.signal, out });
    await until('two heartbeats', () => out.length >= 2);
    stop.abort();
    const result = await running;
    expect(result.code).toBe(0);
    expect(result.out.length).toBeGreaterThan(1);
    expect(JSON.parse(result.out[0] ?? '')).toMatchObject({ heartbeat: 'proj-a', state: 'busy' });
    // A heartbeat for a lease that is not ours fails at once.
    expect((await run(['heartbeat', '--name', 'proj-b', '--state', 'free', '--period', '20ms'])).code).toBe(1);
  });
});
