import { approvePlugin } from './approve/index.ts';
import { assignPlugin } from './assign/index.ts';
import { blunderbussPlugin } from './blunderbuss/index.ts';
import { claPlugin } from './cla/index.ts';
import { helpPlugin } from './help/index.ts';
import { holdPlugin } from './hold/index.ts';
import { labelPlugin } from './label/index.ts';
import { lgtmPlugin } from './lgtm/index.ts';
import { lifecyclePlugin } from './lifecycle/index.ts';
import { ownersLabelPlugin } from './owners-label/index.ts';
import type { Plugin } from './plugin.ts';
import { sizePlugin } from './size/index.ts';
import { triggerPlugin } from './trigger/index.ts';
import { welcomePlugin } from './welcome/index.ts';
import { wipPlugin } from './wip/index.ts';

/** Every plugin prow-ts has: the one table hook dispatches from and /plugin-help lists. */
export const plugins: readonly Plugin[] = [assignPlugin, helpPlugin, labelPlugin, holdPlugin, lifecyclePlugin, wipPlugin, lgtmPlugin, approvePlugin, blunderbussPlugin, ownersLabelPlugin, sizePlugin, claPlugin, welcomePlugin, triggerPlugin];

/** The plugin named `name` in plugins.yaml, or undefined. */
export function pluginNamed(name: string): Plugin | undefined {
  return plugins.find((p) => p.name === name);
}
