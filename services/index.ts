import { boskos } from './boskos/index.ts';
import { controller } from './controller/index.ts';
import { ghproxy } from './ghproxy/index.ts';
import { hook } from './hook/index.ts';
import type { Service } from './service.ts';
import { tide } from './tide/index.ts';

/**
 * Every service `prow start` can run, in start order: ghproxy first, so it answers before anything calls
 * GitHub through it. testgrid-ui arrives with its issue.
 */
export const services: readonly Service[] = [ghproxy, hook, controller, tide, boskos];
