// The texts of the reachability and endpoint hints (rules/endpoints.ts), in English and Simplified Chinese.

import { ENDPOINT_ANSWER_TEXTS as ANSWER_TEXTS } from '../../check-report/endpoint-answer-texts.js';
import type { Catalogue, Translation } from '../../i18n/index.js';
import { zh } from '../text.js';
import { sentenceReader } from './read-back.js';

/** The Synapse listener a reverse proxy forwards to, as the fixes write it. */
const SYNAPSE = 'http://127.0.0.1:8008';

/** A list of advice as one sentence, capitalised in English. */
function adviceSentence(items: readonly string[]): string {
  return `${items.join('; ')}.`.replace(/^./, (c) => c.toUpperCase());
}

/**
 * What the reachability and endpoint hints say. Values arrive formatted (lists joined in the language's form,
 * connection and key errors as the report has them); keys are `<hint id>.<part>`.
 */
const en = {
  /** One address that failed: its code and the error as the report has it. */
  failure: (p: { address: string; code: string; message: string }) => `${p.address}: ${p.code} (${p.message})`,
  'ipv6-unreachable.detail': (p: { failures: readonly string[]; connected: string }) =>
    `Every IPv6 address fails (${p.failures.join('; ')}) while IPv4 connects (${p.connected}). Servers with IPv6 try the AAAA ` +
    'addresses first: they wait for the failure before falling back, and some give up.',
  'ipv6-unreachable.fix': (p: { ports: string; port: string; hosts: string }) =>
    `Make the homeserver (or its reverse proxy) reachable over IPv6 on port ${p.ports}: listen on [::] ` +
    `(nginx: listen [::]:${p.port} ssl;) and open the IPv6 firewall; or, if the server has no working IPv6, delete the AAAA record(s) of ${p.hosts}.`,
  'ipv4-unreachable.detail': (p: { failures: readonly string[]; connected: string }) =>
    `Every IPv4 address fails (${p.failures.join('; ')}) while IPv6 connects (${p.connected}). Servers without IPv6 cannot federate with this one at all.`,
  'ipv4-unreachable.fix': (p: { ports: string; hosts: string }) =>
    `Make port ${p.ports} reachable over IPv4 (listener, firewall, NAT port forwarding on the router), ` +
    `or correct the A record(s) of ${p.hosts} if they point at the wrong address.`,
  'address-unreachable.detail.only': (p: { failures: readonly string[] }) =>
    `The only address cannot be reached: ${p.failures.join('; ')}.`,
  'address-unreachable.detail.every': (p: { failures: readonly string[] }) =>
    `Every address cannot be reached: ${p.failures.join('; ')}.`,
  'address-unreachable.detail.some': (p: { failed: number; total: number; failures: readonly string[] }) =>
    `${p.failed} of ${p.total} addresses cannot be reached: ${p.failures.join('; ')}.`,
  'address-unreachable.refused': (p: { ports: string; ips: string; port: string }) =>
    `nothing listens on port ${p.ports} at ${p.ips}: start the homeserver or the reverse proxy listener for that port (a Synapse listener with the federation resource, or "listen ${p.port} ssl;" in nginx) and check that it binds the public address, not only 127.0.0.1`,
  'address-unreachable.timeout': (p: { ports: string }) =>
    `packets to port ${p.ports} are dropped: open it in the firewall / cloud security group and forward it on the router if the server is behind NAT`,
  'address-unreachable.noRoute':
    'there is no route to the address: check that DNS has the right address and that the host is up',
  /** Advice as one sentence. */
  advice: (p: { items: readonly string[] }) => adviceSentence(p.items),
  'reverse-proxy-not-forwarding.version': (p: { address: string; host: string; status: string }) =>
    `GET /_matrix/federation/v1/version on ${p.address} with Host ${p.host} answered ${p.status}`,
  'reverse-proxy-not-forwarding.versionTyped': (p: {
    address: string;
    host: string;
    status: string;
    contentType: string;
  }) =>
    `GET /_matrix/federation/v1/version on ${p.address} with Host ${p.host} answered ${p.status} (${p.contentType})`,
  'reverse-proxy-not-forwarding.keys': (p: { address: string; host: string; status: string }) =>
    `GET /_matrix/key/v2/server on ${p.address} with Host ${p.host} answered ${p.status}`,
  'reverse-proxy-not-forwarding.detail': (p: { misses: readonly string[] }) =>
    `${p.misses.join('; ')}: a web server answers there instead of the homeserver.`,
  'reverse-proxy-not-forwarding.fix': (p: { host: string; port: string; hostHeader: string }) =>
    `Forward /_matrix/ for Host ${p.host} on port ${p.port} to the homeserver. nginx: a server block with "listen ${p.port} ssl;" and "server_name ${p.host};" ` +
    `containing "location /_matrix { proxy_pass ${SYNAPSE}; proxy_set_header Host $host; }"; ` +
    `Caddy: "${p.host}:${p.port} { reverse_proxy /_matrix/* localhost:8008 }". In Synapse, the listener needs the "federation" resource. ` +
    `Servers send Host ${p.hostHeader}: a proxy that matches the Host header exactly must accept that form; ` +
    'and pass the path on unchanged (proxy_pass without a URI part; Apache ProxyPass with nocanon), or ids with encoded characters break.',
  'federation-endpoint-error.version': (p: { address: string; error: string }) =>
    `GET /_matrix/federation/v1/version on ${p.address}: ${p.error}`,
  'federation-endpoint-error.keys': (p: { address: string; error: string }) =>
    `GET /_matrix/key/v2/server on ${p.address}: ${p.error}`,
  'federation-endpoint-error.detail': (p: { items: readonly string[] }) => `${p.items.join('; ')}.`,
  'federation-endpoint-error.gateway': `The reverse proxy cannot reach the homeserver (502/503/504): check that the homeserver runs and that proxy_pass points at its listener (Synapse's default is ${SYNAPSE}).`,
  'federation-endpoint-error.other':
    "Check the homeserver's log for these requests; the federation endpoints must answer within a few seconds.",
  'keys-server-name-mismatch.whyDelegated': (p: { claimed: string }) =>
    ` ${p.claimed} is the host that "m.server" delegates to: the homeserver was set up with the host it runs on as server_name, instead of the name in user IDs.`,
  'keys-server-name-mismatch.whySrv': (p: { claimed: string }) =>
    ` ${p.claimed} is the SRV target: the homeserver was set up with the host it runs on as server_name.`,
  'keys-server-name-mismatch.whyConnected': (p: { claimed: string }) =>
    ` ${p.claimed} is the host servers connect to: the homeserver was set up with it as server_name.`,
  'keys-server-name-mismatch.detail': (p: {
    addresses: string;
    count: number;
    claimed: string;
    serverName: string;
    why: string;
  }) =>
    `${p.addresses} answer${p.count === 1 ? 's' : ''} /_matrix/key/v2/server with server_name "${p.claimed}", but the server name checked is "${p.serverName}".${p.why}`,
  'keys-server-name-mismatch.fix': (p: { serverName: string; claimed: string }) =>
    `If the users of this homeserver are @user:${p.serverName}, set server_name: "${p.serverName}" in homeserver.yaml (on a server already in use this ` +
    `means a new database: server_name cannot be changed in place). If they are @user:${p.claimed}, the server name is ${p.claimed}: check that name.`,
  'keys-server-name-mismatch.fixDelegates': (p: { serverName: string; claimed: string }) =>
    `If the users of this homeserver are @user:${p.serverName}, set server_name: "${p.serverName}" in homeserver.yaml (on a server already in use this ` +
    `means a new database: server_name cannot be changed in place). If they are @user:${p.claimed}, the server name is ${p.claimed}: check that name, and remove the delegation from ${p.serverName}.`,
  'keys-invalid.item': (p: { address: string; problems: readonly string[] }) =>
    `${p.address}: ${p.problems.join('; ')}`,
  'keys-invalid.detail': (p: { items: readonly string[] }) => `${p.items.join('; ')}.`,
  'keys-invalid.expired':
    "valid_until_ts is in the past: check the server's clock, and make sure no cache or CDN serves an old copy of /_matrix/key/v2/server",
  'keys-invalid.signature':
    'the keys are not signed by the key they list: make sure every address reaches the same homeserver and that nothing rewrites the response (a proxy altering JSON breaks the signature)',
  'keys-invalid.keyId':
    'a key id has characters the spec does not allow after "ed25519:" (only letters, digits and "_"): other servers may refuse the key; ' +
    'generate a new signing key with a valid id (Synapse: signing_key_path, the id is the second word of the key file) and keep the old one in old_signing_keys',
  'keys-invalid.notKeys':
    "the response is not a homeserver's key response: check that /_matrix/key/ reaches the homeserver",
  'keys-invalid.other': "check the homeserver's signing key (signing_key_path in Synapse) and its logs",
} satisfies Catalogue;

const zhCN: Translation<typeof en> = {
  failure: (p) => `${p.address}：${p.code}（${p.message}）`,
  'ipv6-unreachable.detail': (p) =>
    zh`所有 IPv6 地址都连不上（${p.failures.join('；')}），而 IPv4 可以连接（${p.connected}）。支持 IPv6 的服务器会先尝试 AAAA ` +
    '记录中的地址：它们要等到失败后才回退到 IPv4，有些则直接放弃。',
  'ipv6-unreachable.fix': (p) =>
    zh`让 homeserver（或它前面的反向代理）能通过 IPv6 在${p.ports}端口访问：监听 [::]` +
    zh`（nginx：listen [::]:${p.port} ssl;）并在防火墙中放行 IPv6；如果服务器没有可用的 IPv6，就删除${p.hosts}的 AAAA 记录。`,
  'ipv4-unreachable.detail': (p) =>
    zh`所有 IPv4 地址都连不上（${p.failures.join('；')}），而 IPv6 可以连接（${p.connected}）。没有 IPv6 的服务器根本无法与本服务器联邦通信。`,
  'ipv4-unreachable.fix': (p) =>
    zh`让${p.ports}端口能通过 IPv4 访问（监听、防火墙、路由器上的 NAT 端口转发），` +
    zh`如果${p.hosts}的 A 记录指向了错误的地址，请更正。`,
  'address-unreachable.detail.only': (p) => zh`唯一的地址无法连接：${p.failures.join('；')}。`,
  'address-unreachable.detail.every': (p) => zh`所有地址都无法连接：${p.failures.join('；')}。`,
  'address-unreachable.detail.some': (p) => zh`${p.total}个地址中有${p.failed}个无法连接：${p.failures.join('；')}。`,
  'address-unreachable.refused': (p) =>
    zh`${p.ips}的${p.ports}端口上没有程序监听：请启动 homeserver 或反向代理在该端口上的监听（带 federation 资源的 Synapse 监听器，或 nginx 中的 "listen ${p.port} ssl;"），并确认它绑定的是公网地址，而不只是 127.0.0.1`,
  'address-unreachable.timeout': (p) =>
    zh`发往${p.ports}端口的数据包被丢弃：请在防火墙 / 云安全组中放行该端口，服务器在 NAT 之后的话还要在路由器上做端口转发`,
  'address-unreachable.noRoute': '没有到该地址的路由：请检查 DNS 中的地址是否正确，以及主机是否在运行',
  advice: (p) => `${p.items.join('；')}。`,
  'reverse-proxy-not-forwarding.version': (p) =>
    zh`在${p.address}上以 Host ${p.host}请求 GET /_matrix/federation/v1/version，返回${p.status}`,
  'reverse-proxy-not-forwarding.versionTyped': (p) =>
    zh`在${p.address}上以 Host ${p.host}请求 GET /_matrix/federation/v1/version，返回${p.status}（${p.contentType}）`,
  'reverse-proxy-not-forwarding.keys': (p) =>
    zh`在${p.address}上以 Host ${p.host}请求 GET /_matrix/key/v2/server，返回${p.status}`,
  'reverse-proxy-not-forwarding.detail': (p) =>
    zh`${p.misses.join('；')}：在那里响应的是一个 Web 服务器，而不是 homeserver。`,
  'reverse-proxy-not-forwarding.fix': (p) =>
    zh`把 Host 为${p.host}、端口${p.port}上的 /_matrix/ 转发到 homeserver。nginx：一个含有 "listen ${p.port} ssl;" 和 "server_name ${p.host};" 的 server 块，` +
    zh`其中写 "location /_matrix { proxy_pass ${SYNAPSE}; proxy_set_header Host $host; }"；` +
    zh`Caddy："${p.host}:${p.port} { reverse_proxy /_matrix/* localhost:8008 }"。Synapse 的监听器需要 "federation" 资源。` +
    zh`其他服务器发送的 Host 是${p.hostHeader}：按 Host 头精确匹配的反向代理必须接受这种形式；` +
    '并且要原样转发路径（proxy_pass 不带 URI 部分；Apache 的 ProxyPass 加 nocanon），否则含编码字符的 ID 会出错。',
  'federation-endpoint-error.version': (p) => zh`${p.address}上的 GET /_matrix/federation/v1/version：${p.error}`,
  'federation-endpoint-error.keys': (p) => zh`${p.address}上的 GET /_matrix/key/v2/server：${p.error}`,
  'federation-endpoint-error.detail': (p) => `${p.items.join('；')}。`,
  'federation-endpoint-error.gateway': zh`反向代理连不上 homeserver（502/503/504）：请确认 homeserver 在运行，并且 proxy_pass 指向它的监听器（Synapse 默认是${SYNAPSE}）。`,
  'federation-endpoint-error.other': '请在 homeserver 的日志中查找这些请求；联邦端点必须在几秒内响应。',
  'keys-server-name-mismatch.whyDelegated': (p) =>
    zh`${p.claimed}是 "m.server" 委托到的主机：homeserver 把它所在的主机配置成了 server_name，而不是用户 ID 中的名称。`,
  'keys-server-name-mismatch.whySrv': (p) =>
    zh`${p.claimed}是 SRV 记录的目标：homeserver 把它所在的主机配置成了 server_name。`,
  'keys-server-name-mismatch.whyConnected': (p) =>
    zh`${p.claimed}是其他服务器连接的主机：homeserver 把它配置成了 server_name。`,
  'keys-server-name-mismatch.detail': (p) =>
    zh`${p.addresses}在 /_matrix/key/v2/server 返回的 server_name 是 "${p.claimed}"，但检查的服务器名是 "${p.serverName}"。${p.why}`,
  'keys-server-name-mismatch.fix': (p) =>
    zh`如果这个 homeserver 的用户是 @user:${p.serverName}，请在 homeserver.yaml 中设置 server_name: "${p.serverName}"（对已在使用的服务器，` +
    zh`这意味着要换一个新数据库：server_name 不能原地修改）。如果用户是 @user:${p.claimed}，那么服务器名就是${p.claimed}：请检查这个名称。`,
  'keys-server-name-mismatch.fixDelegates': (p) =>
    zh`如果这个 homeserver 的用户是 @user:${p.serverName}，请在 homeserver.yaml 中设置 server_name: "${p.serverName}"（对已在使用的服务器，` +
    zh`这意味着要换一个新数据库：server_name 不能原地修改）。如果用户是 @user:${p.claimed}，那么服务器名就是${p.claimed}：请检查这个名称，并删除${p.serverName}上的委托。`,
  'keys-invalid.item': (p) => zh`${p.address}的服务器密钥未通过检查：${p.problems.join('；')}`,
  'keys-invalid.detail': (p) => `${p.items.join('；')}。`,
  'keys-invalid.expired':
    'valid_until_ts 已经过去：请检查服务器的时钟，并确认没有缓存或 CDN 在提供 /_matrix/key/v2/server 的旧副本',
  'keys-invalid.signature':
    '这些密钥没有用其中列出的密钥签名：请确认每个地址到达的都是同一个 homeserver，并且没有东西改写响应（反向代理改动 JSON 会破坏签名）',
  'keys-invalid.keyId':
    '有密钥 ID 在 "ed25519:" 之后含有规范不允许的字符（只允许字母、数字和 "_"）：其他服务器可能拒绝该密钥；' +
    '请生成一个 ID 合法的新签名密钥（Synapse：signing_key_path，ID 是密钥文件中的第二个词），并把旧密钥保留在 old_signing_keys 中',
  'keys-invalid.notKeys': '响应不是 homeserver 的密钥响应：请确认 /_matrix/key/ 能到达 homeserver',
  'keys-invalid.other': '请检查 homeserver 的签名密钥（Synapse 中的 signing_key_path）及其日志',
};

/** The reachability and endpoint hints' texts in every language. */
export const ENDPOINT_TEXTS = { en, 'zh-CN': zhCN };

// The check's words for an endpoint's status other than 200: one catalogue, beside the report model it is written into.
export { ENDPOINT_ANSWER_TEXTS } from '../../check-report/endpoint-answer-texts.js';

/** An endpoint error's message read back, or null when the check worded it otherwise (a timeout, a reset...). */
export const readEndpointAnswer = sentenceReader(ANSWER_TEXTS.en, { version: ['status'], keys: ['status'] });
