// The texts of the DNS hints in every language: a catalogue of messages (`<hint id>.<part>`).

import type { Catalogue, Translation } from '../../i18n/index.js';
import { zh } from '../text.js';

/**
 * What the DNS hints say, in English. Lists come already joined in the language (`list(..., locale)`); `count` is
 * the number of names a list holds.
 */
const en = {
  'dns-no-address.detail': (p: { hosts: string; count: number; error: string }) =>
    `${p.hosts} ${p.count === 1 ? 'has' : 'have'} no A or AAAA records, so other servers have no address to connect to (${p.error}).`,
  'dns-no-address.fix': (p: { hosts: string; viaSrv: boolean }) =>
    `Publish an A record (and an AAAA record if the server has working IPv6) for ${p.hosts} pointing at your homeserver or its reverse proxy` +
    (p.viaSrv ? ', or change the SRV record to a target that has addresses.' : '.'),
  'dns-lookup-failed.item': (p: { name: string; code: string }) => `${p.name} (${p.code})`,
  'dns-lookup-failed.detail': (p: { items: string; reason: string | null }) =>
    `DNS lookups failed for ${p.items}${p.reason !== null ? `: ${p.reason}` : ''}. Servers cannot resolve this server reliably.`,
  'dns-lookup-failed.fix': (p: { names: string }) =>
    `Check ${p.names} against each authoritative name server of the zone (dig +dnssec <name> @<server>). SERVFAIL usually ` +
    'means a DNSSEC problem (expired signatures, a DS record without a matching key) or a broken delegation; timeouts mean a name server does not answer.',
  'dns-private-address.item': (p: { ip: string; range: string | null; host: string | null }) =>
    `${p.ip}${p.range !== null ? ` in ${p.range}` : ''}${p.host !== null ? ` (address of ${p.host})` : ''}`,
  'dns-private-address.wellKnownItem': (p: { ip: string; host: string }) =>
    `${p.ip} (address of ${p.host}, where the well-known is fetched)`,
  'dns-private-address.detail': (p: { items: string; all: boolean }) =>
    `DNS publishes addresses that homeservers refuse to contact by default (private, loopback, link-local or reserved ranges, ` +
    `Synapse's ip_range_blacklist): ${p.items}. ` +
    (p.all
      ? 'No other address is left, so no server can federate with this one.'
      : 'Servers skip these addresses and use the others.'),
  'dns-private-address.fix':
    'Publish only public addresses in the A/AAAA records; if machines on your own network need the private address, use split-horizon DNS. ' +
    'This checker refuses those ranges like a homeserver does; when checking a private test deployment, allow the range explicitly (allowNetworks / --allow-network).',
  'dns-ipv6-only.detail': (p: { hosts: string; count: number; addresses: string }) =>
    `${p.hosts} ${p.count === 1 ? 'has' : 'have'} only AAAA records (${p.addresses}): homeservers on IPv4-only networks cannot connect.`,
  'dns-ipv6-only.fix': (p: { hosts: string }) =>
    `Add an A record for ${p.hosts} with the server's public IPv4 address (through a reverse proxy or NAT if the homeserver itself has none).`,
} satisfies Catalogue;

/** The same in Simplified Chinese (glossary: CONTRIBUTING.md, "Languages"). */
const zhCN: Translation<typeof en> = {
  'dns-no-address.detail': (p) => zh`${p.hosts}没有 A 或 AAAA 记录，其他服务器没有可连接的地址（${p.error}）。`,
  'dns-no-address.fix': (p) =>
    zh`为${p.hosts}发布指向你的 homeserver 或其反向代理的 A 记录（如果服务器的 IPv6 可用，也发布 AAAA 记录）` +
    (p.viaSrv ? '；或者把 SRV 记录的目标改为有地址的主机。' : '。'),
  'dns-lookup-failed.item': (p) => `${p.name}（${p.code}）`,
  'dns-lookup-failed.detail': (p) =>
    zh`以下 DNS 查询失败：${p.items}` +
    (p.reason !== null ? zh`（${p.reason}）` : '') +
    '。其他服务器无法可靠地解析此服务器。',
  'dns-lookup-failed.fix': (p) =>
    zh`请向该区域的每一台权威名称服务器查询${p.names}（dig +dnssec <名称> @<服务器>）。SERVFAIL 通常意味着 DNSSEC ` +
    '出了问题（签名已过期、DS 记录没有对应的密钥）或 NS 委派出错；超时则说明有名称服务器没有响应。',
  'dns-private-address.item': (p) => {
    const about = [
      ...(p.range !== null ? [zh`属于${p.range}`] : []),
      ...(p.host !== null ? [zh`${p.host}的地址`] : []),
    ];
    return about.length > 0 ? `${p.ip}（${about.join('，')}）` : p.ip;
  },
  'dns-private-address.wellKnownItem': (p) => zh`${p.ip}（${p.host}的地址，.well-known 文件从这里获取）`,
  'dns-private-address.detail': (p) =>
    zh`DNS 中发布了 homeserver 默认拒绝连接的地址（私有、环回、链路本地或保留地址段，即 Synapse 的 ip_range_blacklist）：${p.items}。` +
    (p.all ? '没有其他地址可用，因此任何服务器都无法与此服务器联邦。' : '服务器会跳过这些地址，改用其他地址。'),
  'dns-private-address.fix':
    'A/AAAA 记录中只发布公网地址；如果你自己网络内的机器需要使用私有地址，请使用分离解析（split-horizon DNS）。' +
    '本检查工具和 homeserver 一样拒绝这些地址段；检查私有的测试部署时，请明确允许该地址段（allowNetworks / --allow-network）。',
  'dns-ipv6-only.detail': (p) =>
    zh`${p.hosts}只有 AAAA 记录（${p.addresses}）：只能使用 IPv4 网络的 homeserver 无法连接。`,
  'dns-ipv6-only.fix': (p) =>
    zh`为${p.hosts}添加 A 记录，指向服务器的公网 IPv4 地址（如果 homeserver 本身没有 IPv4 地址，可以通过反向代理或 NAT 提供）。`,
};

/** The DNS hints' texts in every language. */
export const DNS_TEXTS = { en, 'zh-CN': zhCN };
