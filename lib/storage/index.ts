export {
  collectPages,
  readBuffer,
  readText,
  type ListOptions,
  type ListPage,
  type ObjectBody,
  type ObjectInfo,
  type ObjectStat,
  type ObjectStore,
  type PutOptions,
} from './object-store.ts';
export { DirStore } from './dir-store.ts';
export { GcsStore, type GcsStoreOptions } from './gcs-store.ts';
export { S3Store, type S3StoreOptions } from './s3-store.ts';
export { storePool, type StorePool } from './store-pool.ts';
export { openObjectStore, parseStoreLocation, storeLocationOf, type OpenStoreOptions, type StoreLocation } from './open-store.ts';
export { aliasPath, jobHistoryRoot, jobStoragePath, jobStorageUrl, latestBuildPaths, repoPathSegment, storageBucket, type JobStorageLocation, type PathStrategy, type StorageConfig } from './layout.ts';
