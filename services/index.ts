import type { Service } from './service.ts';

/**
 * Every service `prow start` can run, in start order. Services arrive with their issues (hook, controller,
 * tide, boskos, ghproxy, testgrid-ui); until then local mode runs the GitHub emulator alone.
 */
export const services: readonly Service[] = [];
