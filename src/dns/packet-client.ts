// The DNS client the resolver uses: a stub resolver over real packets that keeps TTLs, CNAME chains and rcodes.

import type { Answer, StringAnswer } from 'dns-packet';
import { MatrixDelegationError } from '../errors.js';
import { DNS_ERROR_EN as SAY } from './dns-error-texts.js';
import { onAbort } from '../net/abort.js';
import { timeoutOption } from '../options/validate.js';
import { loadResolvConf, systemDnsServers } from './resolv-conf.js';
import { formatDnsServer, parseDnsServer } from './server-address.js';
import type { DnsServerAddress } from './server-address.js';
import { createExchangeStop, exchange, normalizeDnsName } from './transport.js';
import type { DnsResponse, QueryType } from './transport.js';
import type { DnsAnswer, DnsFailureCode, DnsResolver, DnsQueryOptions, SrvRecord } from './types.js';

/** Options of {@link createDnsClient}; every field is optional. */
export interface DnsClientOptions {
  /**
   * Servers to ask, in order: `IP`, `IP:PORT` or `[IPv6]:PORT` (port 53 by default).
   * Default: the `nameserver` lines of /etc/resolv.conf, or 127.0.0.1 when it names none.
   */
  readonly servers?: readonly string[];
  /** Time budget of one question (one name and type), all servers and attempts included. Default 2000. */
  readonly timeoutMs?: number;
  /** How many times each server is asked before giving up. Default 2. */
  readonly attempts?: number;
  /** Most CNAMEs followed for one question before answering DNS_CNAME_LOOP. Default 8. */
  readonly maxCnameHops?: number;
}

/** The defaults of {@link DnsClientOptions}. */
export const DNS_CLIENT_DEFAULTS = { timeoutMs: 2000, attempts: 2, maxCnameHops: 8 } as const;

/** Longest name in presentation form without the trailing dot (255 octets on the wire, RFC 1035 2.3.4). */
const MAX_NAME_LENGTH = 253;
const MAX_LABEL_LENGTH = 63;

/**
 * Creates the DNS client: a small stub resolver that sends real queries (UDP, then TCP when truncated) to
 * recursive servers. Unlike Node's resolver it reports SRV TTLs, the CNAME chain followed, and tells
 * NXDOMAIN, NODATA (with the SOA negative-caching TTL, RFC 2308 section 5), SERVFAIL and timeouts apart,
 * which the resolver's trace and cache need.
 *
 * Queries never throw for remote faults: every outcome is a {@link DnsAnswer}. The time budget
 * (`timeoutMs`) covers one question: the tries (each server, `attempts` times, in order) are started one
 * slot of `timeoutMs / tries` apart, or at once when every earlier try has failed; an earlier try stays
 * open until the budget ends, so a slow answer from the first server still counts. The first answer that
 * settles the question (NOERROR or NXDOMAIN) wins; SERVFAIL, REFUSED and network errors move on to the
 * next try. Aborting `options.signal` answers DNS_TIMEOUT at once.
 *
 * @throws MatrixDelegationError `INVALID_ARGUMENT` for a malformed server string or option.
 * @example
 * ```ts
 * const dns = createDnsClient({ servers: ['127.0.0.1:5353'], timeoutMs: 1000 });
 * const srv = await dns.resolveSrv('_matrix-fed._tcp.example.org');
 * if (srv.ok) console.log(srv.records, srv.ttlSeconds);
 * else console.log(srv.code); // 'DNS_NXDOMAIN', 'DNS_NODATA', 'DNS_SERVFAIL', ...
 * ```
 */
export function createDnsClient(options: DnsClientOptions = {}): DnsResolver {
  // A whole number of ms a timer can wait (1e12 would overflow Node's timers into a 1 ms wait).
  const timeoutMs = timeoutOption('timeoutMs', options.timeoutMs, DNS_CLIENT_DEFAULTS.timeoutMs);
  const attempts = checkNumber('attempts', options.attempts ?? DNS_CLIENT_DEFAULTS.attempts, 1, true);
  const maxCnameHops = checkNumber('maxCnameHops', options.maxCnameHops ?? DNS_CLIENT_DEFAULTS.maxCnameHops, 0, true);
  let servers: Promise<readonly DnsServerAddress[]> | undefined;
  if (options.servers !== undefined) {
    if (!Array.isArray(options.servers) || options.servers.length === 0) {
      throw new MatrixDelegationError('INVALID_ARGUMENT', 'servers must be a non-empty list of DNS server addresses', {
        detail: { value: options.servers },
      });
    }
    servers = Promise.resolve(options.servers.map(parseDnsServer));
  }
  // resolv.conf is read on the first question, once: creating a client does no I/O.
  const getServers = (): Promise<readonly DnsServerAddress[]> =>
    (servers ??= loadResolvConf().then((conf) => systemDnsServers(conf).map(parseDnsServer)));

  const settings: LookupSettings = { getServers, timeoutMs, attempts, maxCnameHops };
  return {
    resolve4: (name, queryOptions) =>
      lookup(
        settings,
        name,
        'A',
        extractAddress((a) => process.getBuiltinModule('node:net').isIPv4(a)),
        queryOptions,
      ),
    resolve6: (name, queryOptions) =>
      lookup(
        settings,
        name,
        'AAAA',
        extractAddress((a) => process.getBuiltinModule('node:net').isIPv6(a)),
        queryOptions,
      ),
    resolveSrv: (name, queryOptions) => lookup(settings, name, 'SRV', extractSrv, queryOptions),
  };
}

interface LookupSettings {
  readonly getServers: () => Promise<readonly DnsServerAddress[]>;
  readonly timeoutMs: number;
  readonly attempts: number;
  readonly maxCnameHops: number;
}

/** Turns one answer record of the asked type into a result value; throws {@link MalformedRecord}. */
type RecordExtractor<T> = (record: Answer) => T;

class MalformedRecord extends Error {}

/** Asks one question, following CNAMEs across queries when the server did not resolve the target. */
async function lookup<T>(
  settings: LookupSettings,
  rawName: string,
  type: QueryType,
  extract: RecordExtractor<T>,
  options: DnsQueryOptions | undefined,
): Promise<DnsAnswer<T>> {
  const chain: string[] = [];
  const fail = (code: DnsFailureCode, message: string, ttlSeconds?: number): DnsAnswer<T> =>
    ttlSeconds === undefined
      ? { ok: false, code, message, cnameChain: [...chain] }
      : { ok: false, code, message, cnameChain: [...chain], ttlSeconds };

  const invalid = checkQueryName(rawName);
  if (invalid !== undefined) return fail('DNS_ERROR', invalid);
  let name = normalizeDnsName(rawName);
  const seen = new Set([name]);
  let chainTtl = Number.POSITIVE_INFINITY;
  let servers: readonly DnsServerAddress[];
  try {
    servers = await settings.getServers();
  } catch (error) {
    return fail('DNS_ERROR', SAY.noServer({ system: (error as Error).message }));
  }

  while (true) {
    const asked = await askServers(settings, servers, name, type, options?.signal);
    if (!asked.ok) return fail(asked.code, asked.message);
    const { packet } = asked;
    const answers = (packet.answers ?? []).filter((record) =>
      record.type === 'OPT' ? false : (record.class ?? 'IN') === 'IN',
    );

    // Walk the answer from the asked name: only records reachable through the CNAME chain are believed,
    // whatever else the server put in the section.
    let owner = name;
    let matching: Answer[] = [];
    let followedHere = false;
    while (true) {
      matching = answers.filter((record) => record.type === type && normalizeDnsName(record.name) === owner);
      if (matching.length > 0) break;
      const cname = answers.find(
        (record): record is StringAnswer => record.type === 'CNAME' && normalizeDnsName(record.name) === owner,
      );
      if (cname === undefined || typeof cname.data !== 'string') break;
      const target = normalizeDnsName(cname.data);
      if (seen.has(target)) return fail('DNS_CNAME_LOOP', SAY.cnameLoop({ name: owner, target }));
      if (chain.length >= settings.maxCnameHops) {
        return fail(
          'DNS_CNAME_LOOP',
          SAY.cnameTooLong({ name: normalizeDnsName(rawName), max: settings.maxCnameHops }),
        );
      }
      seen.add(target);
      chain.push(target);
      chainTtl = Math.min(chainTtl, recordTtl(cname));
      owner = target;
      followedHere = true;
    }

    // RFC 6604: with a CNAME chain, the rcode describes the last name of the chain.
    if (packet.rcode === 'NXDOMAIN') {
      return fail('DNS_NXDOMAIN', SAY.nxdomain({ name: owner }), negativeTtl(packet));
    }
    if (matching.length > 0) {
      let records: T[];
      try {
        records = matching.map(extract);
      } catch (error) {
        return fail('DNS_ERROR', SAY.malformedRecord({ rrtype: type, name: owner, inner: (error as Error).message }));
      }
      const ttlSeconds = Math.min(chainTtl, ...matching.map(recordTtl));
      return { ok: true, records, cnameChain: [...chain], ttlSeconds };
    }
    // The answer ends at an alias whose target it does not resolve: ask for the target ourselves.
    if (followedHere) {
      name = owner;
      continue;
    }
    if (isReferral(packet)) {
      return fail('DNS_ERROR', SAY.referral({ name: owner, rrtype: type }));
    }
    return fail('DNS_NODATA', SAY.nodata({ name: owner, rrtype: type }), negativeTtl(packet));
  }
}

type AskResult =
  | { readonly ok: true; readonly packet: DnsResponse }
  | { readonly ok: false; readonly code: DnsFailureCode; readonly message: string };

/**
 * Asks the servers one question until one settles it (NOERROR or NXDOMAIN), within the time budget.
 * Failures are ranked so the most telling one is reported: an answer (SERVFAIL, REFUSED) over a network
 * or decoding error over a timeout.
 */
function askServers(
  settings: LookupSettings,
  servers: readonly DnsServerAddress[],
  name: string,
  type: QueryType,
  signal: AbortSignal | undefined,
): Promise<AskResult> {
  const aborted: AskResult = { ok: false, code: 'DNS_TIMEOUT', message: SAY.aborted({ name, rrtype: type }) };
  if (signal?.aborted === true) return Promise.resolve(aborted);
  const tries: DnsServerAddress[] = [];
  for (let attempt = 0; attempt < settings.attempts; attempt += 1) tries.push(...servers);
  const slotMs = Math.max(1, Math.floor(settings.timeoutMs / tries.length));
  const deadline = Date.now() + settings.timeoutMs;
  // Ends the tries still out once the question is settled.
  const stopper = createExchangeStop();

  return new Promise((resolve) => {
    let launched = 0;
    let settled = 0;
    let finished = false;
    let best: { rank: number; result: AskResult } = {
      rank: 0,
      result: {
        ok: false,
        code: 'DNS_TIMEOUT',
        message: SAY.timeout({ name, rrtype: type, ms: settings.timeoutMs }),
      },
    };
    let slotTimer: NodeJS.Timeout | undefined;

    function finish(result: AskResult): void {
      if (finished) return;
      finished = true;
      clearTimeout(slotTimer);
      stopAbort?.();
      stopper.stop();
      resolve(result);
    }
    function note(rank: number, result: AskResult): void {
      if (rank >= best.rank) best = { rank, result };
    }
    function launchNext(): void {
      clearTimeout(slotTimer);
      const server = tries[launched];
      if (server === undefined) return;
      launched += 1;
      const where = formatDnsServer(server);
      void exchange({
        server,
        id: process.getBuiltinModule('node:crypto').randomInt(65_536),
        name,
        type,
        timeoutMs: Math.max(1, deadline - Date.now()),
        stop: stopper,
      }).then((outcome) => {
        settled += 1;
        if (finished) return;
        if (outcome.kind === 'response') {
          const rcode = outcome.packet.rcode ?? 'NOERROR';
          if (rcode === 'NOERROR' || rcode === 'NXDOMAIN') return finish({ ok: true, packet: outcome.packet });
          if (rcode === 'SERVFAIL') {
            note(3, { ok: false, code: 'DNS_SERVFAIL', message: SAY.servfail({ server: where, name, rrtype: type }) });
          } else {
            note(3, { ok: false, code: 'DNS_ERROR', message: SAY.rcode({ server: where, rcode, name, rrtype: type }) });
          }
        } else if (outcome.kind === 'error') {
          note(2, {
            ok: false,
            code: 'DNS_ERROR',
            message: SAY.serverFailed({ server: where, inner: outcome.message }),
          });
        }
        if (settled < launched) return;
        // Every try so far has failed: no reason to wait for the next slot.
        if (launched < tries.length) launchNext();
        else finish(best.result);
      });
      if (launched < tries.length) slotTimer = setTimeout(launchNext, slotMs);
    }

    // Fanned out (see onAbort): every question of a resolution (an SRV set's targets, AAAA and A) shares its signal.
    const stopAbort = signal === undefined ? undefined : onAbort(signal, () => finish(aborted));
    launchNext();
  });
}

/** Negative-caching TTL of an NXDOMAIN / NODATA answer: min(SOA TTL, SOA minimum) (RFC 2308 section 5). */
function negativeTtl(packet: DnsResponse): number | undefined {
  const soa = (packet.authorities ?? []).find((record) => record.type === 'SOA');
  if (soa === undefined || soa.type !== 'SOA') return undefined;
  const minimum = soa.data.minimum;
  return Math.min(recordTtl(soa), minimum === undefined ? Number.POSITIVE_INFINITY : clampTtl(minimum));
}

/** A non-recursive server answers with NS records in the authority section and no SOA (RFC 1034 4.3.1). */
function isReferral(packet: DnsResponse): boolean {
  const authorities = packet.authorities ?? [];
  return authorities.some((r) => r.type === 'NS') && !authorities.some((r) => r.type === 'SOA');
}

function recordTtl(record: Answer): number {
  return record.type === 'OPT' ? 0 : clampTtl(record.ttl ?? 0);
}

/** RFC 2181 section 8: a TTL with the most significant bit set is treated as zero. */
function clampTtl(ttl: number): number {
  return ttl > 0x7fff_ffff || ttl < 0 ? 0 : ttl;
}

function extractAddress(isValid: (text: string) => boolean): RecordExtractor<string> {
  return (record) => {
    if ((record.type !== 'A' && record.type !== 'AAAA') || typeof record.data !== 'string' || !isValid(record.data)) {
      throw new MalformedRecord(SAY.recordNotAddress);
    }
    return record.data;
  };
}

function extractSrv(record: Answer): SrvRecord {
  if (record.type !== 'SRV') throw new MalformedRecord(SAY.recordNotSrv);
  const { priority, weight, port, target } = record.data;
  if (typeof target !== 'string') throw new MalformedRecord(SAY.recordNoTarget);
  return {
    priority: priority ?? 0,
    weight: weight ?? 0,
    port,
    // The root target is dns-packet's "." (or "" from other encoders); RFC 2782 "service not available".
    target: target === '' ? '.' : normalizeDnsName(target),
  };
}

/** Why a name cannot be asked (undefined when it can): names come from remote servers too, so no throw. */
function checkQueryName(name: string): string | undefined {
  if (typeof name !== 'string') return 'the DNS name must be a string';
  const trimmed = name.endsWith('.') ? name.slice(0, -1) : name;
  if (trimmed.length === 0) return 'empty DNS name';
  if (trimmed.length > MAX_NAME_LENGTH) return `DNS name longer than ${MAX_NAME_LENGTH} characters`;
  // Printable ASCII only: internationalised names travel as punycode, and a backslash would be read as
  // an escape by some encoders.
  if (!/^[\x21-\x5b\x5d-\x7e]+$/.test(trimmed))
    return `DNS name ${JSON.stringify(name)} has characters that cannot be asked`;
  for (const label of trimmed.split('.')) {
    if (label.length === 0) return `DNS name ${JSON.stringify(name)} has an empty label`;
    if (label.length > MAX_LABEL_LENGTH)
      return `DNS name ${JSON.stringify(name)} has a label longer than ${MAX_LABEL_LENGTH}`;
  }
  return undefined;
}

function checkNumber(option: string, value: number, min: number, integer: boolean): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (integer && !Number.isInteger(value))) {
    throw new MatrixDelegationError(
      'INVALID_ARGUMENT',
      `${option} must be ${integer ? 'an integer' : 'a number'} >= ${min}`,
      {
        detail: { option, value },
      },
    );
  }
  return value;
}
