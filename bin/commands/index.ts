import { boskosCommand } from './boskos.ts';
import { branchprotector } from './branchprotector.ts';
import { checkConfig } from './check-config.ts';
import { emulator } from './emulator.ts';
import { events } from './events.ts';
import { labelSync } from './label-sync.ts';
import { mkpj } from './mkpj.ts';
import { podUtilities } from './pod-utils.ts';
import type { Command } from './types.ts';
import { start } from './start.ts';

/** Every `prow` subcommand, in the order `prow --help` lists them. */
export const commands: readonly Command[] = [start, checkConfig, mkpj, emulator, events, boskosCommand, branchprotector, labelSync, ...podUtilities];
