// The DNS resolver interface: what the resolver needs from DNS, so that tests can inject an in-memory table.

/** An SRV record as answered (target without trailing dot, lowercase). */
export interface SrvRecord {
  readonly priority: number;
  readonly weight: number;
  readonly port: number;
  /** Target host name, lowercase, no trailing dot; "." for "service not available". */
  readonly target: string;
}

/** Why a DNS question produced no records. NXDOMAIN and NODATA mean "no records"; the rest are errors. */
export type DnsFailureCode =
  'DNS_NXDOMAIN' | 'DNS_NODATA' | 'DNS_SERVFAIL' | 'DNS_TIMEOUT' | 'DNS_ERROR' | 'DNS_CNAME_LOOP';

/** The answer to one DNS question. */
export type DnsAnswer<T> =
  | {
      readonly ok: true;
      readonly records: readonly T[];
      /** The CNAME chain followed to reach the records (each owner name's target, in order); empty if none. */
      readonly cnameChain: readonly string[];
      /** The smallest TTL of the answer's records (seconds). */
      readonly ttlSeconds: number;
    }
  | {
      readonly ok: false;
      readonly code: DnsFailureCode;
      readonly message: string;
      /** For NXDOMAIN / NODATA: the negative-caching TTL from the SOA, if the server sent one. */
      readonly ttlSeconds?: number;
      /** CNAMEs followed before the failure. */
      readonly cnameChain: readonly string[];
    };

/** Options for one DNS question. */
export interface DnsQueryOptions {
  /** Aborts the question (the answer is then DNS_TIMEOUT). */
  readonly signal?: AbortSignal;
}

/**
 * The DNS operations the resolver and checker use. Implementations: the packet client
 * (`createDnsClient`, real UDP/TCP) and in-memory fakes in unit tests.
 */
export interface DnsResolver {
  /** SRV records of `name` (e.g. `_matrix-fed._tcp.example.com`). */
  resolveSrv(name: string, options?: DnsQueryOptions): Promise<DnsAnswer<SrvRecord>>;
  /** A records of `name`, CNAMEs followed. */
  resolve4(name: string, options?: DnsQueryOptions): Promise<DnsAnswer<string>>;
  /** AAAA records of `name`, CNAMEs followed. */
  resolve6(name: string, options?: DnsQueryOptions): Promise<DnsAnswer<string>>;
}
