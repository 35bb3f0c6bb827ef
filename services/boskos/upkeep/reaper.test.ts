import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanEnv, runProw, type ProwProcess } from '../../../test/helpers/run-prow.ts';
import { reapOnce } from './reaper.ts';
import { startBoskosWorld, type BoskosWorld } from '../testing/boskos-world.ts';

let world: BoskosWorld | undefined;
let heartbeats: ProwProcess | undefined;
afterEach(async () => {
  if (heartbeats?.child.exitCode === null) heartbeats.child.kill('SIGKILL');
  await heartbeats?.exited;
  await world?.close();
});

const expireMs = 30 * 60_000;

describe('the reaper', () => {
  it('takes back the lease of a client that died, once it missed heartbeats for the whole expiry, and not before', async () => {
    // The ranch's clock is the wall clock until the test freezes it, so the reaper's view of time is ours to set.
    let frozen: number | undefined;
    world = await startBoskosWorld({ label: 'boskos-reaper', yaml: 'resources:\n- type: gce-project\n  names: [proj-a, proj-b]\n', ranch: { clock: () => frozen ?? Date.now() } });
    const w = world;
    const reap = () => reapOnce({ ranch: w.ranch, log: w.logs.logger, expireMs, states: ['busy', 'cleaning', 'leased'], target: 'dirty' });
    const lease = await w.client('doomed-job').acquire('gce-project', 'free', 'busy');
    heartbeats = runProw(['boskos', 'heartbeat', '--server-url', w.url, '--owner-name', 'doomed-job', '--name', lease.name, '--state', 'busy', '--period', '20ms'], cleanEnv());
    await heartbeats.waitFor(`"heartbeat":"${lease.name}"`);
    const stamp = async (): Promise<number> => (await w.ranch.resources('gce-project')).find((r) => r.name === lease.name)?.lastUpdate ?? NaN;

    // Alive, it keeps the lease however much time passes: each heartbeat restarts the expiry.
    frozen = (await stamp()) + 2 * expireMs;
    for (let i = 0; (await stamp()) !== frozen; i++) {
      if (i > 500) throw new Error('no heartbeat reached the ranch');
      await sleep(10);
    }
    expect(await reap()).toEqual({});

    // It dies without releasing.
    heartbeats.child.kill('SIGKILL');
    await heartbeats.exited;
    frozen = undefined;
    const last = await stamp();

    frozen = last + expireMs - 1;
    expect(await reap()).toEqual({});
    expect((await w.ranch.resources('gce-project')).find((r) => r.name === lease.name)).toMatchObject({ state: 'busy', owner: 'doomed-job' });

    frozen = last + expireMs;
    expect(await reap()).toEqual({ [lease.name]: 'doomed-job' });
    expect((await w.ranch.resources('gce-project')).find((r) => r.name === lease.name)).toMatchObject({ state: 'dirty', owner: '' });
    expect(w.logs.lines.filter((l) => l.msg === 'boskos reaper: owner stopped heartbeating; lease taken back').map((l) => [l.resource, l.owner])).toEqual([[lease.name, 'doomed-job']]);
    // The other resource, never leased, was never touched.
    expect((await w.ranch.resources('gce-project')).find((r) => r.name !== lease.name)).toMatchObject({ state: 'free', owner: '' });
  });
});
