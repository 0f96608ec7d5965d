// The texts of the delegation hints in every language: a catalogue of messages (`<hint id>.<part>`).

import type { Catalogue, Translation } from '../../i18n/index.js';
import { zh } from '../text.js';

/**
 * What the delegation hints say, in English. `failures` lists how the default-port addresses failed (`failure.*`);
 * `software` is what the HTTPS port says it runs, or null; `detail` is the fetch's own words from the report.
 */
const en = {
  'failure.untrusted': 'untrusted certificate',
  'failure.fails': 'fails',
  'failure.item': (p: { address: string; how: string }) => `${p.address}: ${p.how}`,
  'm-server-port-omitted.detail': (p: {
    url: string;
    document: string;
    host: string;
    port: number;
    failures: string;
    httpsPort: number;
    software: string | null;
  }) =>
    `${p.url} says ${p.document} without a port and ${p.host} has no SRV records, so servers connect to port ${p.port} ` +
    `(${p.failures}); but ${p.host} answers the federation API on port ${p.httpsPort}${p.software !== null ? ` (${p.software})` : ''}.`,
  'm-server-port-omitted.fix': (p: { document: string }) => `Change the well-known to ${p.document}.`,
  'delegation-missing-for-443.detail': (p: {
    host: string;
    port: number;
    failures: string;
    httpsPort: number;
    software: string | null;
  }) =>
    `Without a delegating well-known or SRV record, servers connect to ${p.host} on port ${p.port} (${p.failures}); ` +
    `but ${p.host} answers the federation API on port ${p.httpsPort}${p.software !== null ? ` (${p.software})` : ''}.`,
  'delegation-missing-for-443.fix': (p: { url: string; document: string; host: string; httpsPort: number }) =>
    `Serve ${p.url} with ${p.document}, or publish the SRV record ` +
    `"_matrix-fed._tcp.${p.host}. 3600 IN SRV 10 5 ${p.httpsPort} ${p.host}."`,
  'well-known-wrong-place.item': (p: { url: string; document: string }) => `${p.url} answers ${p.document}`,
  'well-known-wrong-place.detail': (p: { items: string; url: string; detail: string }) =>
    `${p.items}, but servers only fetch ${p.url} (always port 443 of the server name's own host), which gives ` +
    `no delegation (${p.detail}).`,
  'well-known-wrong-place.fixFederationPort': (p: { document: string; url: string; host: string }) =>
    `Serve ${p.document} at ${p.url} from the web server of ${p.host} on port 443; serving it on the federation port ` +
    'does not help, that port is only used after delegation.',
  'well-known-wrong-place.fixOtherHost': (p: { document: string; url: string; host: string; otherHost: string }) =>
    `Serve ${p.document} at ${p.url} from the web server of ${p.host} on port 443; servers never look for it on ${p.otherHost}.`,
  'well-known-differs-by-address.delegates': (p: { mServer: string }) => `delegates to ${p.mServer}`,
  'well-known-differs-by-address.fails': (p: { status: string }) => `fails (${p.status})`,
  'well-known-differs-by-address.byFamily': (p: { v4: string; v6: string }) =>
    `Over IPv4 it ${p.v4}, over IPv6 it ${p.v6}: servers see one or the other depending on their network. `,
  'well-known-differs-by-address.byAddress': 'Servers see a different delegation depending on the address they pick. ',
  'well-known-differs-by-address.entry': (p: { ip: string; family: number; what: string }) =>
    `${p.ip} (IPv${p.family}) ${p.what}`,
  'well-known-differs-by-address.other': (p: { status: string; detail: string }) => `${p.status}: ${p.detail}`,
  'well-known-differs-by-address.detail': (p: { summary: string; url: string; entries: readonly string[] }) =>
    `${p.summary}${p.url} fetched from each address: ${p.entries.join('; ')}.`,
  'well-known-differs-by-address.fix': (p: { host: string }) =>
    `Make every A and AAAA address of ${p.host} serve the same document: check that the web server listens on IPv6 too ` +
    '(nginx: listen [::]:443 ssl;), that the firewall allows both families, and that all the records point at the same machine (or at machines with the same configuration).',
  'm-server-ip-literal.detail': (p: { mServer: string }) =>
    `The well-known delegates to the IP address ${p.mServer}: servers connect there without SNI, send Host ${p.mServer}, and check the certificate against the IP address.`,
  'm-server-ip-literal.fix':
    'Prefer a host name in "m.server" (public CAs rarely certify IP addresses, and addresses change); if you keep the IP, the certificate must list it as a subjectAltName.',
} satisfies Catalogue;

/** A well-known status in Chinese words (English shows the status itself: `absent`, `invalid`, ...). */
function statusWords(status: string): string {
  switch (status) {
    case 'delegated':
      return '已委托';
    case 'absent':
      return '没有文件';
    case 'invalid':
      return '文件无效';
    case 'error':
      return '出错';
    case 'blocked':
      return '地址被拒绝';
    default:
      return status;
  }
}

/** The same in Simplified Chinese (glossary: CONTRIBUTING.md, "Languages"). */
const zhCN: Translation<typeof en> = {
  'failure.untrusted': '证书不受信任',
  'failure.fails': '失败',
  'failure.item': (p) => `${p.address}：${p.how}`,
  'm-server-port-omitted.detail': (p) =>
    zh`${p.url}的内容是${p.document}，没有写端口，而${p.host}没有 SRV 记录，因此服务器会连接${p.port}端口` +
    zh`（${p.failures}）；但${p.host}在${p.httpsPort}端口上提供联邦 API` +
    (p.software !== null ? `（${p.software}）` : '') +
    '。',
  'm-server-port-omitted.fix': (p) => zh`把 .well-known 文件改为${p.document}。`,
  'delegation-missing-for-443.detail': (p) =>
    zh`由于没有做委托的 .well-known 文件或 SRV 记录，服务器会连接${p.host}的${p.port}端口（${p.failures}）；` +
    zh`但${p.host}在${p.httpsPort}端口上提供联邦 API` +
    (p.software !== null ? `（${p.software}）` : '') +
    '。',
  'delegation-missing-for-443.fix': (p) =>
    zh`在${p.url}提供${p.document}，或者发布 SRV 记录` +
    zh`“_matrix-fed._tcp.${p.host}. 3600 IN SRV 10 5 ${p.httpsPort} ${p.host}.”。`,
  'well-known-wrong-place.item': (p) => zh`${p.url}返回${p.document}`,
  'well-known-wrong-place.detail': (p) =>
    zh`${p.items}；但服务器只会获取${p.url}（总是服务器名自身主机的 443 端口），而它没有给出委托（${p.detail}）。`,
  'well-known-wrong-place.fixFederationPort': (p) =>
    zh`由${p.host}在 443 端口上的 Web 服务器在${p.url}提供${p.document}；放在联邦端口上没有用，该端口只在委托之后才会用到。`,
  'well-known-wrong-place.fixOtherHost': (p) =>
    zh`由${p.host}在 443 端口上的 Web 服务器在${p.url}提供${p.document}；服务器永远不会去${p.otherHost}上找它。`,
  'well-known-differs-by-address.delegates': (p) => zh`委托到${p.mServer}`,
  'well-known-differs-by-address.fails': (p) => `失败（${statusWords(p.status)}）`,
  'well-known-differs-by-address.byFamily': (p) =>
    `通过 IPv4 获取时${p.v4}，通过 IPv6 获取时${p.v6}：服务器看到哪一个，取决于它所在的网络。`,
  'well-known-differs-by-address.byAddress': '服务器选择的地址不同，看到的委托也不同。',
  'well-known-differs-by-address.entry': (p) => zh`${p.ip}（IPv${p.family}）${p.what}`,
  'well-known-differs-by-address.other': (p) => `${statusWords(p.status)}：${p.detail}`,
  'well-known-differs-by-address.detail': (p) =>
    zh`${p.summary}从每个地址获取${p.url}的结果：${p.entries.join('；')}。`,
  'well-known-differs-by-address.fix': (p) =>
    zh`让${p.host}的每个 A 和 AAAA 地址都提供相同的文件：检查 Web 服务器是否也监听 IPv6（nginx：listen [::]:443 ssl;），` +
    '防火墙是否对 IPv4 和 IPv6 都放行，以及所有记录是否指向同一台机器（或配置相同的机器）。',
  'm-server-ip-literal.detail': (p) =>
    zh`.well-known 文件委托到 IP 地址${p.mServer}：服务器连接该地址时不发送 SNI，发送的 Host 头为${p.mServer}，` +
    '并用该 IP 地址校验证书。',
  'm-server-ip-literal.fix':
    '“m.server”最好使用主机名（公共 CA 很少为 IP 地址签发证书，而且地址会变化）；如果保留 IP 地址，证书必须在 subjectAltName 中列出它。',
};

/** The delegation hints' texts in every language. */
export const DELEGATION_TEXTS = { en, 'zh-CN': zhCN };
