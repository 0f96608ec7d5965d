// The address policy: which IP addresses may be contacted (deny ranges, allow-list overrides, embedded IPv4 forms).

import { createRequire } from 'node:module';
import type * as IpAddr from 'ipaddr.js';
import { MatrixDelegationError } from '../errors.js';
import { ADDRESS_POLICY_EN as SAY, type RangeNameKey } from './address-policy-texts.js';
import type { AddressPolicy, AddressVerdict } from './types.js';

// ipaddr.js is CommonJS with an `export =` declaration: Node's ESM loader exposes it only as a default export,
// which this project's compiler settings (no esModuleInterop) cannot type, so it is loaded through require.
const ipaddr = createRequire(import.meta.url)('ipaddr.js') as typeof IpAddr;

/**
 * The ranges denied by default: Synapse's default `ip_range_blacklist` (ground-truth §2 "Where traffic may go").
 * The unspecified addresses `0.0.0.0` and `::` are not listed here because they are always denied, see
 * {@link createAddressPolicy}.
 */
export const DEFAULT_DENY_NETWORKS: readonly string[] = Object.freeze([
  '127.0.0.0/8',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '192.0.0.0/24',
  '169.254.0.0/16',
  '192.88.99.0/24',
  '198.18.0.0/15',
  '192.0.2.0/24',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '::1/128',
  'fe80::/10',
  'fc00::/7',
  '2001:db8::/32',
  'ff00::/8',
  'fec0::/10',
]);

/** Plain-words names of well-known special-purpose ranges, keyed by normalised CIDR (their words: address-policy-texts.ts). */
const RANGE_NAMES: Readonly<Record<string, RangeNameKey>> = {
  '0.0.0.0/8': 'range.thisNetwork',
  '127.0.0.0/8': 'range.loopback',
  '10.0.0.0/8': 'range.private',
  '172.16.0.0/12': 'range.private',
  '192.168.0.0/16': 'range.private',
  '100.64.0.0/10': 'range.cgnat',
  '192.0.0.0/24': 'range.ietf',
  '169.254.0.0/16': 'range.linkLocal',
  '192.88.99.0/24': 'range.relay6to4',
  '198.18.0.0/15': 'range.benchmarking',
  '192.0.2.0/24': 'range.testNet1',
  '198.51.100.0/24': 'range.testNet2',
  '203.0.113.0/24': 'range.testNet3',
  '224.0.0.0/4': 'range.multicast',
  '240.0.0.0/4': 'range.reserved',
  '::1/128': 'range.ipv6Loopback',
  'fe80::/10': 'range.ipv6LinkLocal',
  'fc00::/7': 'range.ipv6UniqueLocal',
  '2001:db8::/32': 'range.ipv6Documentation',
  'ff00::/8': 'range.ipv6Multicast',
  'fec0::/10': 'range.ipv6SiteLocal',
  '64:ff9b::/96': 'range.nat64',
  '2002::/16': 'range.6to4',
  '::ffff:0:0/96': 'range.ipv4Mapped',
};

/** Options of {@link createAddressPolicy}. */
export interface AddressPolicyOptions {
  /**
   * Ranges to deny, as CIDRs (`10.0.0.0/8`, `fc00::/7`) or single addresses. Replaces
   * {@link DEFAULT_DENY_NETWORKS} when given, like Synapse's `ip_range_blacklist`; to extend the defaults
   * pass `[...DEFAULT_DENY_NETWORKS, 'extra/cidr']`. Default: {@link DEFAULT_DENY_NETWORKS}.
   */
  readonly denyNetworks?: readonly string[];
  /**
   * Ranges that override the deny list (Synapse's `ip_range_whitelist`), e.g. `['127.0.0.0/8']` to reach
   * loopback test servers. An IPv4 entry also permits that address's IPv6 forms. Default: none.
   */
  readonly allowNetworks?: readonly string[];
}

type Address = IpAddr.IPv4 | IpAddr.IPv6;

interface Network {
  /** Normalised text, e.g. `10.0.0.0/8`. */
  readonly cidr: string;
  readonly range: [Address, number];
  readonly name: string | undefined;
}

/** One way of reading an address: itself, or the IPv4 address embedded in an IPv6 one. */
interface AddressForm {
  readonly address: Address;
  /** How the IPv4 address is embedded (`IPv4-mapped`, ...), or null for the address itself. */
  readonly via: string | null;
}

/**
 * Parses an IP literal strictly (dotted-quad IPv4 only: `127.1` and `0x7f.0.0.1` are refused, as they are
 * not what DNS answers or server names contain). Returns null for anything else.
 */
function parseAddress(text: string): Address | null {
  const bare = text.includes('%') ? text.slice(0, text.indexOf('%')) : text;
  const family = process.getBuiltinModule('node:net').isIP(bare);
  if (family === 4) return ipaddr.IPv4.parse(bare);
  if (family !== 6) return null;
  // ipaddr.js 2 reads `::a.b.c.d` (IPv4-compatible) as `::ffff:a.b.c.d` (IPv4-mapped); the WHATWG URL parser
  // rewrites the address into pure hex groups exactly, which ipaddr.js then reads correctly.
  const canonical = new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  return ipaddr.IPv6.parse(canonical);
}

/**
 * Networks already parsed, by their text: every resolution builds its policy (the default deny list is 20-odd
 * networks), and parsing them all again cost about 0.2 ms per resolution. Bounded: a caller inventing networks
 * cannot grow it without limit.
 */
const parsedNetworks = new Map<string, Network>();
const MAX_PARSED_NETWORKS = 1024;

function parseNetwork(text: string): Network {
  const known = parsedNetworks.get(text);
  if (known !== undefined) return known;
  const network = parseNetworkText(text);
  if (parsedNetworks.size >= MAX_PARSED_NETWORKS) parsedNetworks.clear();
  parsedNetworks.set(text, network);
  return network;
}

function parseNetworkText(text: string): Network {
  const invalid = (why: string): MatrixDelegationError =>
    new MatrixDelegationError('INVALID_CIDR', `"${text}" is not a valid network: ${why}`, { detail: { cidr: text } });
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const addressText = slash === -1 ? trimmed : trimmed.slice(0, slash);
  if (addressText.includes('%')) throw invalid('a network cannot carry a zone id');
  const address = parseAddress(addressText);
  if (address === null) throw invalid(`"${addressText}" is not an IPv4 or IPv6 address`);
  const maxBits = address.kind() === 'ipv4' ? 32 : 128;
  let bits = maxBits;
  if (slash !== -1) {
    const prefixText = trimmed.slice(slash + 1);
    if (!/^\d{1,3}$/.test(prefixText)) throw invalid(`the prefix length "${prefixText}" is not a number`);
    bits = Number(prefixText);
    if (bits > maxBits) throw invalid(`the prefix length ${bits} is longer than ${maxBits} bits`);
  }
  // Host bits are tolerated and cleared (`10.1.2.3/8` means `10.0.0.0/8`), as Synapse's netaddr does.
  const network = networkAddress(address, bits);
  const cidr = `${network.toString()}/${bits}`;
  const nameKey = RANGE_NAMES[cidr];
  return { cidr, range: [network, bits], name: nameKey === undefined ? undefined : SAY[nameKey] };
}

function networkAddress(address: Address, bits: number): Address {
  const bytes = address.toByteArray();
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    bytes[i] = (bytes[i] ?? 0) & ((0xff << (8 - keep)) & 0xff);
  }
  return ipaddr.fromByteArray(bytes);
}

function ipv4FromBytes(bytes: readonly number[], start: number): IpAddr.IPv4 {
  return new ipaddr.IPv4([bytes[start] ?? 0, bytes[start + 1] ?? 0, bytes[start + 2] ?? 0, bytes[start + 3] ?? 0]);
}

function allZero(bytes: readonly number[], from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (bytes[i] !== 0) return false;
  return true;
}

/**
 * The address and every IPv4 address it embeds. An IPv6 address that carries an IPv4 one reaches (or, for
 * 6to4 and NAT64, is relayed to) that IPv4 host, so a denied IPv4 range must be denied in these forms too:
 * - IPv4-mapped `::ffff:a.b.c.d` (RFC 4291 §2.5.5.2), what dual-stack sockets use for IPv4 peers;
 * - IPv4-compatible `::a.b.c.d` (deprecated, RFC 4291 §2.5.5.1), except `::` and `::1`, which are their own things;
 * - 6to4 `2002:AABB:CCDD::/48` (RFC 3056);
 * - NAT64 well-known prefix `64:ff9b::/96` (RFC 6052): not in Synapse's list, but a NAT64 gateway forwards to the
 *   embedded IPv4 address, which is exactly the bypass the other forms guard against.
 */
function formsOf(address: Address): AddressForm[] {
  const forms: AddressForm[] = [{ address, via: null }];
  if (address.kind() !== 'ipv6') return forms;
  const bytes = address.toByteArray();
  if (allZero(bytes, 0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) {
    forms.push({ address: ipv4FromBytes(bytes, 12), via: 'IPv4-mapped' });
  } else if (allZero(bytes, 0, 12) && !(allZero(bytes, 12, 15) && (bytes[15] ?? 0) <= 1)) {
    forms.push({ address: ipv4FromBytes(bytes, 12), via: 'IPv4-compatible' });
  } else if (bytes[0] === 0x20 && bytes[1] === 0x02) {
    forms.push({ address: ipv4FromBytes(bytes, 2), via: '6to4' });
  } else if (
    bytes[0] === 0x00 &&
    bytes[1] === 0x64 &&
    bytes[2] === 0xff &&
    bytes[3] === 0x9b &&
    allZero(bytes, 4, 12)
  ) {
    forms.push({ address: ipv4FromBytes(bytes, 12), via: 'NAT64' });
  }
  return forms;
}

function isUnspecified(address: Address): boolean {
  return address.toByteArray().every((b: number) => b === 0);
}

const defaultDeny: { ipv4?: readonly Network[]; ipv6?: readonly Network[] } = {};

/** The default deny list's networks of one family, in list order (parsed on first use, see createAddressPolicy). */
function defaultDenyNetworks(kind: 'ipv4' | 'ipv6'): readonly Network[] {
  return (defaultDeny[kind] ??= DEFAULT_DENY_NETWORKS.filter((text) => text.includes(':') === (kind === 'ipv6')).map(
    parseNetwork,
  ));
}

function findNetwork(networks: readonly Network[], address: Address): Network | undefined {
  return networks.find((n) => n.range[0].kind() === address.kind() && address.match(n.range));
}

function describe(network: Network): string {
  return network.name === undefined ? network.cidr : SAY.named({ cidr: network.cidr, name: network.name });
}

/** "127.0.0.1" or "::ffff:127.0.0.1 (the IPv4-mapped form of 127.0.0.1)". */
function subject(ip: string, form: AddressForm): string {
  return form.via === null ? ip : SAY.embedded({ ip, via: form.via, embedded: form.address.toString() });
}

/**
 * Builds the policy that decides which addresses may be contacted. Apply it to the address actually dialled,
 * after DNS, so that DNS rebinding cannot bypass it (ground-truth §2 "Where traffic may go").
 *
 * Rules, in order:
 * 1. Text that is not a strict IP literal is denied.
 * 2. The unspecified addresses `0.0.0.0` and `::` (and any IPv6 form embedding `0.0.0.0`) are always denied, even
 *    when an allow-list entry covers them: dialling them reaches this machine itself on Linux, and Synapse
 *    always denies them too.
 * 3. The address is denied when it, or the IPv4 address it embeds (IPv4-mapped, IPv4-compatible, 6to4, NAT64),
 *    is in a deny range, unless the address or its embedded IPv4 address is in an allow range.
 * 4. Everything else is allowed.
 *
 * @throws MatrixDelegationError `INVALID_CIDR` naming the first malformed entry of either list.
 *
 * @example
 * ```ts
 * const policy = createAddressPolicy();
 * policy.check('::ffff:10.1.2.3').allowed; // false: the IPv4-mapped form of a private address
 * createAddressPolicy({ allowNetworks: ['127.0.0.0/8'] }).check('127.0.0.2').allowed; // true
 * ```
 */
export function createAddressPolicy(options: AddressPolicyOptions = {}): AddressPolicy {
  const usingDefaults = options.denyNetworks === undefined;
  // A given list is parsed now, so that a bad entry throws here. The default list is known to parse: its networks of
  // one family are parsed when an address of that family is first checked (Node's IPv6 syntax check costs about 4 ms
  // on its first calls in a process, which a process that never checks an IPv6 address need not pay).
  const given = options.denyNetworks?.map(parseNetwork);
  const deny = (family: Address): readonly Network[] => given ?? defaultDenyNetworks(family.kind());
  const allow = (options.allowNetworks ?? []).map(parseNetwork);

  function check(ip: string): AddressVerdict {
    const address = parseAddress(ip);
    if (address === null) {
      return {
        allowed: false,
        range: null,
        reason: SAY.notAnAddress({ ip }),
      };
    }
    const forms = formsOf(address);
    const unspecified = forms.find((f) => isUnspecified(f.address));
    if (unspecified !== undefined) {
      const range = unspecified.address.kind() === 'ipv4' ? '0.0.0.0/32' : '::/128';
      return {
        allowed: false,
        range,
        reason: SAY.unspecified({ subject: subject(ip, unspecified) }),
      };
    }
    let denied: { form: AddressForm; network: Network } | undefined;
    for (const form of forms) {
      const network = findNetwork(deny(form.address), form.address);
      if (network !== undefined) {
        denied = { form, network };
        break;
      }
    }
    if (denied === undefined) {
      return { allowed: true, range: null, reason: SAY.notDenied({ ip }) };
    }
    const said = { subject: subject(ip, denied.form), network: describe(denied.network) };
    for (const form of forms) {
      const network = findNetwork(allow, form.address);
      if (network !== undefined) {
        return {
          allowed: true,
          range: network.cidr,
          reason: (usingDefaults ? SAY.allowedOverDefault : SAY.allowedOverList)({ ...said, allow: network.cidr }),
        };
      }
    }
    return {
      allowed: false,
      range: denied.network.cidr,
      reason: (usingDefaults ? SAY.deniedByDefault : SAY.deniedByList)(said),
    };
  }

  return { check };
}
