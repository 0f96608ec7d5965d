// The address policy's reasons (why an address is denied or allowed), in English (what it writes) and Chinese.

import type { Catalogue, Translation, Translations } from '../i18n/index.js';

/**
 * The sentences of an `AddressVerdict.reason` (address-policy.ts), one message per form, and the parts nested in
 * them: `subject` is an address said as `ip` or as {@link en.embedded}, `network` a CIDR or {@link en.named}, whose
 * `name` is one of the `range.*` names. The policy writes its English through `en`, so these are the one source of
 * each sentence; a hint reads a reason of a report back (src/diagnosis/rules/policy-words.ts) and says it again.
 */
const en = {
  notAnAddress: (p: { ip: string }) => `"${p.ip}" is not an IP address, so it cannot be checked and is denied`,
  unspecified: (p: { subject: string }) =>
    `${p.subject} is the unspecified address, which is always denied (dialling it reaches this machine)`,
  notDenied: (p: { ip: string }) => `${p.ip} is not in any denied range`,
  deniedByDefault: (p: { subject: string; network: string }) =>
    `${p.subject} is in ${p.network}, which is denied by default`,
  deniedByList: (p: { subject: string; network: string }) =>
    `${p.subject} is in ${p.network}, which is on the deny list`,
  allowedOverDefault: (p: { subject: string; network: string; allow: string }) =>
    `${p.subject} is in ${p.network}, which is denied by default, but the allow-list entry ${p.allow} permits it`,
  allowedOverList: (p: { subject: string; network: string; allow: string }) =>
    `${p.subject} is in ${p.network}, which is on the deny list, but the allow-list entry ${p.allow} permits it`,
  /** An IPv6 address that embeds an IPv4 one (`via`: IPv4-mapped, IPv4-compatible, 6to4, NAT64). */
  embedded: (p: { ip: string; via: string; embedded: string }) => `${p.ip} (the ${p.via} form of ${p.embedded})`,
  /** A network with a name (`range.*`). */
  named: (p: { cidr: string; name: string }) => `${p.cidr} (${p.name})`,

  // Plain-words names of special-purpose ranges (address-policy.ts RANGE_NAMES).
  'range.thisNetwork': '"this network"',
  'range.loopback': 'loopback',
  'range.private': 'private network, RFC 1918',
  'range.cgnat': 'CGNAT shared address space, RFC 6598',
  'range.ietf': 'IETF protocol assignments, RFC 6890',
  'range.linkLocal': 'link-local',
  'range.relay6to4': 'deprecated 6to4 relay anycast, RFC 7526',
  'range.benchmarking': 'network benchmarking, RFC 2544',
  'range.testNet1': 'documentation, TEST-NET-1',
  'range.testNet2': 'documentation, TEST-NET-2',
  'range.testNet3': 'documentation, TEST-NET-3',
  'range.multicast': 'multicast',
  'range.reserved': 'reserved',
  'range.ipv6Loopback': 'IPv6 loopback',
  'range.ipv6LinkLocal': 'IPv6 link-local',
  'range.ipv6UniqueLocal': 'IPv6 unique local, private network',
  'range.ipv6Documentation': 'IPv6 documentation',
  'range.ipv6Multicast': 'IPv6 multicast',
  'range.ipv6SiteLocal': 'deprecated IPv6 site-local',
  'range.nat64': 'NAT64',
  'range.6to4': '6to4',
  'range.ipv4Mapped': 'IPv4-mapped',
} satisfies Catalogue;

/** A value followed by Chinese words: a space after Latin text, none after a full-width parenthesis (house style). */
function after(value: string): string {
  return value.endsWith('）') ? value : `${value} `;
}

/** The same sentences in Simplified Chinese (`subject` and `network` come said already). */
const zhCN: Translation<typeof en> = {
  notAnAddress: (p) => `"${p.ip}" 不是 IP 地址，无法检查，因此被拒绝`,
  unspecified: (p) => `${after(p.subject)}是未指定地址，总是被拒绝（连接它会连到本机）`,
  notDenied: (p) => `${p.ip} 不在任何被拒绝的网段中`,
  deniedByDefault: (p) => `${after(p.subject)}位于 ${after(p.network)}中，该网段默认被拒绝`,
  deniedByList: (p) => `${after(p.subject)}位于 ${after(p.network)}中，该网段在拒绝列表中`,
  allowedOverDefault: (p) =>
    `${after(p.subject)}位于 ${after(p.network)}中，该网段默认被拒绝，但允许列表中的 ${p.allow} 放行了它`,
  allowedOverList: (p) =>
    `${after(p.subject)}位于 ${after(p.network)}中，该网段在拒绝列表中，但允许列表中的 ${p.allow} 放行了它`,
  embedded: (p) => `${p.ip}（${p.embedded} 的 ${p.via} 形式）`,
  named: (p) => `${p.cidr}（${p.name}）`,

  'range.thisNetwork': '“本网络”',
  'range.loopback': '环回地址',
  'range.private': '私有网络，RFC 1918',
  'range.cgnat': 'CGNAT 共享地址空间，RFC 6598',
  'range.ietf': 'IETF 协议分配，RFC 6890',
  'range.linkLocal': '链路本地地址',
  'range.relay6to4': '已弃用的 6to4 中继任播，RFC 7526',
  'range.benchmarking': '网络基准测试，RFC 2544',
  'range.testNet1': '文档示例地址，TEST-NET-1',
  'range.testNet2': '文档示例地址，TEST-NET-2',
  'range.testNet3': '文档示例地址，TEST-NET-3',
  'range.multicast': '组播地址',
  'range.reserved': '保留地址',
  'range.ipv6Loopback': 'IPv6 环回地址',
  'range.ipv6LinkLocal': 'IPv6 链路本地地址',
  'range.ipv6UniqueLocal': 'IPv6 唯一本地地址，私有网络',
  'range.ipv6Documentation': 'IPv6 文档示例地址',
  'range.ipv6Multicast': 'IPv6 组播地址',
  'range.ipv6SiteLocal': '已弃用的 IPv6 站点本地地址',
  'range.nat64': 'NAT64 地址',
  'range.6to4': '6to4 地址',
  'range.ipv4Mapped': 'IPv4 映射地址',
};

/** The address policy's reasons in every language (tested for completeness in test/i18n/policy-words.test.ts). */
export const ADDRESS_POLICY_TEXTS: Translations<typeof en> = { en, 'zh-CN': zhCN };

/** The English sentences, as the policy writes them. */
export const ADDRESS_POLICY_EN = en;

/** The key of a range's name in {@link ADDRESS_POLICY_TEXTS}. */
export type RangeNameKey = Extract<keyof typeof en, `range.${string}`>;
