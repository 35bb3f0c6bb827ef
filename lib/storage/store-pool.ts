import type { ObjectStore } from './object-store.ts';
import { openObjectStore, type OpenStoreOptions } from './open-store.ts';

/** Stores opened on first use and kept by location; `close` closes every one it opened. */
export interface StorePool {
  /** The store at `location` (a path, gs://bucket, s3://bucket), opened once; a failed open is tried again next time. */
  open(location: string): Promise<ObjectStore>;
  close(): Promise<void>;
}

/** A pool opening stores with `options` (credentials, endpoints). */
export function storePool(options: OpenStoreOptions = {}): StorePool {
  const stores = new Map<string, Promise<ObjectStore>>();
  return {
    open(location) {
      let store = stores.get(location);
      if (store === undefined) {
        store = openObjectStore(location, options);
        store.catch(() => stores.delete(location));
        stores.set(location, store);
      }
      return store;
    },
    async close() {
      const all = await Promise.allSettled(stores.values());
      stores.clear();
      await Promise.all(all.flatMap((s) => (s.status === 'fulfilled' ? [s.value.close()] : [])));
    },
  };
}
