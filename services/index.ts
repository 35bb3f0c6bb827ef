import { boskos } from './boskos/index.ts';
import { controller } from './controller/index.ts';
import { hook } from './hook/index.ts';
import type { Service } from './service.ts';
import { tide } from './tide/index.ts';

/**
 * Every service `prow start` can run, in start order. The others (ghproxy, testgrid-ui) arrive with their
 * issues.
 */
export const services: readonly Service[] = [hook, controller, tide, boskos];
