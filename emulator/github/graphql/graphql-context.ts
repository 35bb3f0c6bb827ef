import type { EmulatorContext } from '../context.ts';
import type { Actor } from '../state/permissions.ts';
import type { MergeabilityCache } from './mergeability-cache.ts';

/** What every resolver sees: the emulator, the caller, and per-app caches of git answers. */
export interface GqlContext {
  emu: EmulatorContext;
  actor: Actor;
  /** The caller's rate-limit bucket key. */
  rateKey: string;
  mergeability: MergeabilityCache;
}
