// Overlapping lookups: one answer per DNS question per resolution, and SRV chains asked ahead of the step that needs them.

import type { DnsAnswer, DnsResolver, DnsQueryOptions, SrvRecord } from '../dns/types.js';

/**
 * The DNS side of one resolution in overlapping mode. `dns` answers each question (name and type) once per
 * resolution: a question asked ahead by {@link Overlap.prefetchSrvChain} and asked again by the step that needs it
 * gets the same answer, so the spec's steps run exactly as written and only wait less.
 */
export interface Overlap {
  /** The DNS resolver the resolution uses (and its well-known fetch, when there is no cache to share it through). */
  readonly dns: DnsResolver;
  /**
   * Asks, all at once and without waiting, what the SRV chain of `host` may need (steps 3.3-3.5 and 4-6):
   * SRV `_matrix-fed._tcp.<host>` and `_matrix._tcp.<host>`, AAAA/A of `<host>`, and AAAA/A of the SRV targets as
   * soon as they are known (those of `_matrix._tcp` only when `_matrix-fed._tcp` has none). The answers are only
   * used if the spec's sequence asks the same questions. Returns a function that stops its follow-up questions.
   */
  prefetchSrvChain(host: string): () => void;
  /** Stops the follow-up questions of every prefetch (the resolution is over). */
  cancelAll(): void;
}

const NO_RECORDS = new Set(['DNS_NXDOMAIN', 'DNS_NODATA']);
/**
 * SRV targets whose addresses are asked ahead: only for record sets this small (the common one or two records). A
 * larger set is left to the step itself, which caps and paces its lookups (see `srvStep` in resolve.ts): asking
 * ahead must not become a burst at the recursive resolver on behalf of a hostile zone.
 */
const PREFETCH_MAX_SRV_TARGETS = 8;

/**
 * Creates the overlapping-lookups helper of one resolution over `dns` (the cached port when there is a cache).
 * Every question runs under `signal`, the resolution's own: the helper lives and dies with its resolution, so a
 * well-known fetch that other resolutions may share (through the cache) must not use it (see `normalizeResolveOptions`).
 */
export function createOverlap(dns: DnsResolver, signal: AbortSignal): Overlap {
  const questions = new Map<string, Promise<DnsAnswer<unknown>>>();
  /** Cancels of the prefetches not cancelled yet. */
  const pending = new Set<() => void>();

  function ask<T>(
    type: 'A' | 'AAAA' | 'SRV',
    rawName: string,
    query: (o: DnsQueryOptions) => Promise<DnsAnswer<T>>,
  ): Promise<DnsAnswer<T>> {
    const key = `${type} ${rawName.toLowerCase().replace(/\.$/, '')}`;
    let answer = questions.get(key) as Promise<DnsAnswer<T>> | undefined;
    if (answer === undefined) {
      answer = query({ signal });
      questions.set(key, answer);
    }
    return answer;
  }

  const port: DnsResolver = {
    resolve4: (name) => ask('A', name, (q) => dns.resolve4(name, q)),
    resolve6: (name) => ask('AAAA', name, (q) => dns.resolve6(name, q)),
    resolveSrv: (name) => ask<SrvRecord>('SRV', name, (q) => dns.resolveSrv(name, q)),
  };

  return {
    dns: port,
    prefetchSrvChain(host) {
      // Questions already sent are not aborted when the prefetch is no longer needed: they end on their own within
      // the DNS client's budget (their answers may still fill the cache), and aborting costs more than it saves.
      // Cancelling only stops the follow-up questions (the SRV targets' addresses) from being asked.
      const prefetch = { cancelled: false };
      const cancel = (): void => {
        prefetch.cancelled = true;
        pending.delete(cancel);
      };
      pending.add(cancel);
      const addresses = (name: string): void => {
        void port.resolve6(name);
        void port.resolve4(name);
      };
      const targets = (answer: DnsAnswer<SrvRecord>): void => {
        if (prefetch.cancelled || !answer.ok || answer.records.length > PREFETCH_MAX_SRV_TARGETS) return;
        for (const record of answer.records) if (record.target !== '.') addresses(record.target);
      };
      const fed = port.resolveSrv(`_matrix-fed._tcp.${host}`);
      const legacy = port.resolveSrv(`_matrix._tcp.${host}`);
      addresses(host);
      void fed.then(targets);
      // The legacy targets matter only when _matrix-fed._tcp has no records (spec step 3.4 / 5).
      void Promise.all([fed, legacy]).then(([f, l]) => {
        if (!f.ok && NO_RECORDS.has(f.code)) targets(l);
      });
      return cancel;
    },
    cancelAll() {
      for (const cancel of [...pending]) cancel();
    },
  };
}
