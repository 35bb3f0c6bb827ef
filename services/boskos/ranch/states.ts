/** Boskos' states with a built-in meaning (`common.KnownStates`); any other string is a valid state too. */
export const states = {
  free: 'free',
  busy: 'busy',
  dirty: 'dirty',
  cleaning: 'cleaning',
  leased: 'leased',
  toBeDeleted: 'toBeDeleted',
  tombstone: 'tombstone',
} as const;

/** The known states in Boskos' order, which `boskos_resources` always reports (zero-filled). */
export const knownStates: readonly string[] = [states.busy, states.cleaning, states.dirty, states.free, states.leased, states.toBeDeleted, states.tombstone];

/** Where `boskos_resources` folds states outside `knownStates`. */
export const otherState = 'other';
