import { boskos } from './boskos/index.ts';
import { controller } from './controller/index.ts';
import { ghproxy } from './ghproxy/index.ts';
import { hook } from './hook/index.ts';
import type { Service } from './service.ts';
import { testgridUi } from './testgrid-ui/index.ts';
import { tide } from './tide/index.ts';

/**
 * Every service `prow start` can run, in start order: ghproxy first, so it answers before anything calls
 * GitHub through it; the dashboard last, as it only reads what the others write.
 */
export const services: readonly Service[] = [ghproxy, hook, controller, tide, boskos, testgridUi];
