// Public API of the DNS layer: the DnsResolver, the packet client, RFC 2782 SRV ordering and test fakes.

export type { DnsAnswer, DnsFailureCode, DnsResolver, DnsQueryOptions, SrvRecord } from './types.js';
export { createDnsClient, DNS_CLIENT_DEFAULTS } from './packet-client.js';
export type { DnsClientOptions } from './packet-client.js';
export { parseDnsServer, formatDnsServer, DEFAULT_DNS_PORT } from './server-address.js';
export type { DnsServerAddress } from './server-address.js';
export {
  parseResolvConf,
  loadResolvConf,
  systemDnsServers,
  RESOLV_CONF_PATH,
  MAX_NAMESERVERS,
  FALLBACK_NAMESERVER,
} from './resolv-conf.js';
export type { ResolvConf } from './resolv-conf.js';
export { orderSrvRecords, isSrvUnavailable } from './srv-order.js';
export { createMemoryDns, MEMORY_DNS_DEFAULT_TTL, MEMORY_DNS_NEGATIVE_TTL } from './memory-dns.js';
export type { MemoryDns, MemoryDnsEntry, MemoryDnsQuery, MemoryDnsTable } from './memory-dns.js';
