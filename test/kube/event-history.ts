import type { KubeObject } from './resource-type.ts';

/** What a watch reports. */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** One change to one object, at the resourceVersion it was made at. */
export interface ChangeEvent {
  type: WatchEventType;
  rv: number;
  object: KubeObject;
  /** The object before a MODIFIED, so a selector watch can turn the change into ADDED or DELETED. */
  previous?: KubeObject | undefined;
}

/**
 * The last `capacity` changes of one resource, in resourceVersion order, in a ring: adding is O(1) and
 * finding where a watch resumes is a binary search. `compactedRv` is the newest resourceVersion that fell out.
 */
export class EventHistory {
  readonly #ring: (ChangeEvent | undefined)[];
  #start = 0;
  #size = 0;
  #compactedRv = 0;

  constructor(capacity: number) {
    this.#ring = new Array<ChangeEvent | undefined>(Math.max(1, capacity));
  }

  get compactedRv(): number {
    return this.#compactedRv;
  }

  add(event: ChangeEvent): void {
    const cap = this.#ring.length;
    if (this.#size === cap) {
      this.#compactedRv = this.#at(0).rv;
      this.#ring[this.#start] = event;
      this.#start = (this.#start + 1) % cap;
    } else {
      this.#ring[(this.#start + this.#size) % cap] = event;
      this.#size++;
    }
  }

  /** Forgets everything up to `rv`, as etcd compaction does. */
  compact(rv: number): void {
    while (this.#size > 0 && this.#at(0).rv <= rv) {
      this.#ring[this.#start] = undefined;
      this.#start = (this.#start + 1) % this.#ring.length;
      this.#size--;
    }
    this.#compactedRv = Math.max(this.#compactedRv, rv);
  }

  /** Every retained change after `rv`, oldest first; the caller has checked that `rv >= compactedRv`. */
  *since(rv: number): Generator<ChangeEvent> {
    let lo = 0;
    let hi = this.#size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#at(mid).rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.#size; i++) yield this.#at(i);
  }

  #at(i: number): ChangeEvent {
    const event = this.#ring[(this.#start + i) % this.#ring.length];
    if (event === undefined) throw new Error('the history ring is out of step');
    return event;
  }
}
