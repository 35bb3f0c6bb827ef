import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLeaseLoad } from './testing/lease-load.ts';
import { startBoskosWorld, type BoskosWorld } from './testing/boskos-world.ts';
import { ranchInvariantProblems } from './testing/ranch-invariants.ts';

/** `BOSKOS_STRESS_SECONDS=60` runs the full minute; `npm test` runs 20 s. */
const seconds = Number(process.env.BOSKOS_STRESS_SECONDS ?? 20);
const resources = 50;

let world: BoskosWorld;
beforeAll(async () => {
  const names = Array.from({ length: resources }, (_, i) => `proj-${String(i).padStart(3, '0')}`);
  world = await startBoskosWorld({ label: 'boskos-stress', yaml: `resources:\n- type: gce-project\n  names: [${names.join(', ')}]\n` });
  await world.addReplica();
});
afterAll(async () => {
  await world.close();
});

async function servedAcquires(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('boskos_http_request_duration_seconds_count{path="acquire",method="POST",status="200"'));
  return Number(line?.split(' ').at(-1) ?? 0);
}

describe('200 clients against two replicas', () => {
  it(
    `never lease one resource to two owners, and the counts add up (${seconds} s)`,
    async () => {
      const result = await runLeaseLoad({ urls: world.replicas.map((r) => r.url), clients: 200, durationMs: seconds * 1000, type: 'gce-project', heartbeats: 2, requestIds: true, intruders: true });
      expect(result.doubleLeases).toEqual([]);
      expect(result.wrong).toEqual([]);
      // The load did contend: far more clients than resources, and many leases.
      expect(result.notFound).toBeGreaterThan(0);
      expect(result.acquired).toBeGreaterThan(resources * 10);
      expect(result.released).toBe(result.acquired);
      expect(result.heartbeats).toBe(2 * result.acquired);
      // Each replica counted what it served; together that is what the clients got.
      const served = (await Promise.all(world.replicas.map((r) => servedAcquires(r.url)))).reduce((a, b) => a + b, 0);
      expect(served).toBe(result.acquired);
      expect(await world.ranch.metric('gce-project')).toEqual({ type: 'gce-project', current: { free: resources }, owner: { '': resources } });
      expect(await ranchInvariantProblems(world.settings)).toEqual([]);
    },
    seconds * 1000 + 60_000,
  );
});
