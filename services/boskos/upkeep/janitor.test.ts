import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Janitor, janitorFlag } from './janitor.ts';
import { startBoskosWorld, type BoskosWorld } from '../testing/boskos-world.ts';
import { until } from '../../../test/helpers/until.ts';

let world: BoskosWorld;
let dir: string;
const janitors: Janitor[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'boskos-janitor-'));
  world = await startBoskosWorld({ label: 'boskos-janitor', yaml: 'resources:\n- type: gce-project\n  state: dirty\n  names: [proj-good, proj-bad]\n- type: aws-account\n  state: dirty\n  names: [acct-good]\n' });
});
afterEach(async () => {
  for (const j of janitors.splice(0)) await j.close();
  await world.close();
  await rm(dir, { recursive: true, force: true });
});

/** Waits for `check` to hold, polling; the failure says what was awaited. */
const states = async () => Object.fromEntries([...(await world.ranch.resources('gce-project')), ...(await world.ranch.resources('aws-account'))].map((r) => [r.name, `${r.state}:${r.owner}`]));

function janitor(script: string, opts: { heartbeatMs?: number } = {}): Janitor {
  const j = Janitor.start({
    ranch: world.ranch,
    types: () => ['gce-project', 'aws-account'],
    log: world.logs.logger,
    command: ['sh', join(dir, script), '--dry-run=false'],
    poolSize: 2,
    heartbeatMs: opts.heartbeatMs ?? 60_000,
    idleMs: 50,
  });
  janitors.push(j);
  return j;
}

describe('the janitor', () => {
  it("runs the cleanup command with Boskos' --<type suffix>=<name> flag, frees what it cleaned, leaves failures dirty", async () => {
    await writeFile(
      join(dir, 'clean.sh'),
      `echo "$@ $BOSKOS_RESOURCE_TYPE" >> ${join(dir, 'calls.txt')}\ncase "$2" in *bad*) echo "quota exceeded" >&2; exit 3;; esac\n`,
    );
    const j = janitor('clean.sh');
    await until('both good ones are free', async () => Object.values(await states()).filter((s) => s === 'free:').length === 2);
    // proj-bad goes round again (dirty, taken, fails); stopping the janitor leaves it dirty.
    await j.close();
    expect(await states()).toEqual({ 'proj-good': 'free:', 'acct-good': 'free:', 'proj-bad': 'dirty:' });
    const calls = [...new Set((await readFile(join(dir, 'calls.txt'), 'utf8')).split('\n').filter(Boolean))].sort();
    expect(calls).toEqual(['--dry-run=false --account=acct-good aws-account', '--dry-run=false --project=proj-bad gce-project', '--dry-run=false --project=proj-good gce-project']);
    expect(world.logs.lines.some((l) => l.msg === 'boskos janitor: cleanup failed; resource stays dirty' && l.resource === 'proj-bad' && String(l.output).includes('quota exceeded'))).toBe(true);
    expect(janitorFlag('gke-perf-project')).toBe('project');
  });

  it('heartbeats while a cleanup runs, so the reaper leaves it alone, and releases dirty when stopped midway', async () => {
    await writeFile(join(dir, 'slow.sh'), `touch ${join(dir, 'started-')}"$BOSKOS_RESOURCE_NAME"\nwhile [ ! -e ${join(dir, 'finish')} ]; do sleep 0.05; done\n`);
    const j = janitor('slow.sh', { heartbeatMs: 30 });
    await until('both cleanups started', () => Promise.resolve(j.running === 2));
    const before = (await world.ranch.resources('gce-project')).find((r) => r.state === 'cleaning');
    expect(before?.owner).toBe('Janitor');
    await until('a heartbeat moved lastupdate', async () => ((await world.ranch.resources('gce-project')).find((r) => r.name === before?.name)?.lastUpdate ?? 0) > (before?.lastUpdate ?? Infinity));
    await access(join(dir, `started-${before?.name ?? ''}`));
    await j.close();
    expect(Object.values(await states()).filter((s) => s === 'dirty:')).toHaveLength(3);
  });

  it('counts a command that cannot start as a failed cleanup', async () => {
    const j = Janitor.start({ ranch: world.ranch, types: () => ['aws-account'], log: world.logs.logger, command: [join(dir, 'no-such-janitor')], poolSize: 1, heartbeatMs: 60_000, idleMs: 50 });
    janitors.push(j);
    await until('the failure is logged', () => Promise.resolve(world.logs.lines.some((l) => l.msg === 'boskos janitor: cleanup failed; resource stays dirty' && String(l.why).includes('ENOENT'))));
    await j.close();
    expect((await states())['acct-good']).toBe('dirty:');
  });
});
