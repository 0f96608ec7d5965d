// formatServerName(): the canonical string form of a parsed server name (spec appendix "Server Name").

import type { ServerName } from './types.js';

/**
 * The host as it appears in a server name or URL authority: IPv6 in brackets, anything else as is.
 *
 * @example
 * ```ts
 * formatHost({ host: '2001:db8::1', kind: 'ipv6' }); // '[2001:db8::1]'
 * ```
 */
export function formatHost(name: Pick<ServerName, 'host' | 'kind'>): string {
  return name.kind === 'ipv6' ? `[${name.host}]` : name.host;
}

/**
 * The server name as a string: {@link formatHost} plus `:port` when there is one. The host text is kept as
 * written, so `parseServerName(formatServerName(v))` gives back `v`; only a port written with leading zeros
 * (`:08448`) comes out different (`:8448`).
 *
 * @example
 * ```ts
 * formatServerName({ host: '1234:5678::abcd', kind: 'ipv6', port: 5678 }); // '[1234:5678::abcd]:5678'
 * formatServerName({ host: 'matrix.org', kind: 'dns' });                   // 'matrix.org'
 * ```
 */
export function formatServerName(name: ServerName): string {
  return name.port === undefined ? formatHost(name) : `${formatHost(name)}:${name.port}`;
}
