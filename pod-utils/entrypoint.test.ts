import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runEntrypoint } from './entrypoint.ts';
import type { EntrypointOptions } from './options.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'prow-entrypoint-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Collects what entrypoint copies to stdout, and resolves `seen(text)` once that text has appeared. */
function capture() {
  let text = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString('utf8');
      for (const w of waiters.filter((x) => text.includes(x.text))) w.resolve();
      done();
    },
  });
  return {
    stream,
    text: () => text,
    seen: (wanted: string) =>
      new Promise<void>((resolve) => {
        if (text.includes(wanted)) resolve();
        else waiters.push({ text: wanted, resolve });
      }),
  };
}

function options(args: string[], extra: Partial<EntrypointOptions> = {}): EntrypointOptions {
  return {
    args,
    process_log: join(dir, 'process-log.txt'),
    marker_file: join(dir, 'marker-file.txt'),
    artifact_dir: join(dir, 'artifacts'),
    container_name: 'test',
    ...extra,
  };
}

const marker = () => readFile(join(dir, 'marker-file.txt'), 'utf8');
const processLog = () => readFile(join(dir, 'process-log.txt'), 'utf8');

describe('runEntrypoint', () => {
  it('runs the command with stdout and stderr in the process log and on stdout, and marks 0', async () => {
    const out = capture();
    const result = await runEntrypoint(options(['sh', '-c', 'echo to-stdout; echo to-stderr >&2']), { stdout: out.stream });

    expect(result).toEqual({ code: 0, exitCode: 0 });
    expect(await marker()).toBe('0');
    expect(await processLog()).toContain('to-stdout');
    expect(await processLog()).toContain('to-stderr');
    expect(out.text()).toContain('to-stderr');
    expect((await stat(join(dir, 'artifacts'))).isDirectory()).toBe(true);
  });

  it('marks and exits with the command\'s failing code, or exits 0 with always_zero', async () => {
    const out = capture();
    expect(await runEntrypoint(options(['sh', '-c', 'exit 3']), { stdout: out.stream })).toEqual({ code: 3, exitCode: 3 });
    expect(await marker()).toBe('3');
    expect(await runEntrypoint(options(['sh', '-c', 'exit 3'], { always_zero: true }), { stdout: out.stream })).toEqual({ code: 3, exitCode: 0 });
    expect(await marker()).toBe('3');
  });

  it('interrupts a command at the timeout and marks 127, letting it finish within the grace period', async () => {
    const out = capture();
    const script = 'trap "echo cleaning up; exit 7" INT; echo started; sleep 30 & wait';
    const result = await runEntrypoint(options(['sh', '-c', script], { timeout: '300ms', grace_period: '20s' }), { stdout: out.stream });

    expect(result.code).toBe(127);
    expect(await marker()).toBe('127');
    const log = await processLog();
    expect(log).toContain('cleaning up');
    expect(log).toContain('Process did not finish before 300ms timeout');
    expect(log).toContain('Process gracefully exited before 20s grace period');
  });

  it('kills a command that ignores SIGINT once the grace period is over', async () => {
    const out = capture();
    const result = await runEntrypoint(options(['sh', '-c', 'trap "" INT; echo started; sleep 30'], { timeout: 200_000_000, grace_period: 300_000_000 }), {
      stdout: out.stream,
    });

    expect(result.code).toBe(127);
    expect(await processLog()).toContain('Process did not exit before 300ms grace period');
  });

  it('marks 130 when entrypoint itself is interrupted, forwarding the signal to the command', async () => {
    const out = capture();
    const interrupt = new AbortController();
    const running = runEntrypoint(options(['sh', '-c', 'trap "echo got interrupted; exit 1" INT TERM; echo ready; sleep 30 & wait']), {
      stdout: out.stream,
      interrupt: interrupt.signal,
    });
    await out.seen('ready');
    interrupt.abort('SIGTERM');

    expect(await running).toEqual({ code: 130, exitCode: 130 });
    expect(await marker()).toBe('130');
    expect(await processLog()).toContain('got interrupted');
  });

  it('marks 127 when the command cannot be started', async () => {
    const out = capture();
    const result = await runEntrypoint(options(['no-such-command-prow-ts']), { stdout: out.stream });

    expect(result).toEqual({ code: 127, exitCode: 127 });
    expect(await processLog()).toContain('could not start the process');
  });

  it('skips the command when the previous step failed', async () => {
    const out = capture();
    await runEntrypoint(options(['sh', '-c', 'exit 2'], { marker_file: join(dir, 'first-marker.txt') }), { stdout: out.stream });
    const result = await runEntrypoint(options(['sh', '-c', 'echo should-not-run'], { previous_marker: join(dir, 'first-marker.txt') }), { stdout: out.stream });

    expect(result.code).toBe(1130);
    expect(await processLog()).not.toContain('should-not-run');
  });
});
