// Reads the system's nameservers from resolv.conf: a pure parser over the file text and a small loader.

/** What the packet client takes from resolv.conf. */
export interface ResolvConf {
  /** The `nameserver` addresses, in file order, invalid ones skipped, at most {@link MAX_NAMESERVERS}. */
  readonly nameservers: readonly string[];
}

/** The usual location of the system resolver configuration. */
export const RESOLV_CONF_PATH = '/etc/resolv.conf';

/** glibc's MAXNS: the system resolver only ever uses the first three `nameserver` lines, so do we. */
export const MAX_NAMESERVERS = 3;

/** Used when resolv.conf names no server, as the system resolver does (resolv.conf(5)). */
export const FALLBACK_NAMESERVER = '127.0.0.1';

/**
 * Parses resolv.conf text. Only `nameserver` lines matter here: `search`, `domain` and `options` are about
 * relative names and retry policy, and the client only asks fully qualified names with its own timeouts.
 * Like glibc, `#` and `;` start a comment (at the start of a line or after the address), an address that
 * is not an IPv4 or IPv6 literal (an IPv6 zone id such as `%eth0` is allowed) is skipped, and only the first
 * {@link MAX_NAMESERVERS} servers count.
 *
 * @example
 * ```ts
 * parseResolvConf('nameserver 127.0.0.53\noptions edns0\n').nameservers; // ['127.0.0.53']
 * ```
 */
export function parseResolvConf(text: string): ResolvConf {
  const nameservers: string[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/[#;].*$/, '').trim();
    const [keyword, address] = line.split(/\s+/);
    if (keyword !== 'nameserver' || address === undefined) continue;
    const { isIPv4, isIPv6 } = process.getBuiltinModule('node:net');
    if (!isIPv4(address) && !isIPv6(address)) continue;
    if (nameservers.length < MAX_NAMESERVERS) nameservers.push(address);
  }
  return { nameservers };
}

/**
 * Reads and parses resolv.conf. A missing or unreadable file is treated as an empty one (no nameservers),
 * so that the caller falls back to {@link FALLBACK_NAMESERVER}, as the system resolver does.
 */
export async function loadResolvConf(path: string = RESOLV_CONF_PATH): Promise<ResolvConf> {
  let text: string;
  try {
    text = await process.getBuiltinModule('node:fs/promises').readFile(path, 'utf8');
  } catch {
    return { nameservers: [] };
  }
  return parseResolvConf(text);
}

/** The servers to use from a parsed resolv.conf: its nameservers, or `127.0.0.1` when it names none. */
export function systemDnsServers(conf: ResolvConf): readonly string[] {
  return conf.nameservers.length > 0 ? conf.nameservers : [FALLBACK_NAMESERVER];
}
