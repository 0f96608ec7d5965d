// matrix-delegation/resolver: server-name resolution (spec "Resolving server names") and what it is made of; no server, checker or logging code.

export * from '../errors.js';
export { VERSION, USER_AGENT } from '../version.js';
export * from '../server-name/index.js';
export { resolveServerName } from './resolve.js';
export { RESOLVE_DEFAULTS } from './options.js';
export type * from './types.js';
export { isAddressLookup, isSrvLookup } from './trace-facts.js';
export type { AddressTraceEntry, SrvTraceEntry } from './trace-facts.js';
export { createResolverCache, RESOLVER_CACHE_DEFAULTS } from './cache.js';
export type { ResolverCache, ResolverCacheOptions, ResolverCacheStats } from './cache.js';
// Stores behind the resolver cache; the Redis client is loaded only when a Redis store is made.
export {
  createCacheStore,
  createMemoryStore,
  createRedisStore,
  MEMORY_STORE_DEFAULTS,
  REDIS_STORE_DEFAULTS,
} from '../cache/index.js';
export type {
  CacheAnswerInfo,
  CacheLogger,
  CacheStore,
  CacheStoreConfig,
  CacheStoreRuntime,
  CacheStoreStats,
  MemoryStoreOptions,
  RedisStoreOptions,
} from '../cache/index.js';
// The DNS cache alone (a DnsResolver decorator); createResolverCache builds one into its caches.
export { createCachedDns, dnsCacheInfo, DNS_CACHE_DEFAULTS } from '../dns/cache.js';
export type { CachedDnsOptions } from '../dns/cache.js';
export * from '../dns/index.js';
export { createAddressPolicy, DEFAULT_DENY_NETWORKS } from '../net/address-policy.js';
export type { AddressPolicy, AddressVerdict } from '../net/types.js';
// The well-known server fetch as the resolver uses it (its transport loads on the first fetch); the general document
// fetch, which the checker uses, is exported by /checker.
export { fetchWellKnownServer, WELL_KNOWN_FETCH_DEFAULTS, WELL_KNOWN_SERVER_PATH } from '../well-known/fetch.js';
export { parseWellKnownServer } from '../well-known/parse-server.js';
export type { WellKnownServerParseCode, WellKnownServerParseResult } from '../well-known/parse-server.js';
export type {
  WellKnownFetchOptions,
  WellKnownFetchResult,
  WellKnownHeaders,
  WellKnownHop,
  WellKnownFetchStatus,
  WellKnownDocumentMethod,
  WellKnownDocumentOptions,
  WellKnownDocumentOutcome,
  WellKnownDocumentResult,
} from '../well-known/types.js';
