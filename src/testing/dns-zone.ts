// Pure answer logic of the lab DNS server: zone validation, lookup, CNAME chains, NXDOMAIN vs NODATA, SOA.

import { isIP } from 'node:net';
import type { Answer, SoaAnswer } from 'dns-packet';
import { MatrixDelegationError } from '../errors.js';
import type { LabNameSpec, LabZones } from './types.js';

/** DNS response codes the lab uses (RFC 1035 §4.1.1). */
export const DNS_RCODE = {
  NOERROR: 0,
  FORMERR: 1,
  SERVFAIL: 2,
  NXDOMAIN: 3,
  NOTIMP: 4,
} as const;

/** One of {@link DNS_RCODE}'s values. */
export type DnsRcode = (typeof DNS_RCODE)[keyof typeof DNS_RCODE];

/** TTL of every record whose name spec sets none (seconds). */
export const DEFAULT_LAB_TTL = 300;

/** The SOA minimum (and SOA TTL) of negative answers: clients negative-cache for this long (RFC 2308 §5). */
export const LAB_NEGATIVE_TTL = 60;

/** How many CNAMEs one answer follows before it stops (a loop stops earlier, when a name repeats). */
export const MAX_CNAME_CHAIN = 8;

/** A zone table keyed by normalized name (lowercase, no trailing dot). */
export type LabZoneTable = ReadonlyMap<string, LabNameSpec>;

/** Maps a lab host key found in A/AAAA to an address of the given family; throws for unknown keys. */
export type HostRefResolver = (ref: string, family: 4 | 6) => string;

/** What the zone says for one question: the rcode and the answer and authority sections. */
export interface ZoneAnswer {
  readonly rcode: DnsRcode;
  readonly answers: readonly Answer[];
  readonly authorities: readonly Answer[];
  /** Why the answer is SERVFAIL when the zone data itself was unusable (an unknown host key, ...). */
  readonly error?: string;
}

/**
 * Lowercases a DNS name and drops one trailing dot, so `Example.COM.` and `example.com` are the same key.
 * The root name (`.` or empty) becomes the empty string.
 *
 * @example
 * ```ts
 * normalizeDnsName('_Matrix-Fed._TCP.Example.com.') // '_matrix-fed._tcp.example.com'
 * ```
 */
export function normalizeDnsName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/** Name as it goes on the wire through dns-packet: without a trailing dot, and `.` for the root. */
function wireName(name: string): string {
  const stripped = name.endsWith('.') ? name.slice(0, -1) : name;
  // dns-packet miscounts the length of an empty name; '.' is its spelling of the root label.
  return stripped === '' ? '.' : stripped;
}

function invalid(message: string, detail: Record<string, unknown>): MatrixDelegationError {
  return new MatrixDelegationError('INVALID_ARGUMENT', message, { detail });
}

/** Throws INVALID_ARGUMENT unless `name` is a usable DNS name (labels of 1..63 bytes, at most 253 bytes). */
function assertDnsName(name: string, what: string): void {
  const normalized = normalizeDnsName(name);
  // RFC 1035 §2.3.4: 63 octets per label, 255 octets on the wire (253 in text form).
  const tooLong = Buffer.byteLength(normalized) > 253;
  const badLabel = normalized.split('.').some((label) => label.length === 0 || Buffer.byteLength(label) > 63);
  if (normalized === '' || tooLong || badLabel) {
    throw invalid(`Lab DNS: ${what} is not a valid DNS name: ${JSON.stringify(name)}`, { name });
  }
}

function assertUint(value: number, max: number, what: string, name: string): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw invalid(`Lab DNS: ${what} of ${name} must be an integer from 0 to ${max}, got ${value}`, { name, value });
  }
}

/**
 * Checks one name and its spec before the server uses them, so a typo in a test's zone fails loudly at
 * start-up instead of as a confusing SERVFAIL. Host keys in A/AAAA cannot be checked here (the lab may
 * create the hosts later); they are resolved per query.
 *
 * @throws MatrixDelegationError `INVALID_ARGUMENT` for a bad name, TTL, SRV field or address literal.
 */
export function validateLabName(name: string, spec: LabNameSpec): void {
  assertDnsName(name, 'zone name');
  if (spec.ttl !== undefined) assertUint(spec.ttl, 0x7fffffff, 'ttl', name);
  if (spec.delayMs !== undefined && !(Number.isFinite(spec.delayMs) && spec.delayMs >= 0)) {
    throw invalid(`Lab DNS: delayMs of ${name} must be a non-negative number`, { name, delayMs: spec.delayMs });
  }
  for (const [type, family] of [
    ['A', 4],
    ['AAAA', 6],
  ] as const) {
    for (const value of spec[type] ?? []) {
      const literalFamily = isIP(value);
      if (value.length === 0 || (literalFamily !== 0 && literalFamily !== family)) {
        const shown = JSON.stringify(value);
        throw invalid(`Lab DNS: ${type} of ${name} holds ${shown}, not an IPv${family} address or host key`, {
          name,
          value,
        });
      }
    }
  }
  if (spec.CNAME !== undefined) assertDnsName(spec.CNAME, `CNAME target of ${name}`);
  for (const srv of spec.SRV ?? []) {
    assertUint(srv.priority, 0xffff, 'SRV priority', name);
    assertUint(srv.weight, 0xffff, 'SRV weight', name);
    assertUint(srv.port, 0xffff, 'SRV port', name);
    if (srv.target !== '.') assertDnsName(srv.target, `SRV target of ${name}`);
  }
}

/**
 * Validates and normalizes a {@link LabZones} object into a mutable table keyed by normalized name.
 *
 * @throws MatrixDelegationError `INVALID_ARGUMENT` for invalid data or two keys naming the same name.
 */
export function buildZoneTable(zones: LabZones): Map<string, LabNameSpec> {
  const table = new Map<string, LabNameSpec>();
  for (const [name, spec] of Object.entries(zones)) {
    validateLabName(name, spec);
    const key = normalizeDnsName(name);
    if (table.has(key)) throw invalid(`Lab DNS: the zones name ${key} twice`, { name: key });
    table.set(key, spec);
  }
  return table;
}

/**
 * True when `name` (normalized) exists: it has a spec, or it is an ancestor of a name that has one (an
 * "empty non-terminal" such as `_tcp.example.com`, RFC 8020 §2: NXDOMAIN would wrongly deny the subtree).
 */
export function labNameExists(table: LabZoneTable, name: string): boolean {
  if (table.has(name)) return true;
  if (name === '') return table.size > 0;
  const suffix = `.${name}`;
  for (const key of table.keys()) if (key.endsWith(suffix)) return true;
  return false;
}

/**
 * The SOA placed in the authority section of negative answers so clients can cache them (RFC 2308 §3).
 * The lab has no real zone cuts; the apex is the last two labels of the name, which is an ancestor of it.
 */
export function labSoaRecord(name: string): SoaAnswer {
  const labels = normalizeDnsName(name)
    .split('.')
    .filter((label) => label !== '');
  const apex = labels.slice(-2).join('.');
  return {
    type: 'SOA',
    name: wireName(apex),
    ttl: LAB_NEGATIVE_TTL,
    data: {
      mname: 'ns.lab-dns.invalid',
      rname: 'hostmaster.lab-dns.invalid',
      serial: 1,
      refresh: 3600,
      retry: 600,
      expire: 86400,
      minimum: LAB_NEGATIVE_TTL,
    },
  };
}

function addresses(values: readonly string[], family: 4 | 6, resolveHostRef: HostRefResolver | undefined): string[] {
  return values.map((value) => {
    if (isIP(value) === family) return value;
    if (resolveHostRef === undefined) throw new Error(`host key ${JSON.stringify(value)} but no resolveHostRef`);
    const resolved = resolveHostRef(value, family);
    if (isIP(resolved) !== family) {
      throw new Error(`host key ${JSON.stringify(value)} resolved to ${JSON.stringify(resolved)}, not IPv${family}`);
    }
    return resolved;
  });
}

/** Splits a TXT string into the <=255-byte character-strings one TXT record carries (RFC 1035 §3.3.14). */
function txtChunks(text: string): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length === 0) return [bytes];
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += 255) chunks.push(bytes.subarray(offset, offset + 255));
  return chunks;
}

/** The records of `type` that `spec` holds, with `owner` as their owner name. */
function recordsOf(
  spec: LabNameSpec,
  type: string,
  owner: string,
  resolveHostRef: HostRefResolver | undefined,
): Answer[] {
  const ttl = spec.ttl ?? DEFAULT_LAB_TTL;
  const name = wireName(owner);
  switch (type) {
    case 'A':
      return addresses(spec.A ?? [], 4, resolveHostRef).map((data) => ({ type: 'A', name, ttl, data }));
    case 'AAAA':
      return addresses(spec.AAAA ?? [], 6, resolveHostRef).map((data) => ({ type: 'AAAA', name, ttl, data }));
    case 'CNAME':
      return spec.CNAME === undefined ? [] : [{ type: 'CNAME', name, ttl, data: wireName(spec.CNAME) }];
    case 'SRV':
      return (spec.SRV ?? []).map((srv) => ({
        type: 'SRV',
        name,
        ttl,
        // '.' must stay the root label on the wire: "no service at this name" (RFC 2782).
        data: { priority: srv.priority, weight: srv.weight, port: srv.port, target: wireName(srv.target) },
      }));
    case 'TXT':
      return (spec.TXT ?? []).map((text) => ({ type: 'TXT', name, ttl, data: txtChunks(text) }));
    default:
      return [];
  }
}

/**
 * Answers one question from the zone table, as an authoritative server would.
 *
 * - A CNAME at the name is answered (unless the question is for CNAME itself) and followed while its
 *   target is in the zones, up to {@link MAX_CNAME_CHAIN} hops; a loop stops at the first repeated name.
 * - The rcode of a chain is that of its last name (RFC 6604 §3): a target that does not exist gives
 *   NXDOMAIN with the chain in the answer, which is what a client behind a recursive resolver would see.
 * - NXDOMAIN and NODATA carry an SOA in the authority section (RFC 2308).
 * - Owner names keep the case the question used.
 * - Zone data that cannot be answered (an unknown host key) gives SERVFAIL with `error` set.
 *
 * @example
 * ```ts
 * const table = buildZoneTable({ 'example.com': { A: ['127.0.0.1'] } });
 * answerQuestion(table, 'Example.com', 'A').answers;
 * // [{ type: 'A', name: 'Example.com', ttl: 300, data: '127.0.0.1' }]
 * ```
 */
export function answerQuestion(
  table: LabZoneTable,
  qname: string,
  qtype: string,
  resolveHostRef?: HostRefResolver,
): ZoneAnswer {
  const chain: Answer[] = [];
  const visited = new Set<string>();
  let owner = qname;
  let key = normalizeDnsName(qname);
  try {
    for (;;) {
      const spec = table.get(key);
      if (spec === undefined) {
        const rcode = labNameExists(table, key) ? DNS_RCODE.NOERROR : DNS_RCODE.NXDOMAIN;
        return { rcode, answers: chain, authorities: [labSoaRecord(key)] };
      }
      if (spec.CNAME !== undefined && qtype !== 'CNAME') {
        chain.push(...recordsOf(spec, 'CNAME', owner, resolveHostRef));
        visited.add(key);
        const next = normalizeDnsName(spec.CNAME);
        // A loop or an over-long chain: answer with the chain so far and let the client judge it.
        if (visited.has(next) || chain.length >= MAX_CNAME_CHAIN) {
          return { rcode: DNS_RCODE.NOERROR, answers: chain, authorities: [] };
        }
        owner = spec.CNAME;
        key = next;
        continue;
      }
      const records = recordsOf(spec, qtype, owner, resolveHostRef);
      if (records.length === 0) {
        return { rcode: DNS_RCODE.NOERROR, answers: chain, authorities: [labSoaRecord(key)] };
      }
      return { rcode: DNS_RCODE.NOERROR, answers: [...chain, ...records], authorities: [] };
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { rcode: DNS_RCODE.SERVFAIL, answers: [], authorities: [], error: `${key}: ${message}` };
  }
}
