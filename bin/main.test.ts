import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from './main.ts';
import { commands } from './commands/index.ts';

function capture(): { out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  return { out: () => out.join('\n'), err: () => err.join('\n') };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('prow CLI', () => {
  it('lists every command with --help', async () => {
    const io = capture();
    expect(await main(['--help'])).toBe(0);
    for (const c of commands) expect(io.out()).toContain(`  ${c.name}`);
    expect(io.out()).toContain('start');
  });

  it('prints a command\'s usage with <command> --help', async () => {
    const io = capture();
    expect(await main(['start', '--help'])).toBe(0);
    expect(io.out()).toContain('usage: prow start');
  });

  it('leaves a --help after -- to the command the subcommand runs', async () => {
    const io = capture();
    const code = await main(['boskos', 'heartbeat', '--', 'sh', '--help']);
    expect(io.out()).not.toContain('usage: prow boskos');
    expect(code).not.toBe(0);
  });

  it('refuses an unknown command with exit 2 and the list', async () => {
    const io = capture();
    expect(await main(['frobnicate'])).toBe(2);
    expect(io.err()).toContain('unknown command "frobnicate"');
    expect(io.err()).toContain('commands:');
  });

  it('turns an unknown option into one line and exit 2', async () => {
    const io = capture();
    expect(await main(['start', '--bogus'])).toBe(2);
    expect(io.err()).toContain("prow start: Unknown option '--bogus'");
  });

  it('turns a bad option into one line and exit 1', async () => {
    const io = capture();
    expect(await main(['start', '--emulator-port', 'many'])).toBe(1);
    expect(io.err()).toMatch(/^prow start: --emulator-port must be a port number.*\[PROW_ERR_USAGE\]$/s);
  });
});
