// matrix-delegation: the library entry point (re-exports the public API of each module).

export * from './errors.js';
export { VERSION, USER_AGENT } from './version.js';
export * from './server-name/index.js';
export { resolveServerName } from './resolver/resolve.js';
export { RESOLVE_DEFAULTS } from './resolver/options.js';
export type * from './resolver/types.js';
export { createResolverCache, RESOLVER_CACHE_DEFAULTS } from './resolver/cache.js';
export type { ResolverCache, ResolverCacheOptions, ResolverCacheStats } from './resolver/cache.js';
export { createCacheStore, createMemoryStore, createRedisStore, MEMORY_STORE_DEFAULTS, REDIS_STORE_DEFAULTS } from './cache/index.js';
export type {
  CacheAnswerInfo,
  CacheLogger,
  CacheStore,
  CacheStoreConfig,
  CacheStoreRuntime,
  CacheStoreStats,
  MemoryStoreOptions,
  RedisStoreOptions,
} from './cache/index.js';
// The DNS cache alone (a DnsPort decorator); createResolverCache builds one into its caches.
export { createCachedDns, dnsCacheInfo, DNS_CACHE_DEFAULTS } from './dns/cache.js';
export type { CachedDnsOptions } from './dns/cache.js';
export { createFederationClient, federationFetch } from './client/federation-client.js';
export type {
  FederationAttempt,
  FederationClient,
  FederationClientOptions,
  FederationRequestInit,
  FederationResponse,
} from './client/federation-client.js';
export { createAddressPolicy, DEFAULT_DENY_NETWORKS } from './net/address-policy.js';
export type { AddressPolicy, AddressVerdict } from './net/types.js';
export { classifyNetworkError } from './net/errors.js';
export type { NetworkFailure } from './net/errors.js';
export { buildTrustedCas, readCaFile } from './net/trust.js';
export * from './dns/index.js';
export * from './well-known/index.js';
export { checkServer, federationVerdict, CHECK_DEFAULTS } from './checker/check.js';
export type * from './checker/types.js';
export { checkClientDocument } from './checker/client-document.js';
export type { ClientDocumentReport, DocumentCheckOptions } from './checker/client-document.js';
export { checkSupportDocument } from './checker/support-document.js';
export type { SupportDocumentReport } from './checker/support-document.js';
export { probeTls } from './net/tls-probe.js';
export type { TlsProbeOptions, TlsProbeResult } from './net/tls-probe.js';
export * from './keys/index.js';
export * from './report/index.js';
export { startServer } from './server/serve.js';
export type { StartServerOptions, RunningServer, ReloadResult, ListeningAddress } from './server/serve.js';
export * from './server/config/index.js';
export { prepareWellKnownDocuments, buildServerDocument, buildClientDocument, buildSupportDocument } from './server/documents.js';
export { generateProxyConfig, PROXY_TARGETS } from './proxy-config/index.js';
export type { GeneratedConfig, ProxyConfigOptions, ProxyTarget } from './proxy-config/index.js';
export { createPlan, buildPlan, decideDelegation } from './plan/index.js';
