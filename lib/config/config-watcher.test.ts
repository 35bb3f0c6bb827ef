import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../test/helpers/memory-logger.ts';
import { isProwError } from '../errors.ts';
import { ConfigWatcher, type ConfigEvent } from './config-watcher.ts';
import { presubmitsFor } from './lookups.ts';

const job = (name: string): string => `presubmits:\n  acme/widget:\n  - name: ${name}\n    spec: { containers: [{ image: golang }] }\n`;

describe('ConfigWatcher', () => {
  let dir: string;
  let watcher: ConfigWatcher | undefined;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'prow-watch-'));
    await mkdir(path.join(dir, 'jobs', 'acme'), { recursive: true });
    await writeFile(path.join(dir, 'config.yaml'), 'tide:\n  sync_period: 1m\n');
    await writeFile(path.join(dir, 'plugins.yaml'), 'plugins:\n  acme: [lgtm]\n');
    await writeFile(path.join(dir, 'jobs', 'acme', 'widget.yaml'), job('unit'));
  });

  afterEach(async () => {
    watcher?.close();
    watcher = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  const start = async (logger = memoryLogger().logger): Promise<ConfigWatcher> =>
    (watcher = await ConfigWatcher.start({
      configPath: path.join(dir, 'config.yaml'),
      jobConfigPath: path.join(dir, 'jobs'),
      pluginConfigPath: path.join(dir, 'plugins.yaml'),
      logger,
      debounceMs: 50,
    }));

  /** The first event that satisfies `until`: a write can show up as several file events, hence several reloads. */
  const nextEvent = (w: ConfigWatcher, until: (e: ConfigEvent) => boolean = () => true): Promise<ConfigEvent> =>
    new Promise((resolve) => {
      const off = w.subscribe((event) => {
        if (!until(event)) return;
        off();
        resolve(event);
      });
    });
  const names = (e: ConfigEvent): string[] =>
    e.type === 'swapped' ? presubmitsFor(e.snapshot.config, 'acme/widget').map((j) => j.name) : [];

  it('picks up a good change to a job file and swaps the snapshot whole', async () => {
    const w = await start();
    const before = w.current;
    expect(presubmitsFor(before.config, 'acme/widget').map((j) => j.name)).toEqual(['unit']);

    const event = nextEvent(w, (e) => names(e).includes('unit-v2'));
    await writeFile(path.join(dir, 'jobs', 'acme', 'widget.yaml'), job('unit-v2'));
    const got = await event;

    expect(got.type).toBe('swapped');
    expect(presubmitsFor(w.current.config, 'acme/widget').map((j) => j.name)).toEqual(['unit-v2']);
    expect(w.current).not.toBe(before);
    // The old snapshot is untouched: a reader holding it sees one consistent configuration.
    expect(presubmitsFor(before.config, 'acme/widget').map((j) => j.name)).toEqual(['unit']);
  });

  it('picks up config.yaml replaced by rename, as editors and ConfigMaps do', async () => {
    const w = await start();
    const event = nextEvent(w, (e) => e.type === 'swapped' && e.snapshot.config.tide?.sync_period === '5m');
    await writeFile(path.join(dir, 'config.tmp'), 'tide:\n  sync_period: 5m\n');
    await rename(path.join(dir, 'config.tmp'), path.join(dir, 'config.yaml'));
    expect((await event).type).toBe('swapped');
    expect(w.current.config.tide?.sync_period).toBe('5m');
  });

  it('refuses a bad change, keeps the last good configuration and logs why', async () => {
    const log = memoryLogger();
    const w = await start(log.logger);
    const good = w.current;

    const event = nextEvent(w, (e) => e.type === 'refused');
    await writeFile(path.join(dir, 'plugins.yaml'), 'plugins:\n  acme: [lgtm]\nbogus: true\n');
    const got = await event;

    expect(got.type).toBe('refused');
    expect(got.type === 'refused' ? got.errors.map((e) => [e.line, e.message]) : []).toEqual([[3, 'unknown key "bogus"']]);
    expect(w.current).toBe(good);
    const warn = log.lines.find((l) => l.level === 40);
    expect(warn?.msg).toBe('configuration change refused; keeping the last good configuration');
    expect(warn?.errors).toEqual([`${path.join(dir, 'plugins.yaml')}:3:1: unknown key "bogus"`]);
  });

  it('will not start on a bad configuration', async () => {
    await writeFile(path.join(dir, 'config.yaml'), 'tide:\n  sync_period: soon\n');
    const err: unknown = await start().catch((e: unknown) => e);
    expect(isProwError(err, 'PROW_ERR_CONFIG_INVALID')).toBe(true);
  });
});
