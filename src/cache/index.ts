// Cache stores (in-memory LRU, Redis shared by several instances) and single-flight coalescing.

export type { CacheAnswerInfo, CacheLogger, CacheStore, CacheStoreStats } from './types.js';
export {
  createMemoryStore,
  memoryEntryBytes,
  MEMORY_STORE_DEFAULTS,
  MEMORY_ENTRY_OVERHEAD_BYTES,
} from './memory-store.js';
export type { MemoryStoreOptions } from './memory-store.js';
export { createRedisStore, REDIS_STORE_DEFAULTS } from './redis-store.js';
export type { RedisStoreOptions } from './redis-store.js';
export { createCacheStore } from './create-store.js';
export type { CacheStoreConfig, CacheStoreRuntime } from './create-store.js';
export { createCoalescer } from './coalesce.js';
export type { Coalescer } from './coalesce.js';
