import type { PluginConfig } from '../../lib/config/index.ts';

/** The smallest change (lines added plus deleted) of each size above XS, from plugins.yaml `size:`. */
export interface SizeThresholds {
  s: number;
  m: number;
  l: number;
  xl: number;
  xxl: number;
}

/** Prow's defaults, used for every threshold plugins.yaml leaves out or sets to 0. */
export const defaultSizeThresholds: SizeThresholds = { s: 10, m: 30, l: 100, xl: 500, xxl: 1000 };

/** Every size label starts with this; the plugin owns all of them. */
export const sizeLabelPrefix = 'size/';

/** plugins.yaml `size:` with Prow's defaults for missing or zero values. */
export function sizeThresholds(config: PluginConfig['size']): SizeThresholds {
  const pick = (v: number | undefined, d: number): number => (v === undefined || v === 0 ? d : v);
  const d = defaultSizeThresholds;
  return { s: pick(config?.s, d.s), m: pick(config?.m, d.m), l: pick(config?.l, d.l), xl: pick(config?.xl, d.xl), xxl: pick(config?.xxl, d.xxl) };
}

/** The label for a change of `lines` lines: `size/XS` below `s`, ... `size/XXL` from `xxl` up. */
export function sizeLabel(lines: number, t: SizeThresholds): string {
  if (lines < t.s) return 'size/XS';
  if (lines < t.m) return 'size/S';
  if (lines < t.l) return 'size/M';
  if (lines < t.xl) return 'size/L';
  if (lines < t.xxl) return 'size/XL';
  return 'size/XXL';
}
