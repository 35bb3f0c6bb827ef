import { controller } from './controller/index.ts';
import { hook } from './hook/index.ts';
import type { Service } from './service.ts';

/**
 * Every service `prow start` can run, in start order. The others (tide, boskos, ghproxy, testgrid-ui)
 * arrive with their issues.
 */
export const services: readonly Service[] = [hook, controller];
