// Overlapping lookups: one answer per DNS question per resolution, and SRV chains asked ahead of the step that needs them.

import { createCoalescer } from '../cache/coalesce.js';
import type { DnsAnswer, DnsPort, DnsQueryOptions, SrvRecord } from '../dns/types.js';

/**
 * The DNS side of one resolution in overlapping mode. `dns` answers each question (name and type) once per
 * resolution: a question asked ahead by {@link Overlap.prefetchSrvChain} and asked again by the step that needs it
 * gets the same answer, so the spec's steps run exactly as written and only wait less.
 */
export interface Overlap {
  /** The DNS port the resolution (and its well-known fetch) uses. */
  readonly dns: DnsPort;
  /**
   * Asks, all at once and without waiting, what the SRV chain of `host` may need (steps 3.3-3.5 and 4-6):
   * SRV `_matrix-fed._tcp.<host>` and `_matrix._tcp.<host>`, AAAA/A of `<host>`, and AAAA/A of the SRV targets as
   * soon as they are known (those of `_matrix._tcp` only when `_matrix-fed._tcp` has none). The answers are only
   * used if the spec's sequence asks the same questions. Returns a function that cancels what is still pending.
   */
  prefetchSrvChain(host: string): () => void;
  /** Cancels every pending prefetch (the resolution is over). */
  cancelAll(): void;
}

const NO_RECORDS = new Set(['DNS_NXDOMAIN', 'DNS_NODATA']);

/**
 * Creates the overlapping-lookups helper of one resolution over `dns` (the cached port when there is a cache).
 *
 * A question in flight is shared: its query is cancelled only when every asker has given up (a cancelled
 * prefetch does not cancel a query that a step or the well-known fetch also waits for), and an answer obtained
 * after everyone gave up is not remembered, so a later asker gets a real one.
 */
export function createOverlap(dns: DnsPort): Overlap {
  const flights = createCoalescer<DnsAnswer<unknown>>();
  const answers = new Map<string, DnsAnswer<unknown>>();
  const pending = new Set<AbortController>();

  function ask<T>(type: 'A' | 'AAAA' | 'SRV', rawName: string, options: DnsQueryOptions | undefined, query: (o: DnsQueryOptions) => Promise<DnsAnswer<T>>): Promise<DnsAnswer<T>> {
    const key = `${type} ${rawName.toLowerCase().replace(/\.$/, '')}`;
    const known = answers.get(key);
    if (known !== undefined) return Promise.resolve(known as DnsAnswer<T>);
    return flights
      .run(
        key,
        async (signal) => {
          const answer = await query({ signal });
          if (!signal.aborted) answers.set(key, answer);
          return answer;
        },
        options?.signal,
      )
      .then(
        (answer) => answer as DnsAnswer<T>,
        (): DnsAnswer<T> => ({ ok: false, code: 'DNS_TIMEOUT', message: `DNS query for ${rawName} ${type} aborted`, cnameChain: [] }),
      );
  }

  const port: DnsPort = {
    resolve4: (name, o) => ask('A', name, o, (q) => dns.resolve4(name, q)),
    resolve6: (name, o) => ask('AAAA', name, o, (q) => dns.resolve6(name, q)),
    resolveSrv: (name, o) => ask<SrvRecord>('SRV', name, o, (q) => dns.resolveSrv(name, q)),
  };

  return {
    dns: port,
    prefetchSrvChain(host) {
      const controller = new AbortController();
      pending.add(controller);
      const options = { signal: controller.signal };
      const addresses = (name: string): void => {
        void port.resolve6(name, options);
        void port.resolve4(name, options);
      };
      const targets = (answer: DnsAnswer<SrvRecord>): void => {
        if (controller.signal.aborted || !answer.ok) return;
        for (const record of answer.records) if (record.target !== '.') addresses(record.target);
      };
      const fed = port.resolveSrv(`_matrix-fed._tcp.${host}`, options);
      const legacy = port.resolveSrv(`_matrix._tcp.${host}`, options);
      addresses(host);
      void fed.then(targets);
      // The legacy targets matter only when _matrix-fed._tcp has no records (spec step 3.4 / 5).
      void Promise.all([fed, legacy]).then(([f, l]) => {
        if (!f.ok && NO_RECORDS.has(f.code)) targets(l);
      });
      return () => {
        controller.abort(new Error('prefetch no longer needed'));
        pending.delete(controller);
      };
    },
    cancelAll() {
      for (const controller of pending) controller.abort(new Error('resolution finished'));
      pending.clear();
    },
  };
}
