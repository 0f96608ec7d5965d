// The texts of the field hints in every language: a catalogue of messages (`<hint id>.<part>`), each a function of named values.

import type { Catalogue, Translation } from '../../i18n/index.js';
import { zh } from '../text.js';

/**
 * What the field hints say, in English. Every message takes its values by name, already formatted (lists joined in
 * the language, remote values quoted where they are shown quoted). Keys are `<hint id>.detail` and `<hint id>.fix`,
 * and `<hint id>.<part>` for the parts a detail is made of (`item`: one per address or record seen).
 */
const en = {
  'cdn-port-not-proxied.detail': (p: {
    hosts: string;
    evidence: string;
    httpsPorts: string;
    ports: string;
    failures: string;
  }) =>
    `Behind Cloudflare's proxy: ${p.hosts} (${p.evidence}). Cloudflare's proxy accepts HTTPS only on ports ${p.httpsPorts}, ` +
    `not on ${p.ports}, so servers connecting there never reach the homeserver (${p.failures}).`,
  'cdn-port-not-proxied.failure': (p: { address: string; code: string }) => `${p.address}: ${p.code}`,
  'cdn-port-not-proxied.through443': (p: { port: string; host: string; where: string }) =>
    ` Port ${p.port} of ${p.host} answers the federation API through the proxy (${p.where}).`,
  'cdn-port-not-proxied.rangeEvidence': (p: { ip: string; range: string; source: string; asOf: string }) =>
    `${p.ip} lies in Cloudflare's published range ${p.range} (${p.source}, as of ${p.asOf})`,
  'cdn-port-not-proxied.headerEvidence': (p: { where: string; headers: string }) =>
    `${p.where} answers with ${p.headers}`,
  'cdn-port-not-proxied.fix': (p: {
    hosts: string;
    ports: string;
    document: string;
    wellKnownUrl: string;
    host: string;
  }) =>
    `Either make the DNS records of ${p.hosts} "DNS only" (the grey cloud in Cloudflare's DNS settings), so that servers ` +
    `reach your server directly on port ${p.ports} (which must then be open there); or keep the proxy and let federation ` +
    `go through port 443: serve ${p.document} at ${p.wellKnownUrl} (or publish the SRV record with port 443), forward ` +
    `/_matrix/ on ${p.host}:443 to the homeserver, set Cloudflare's SSL/TLS mode to Full (strict), do not cache /_matrix/, ` +
    'and exempt /_matrix/ and /.well-known/matrix/ from bot protection and challenges (homeservers cannot solve them).',
  'tls-router-default-certificate.item': (p: {
    addresses: string;
    snis: string;
    product: string;
    subject: string;
    issuer: string;
  }) => `${p.addresses} answer the SNI ${p.snis} with ${p.product} (CN "${p.subject}", issued by "${p.issuer}")`,
  'tls-router-default-certificate.detail': (p: { items: string; names: string }) =>
    `${p.items}: the router or web server there has no route or no certificate for ${p.names}, the name servers ask ` +
    'for and check (the server name, or the host "m.server" delegates to), and falls back to its default certificate.',
  'tls-router-default-certificate.noSni': '(none)',
  'tls-router-default-certificate.products.traefik': "Traefik's default certificate",
  'tls-router-default-certificate.products.ingressNginx': "the Kubernetes ingress-nginx controller's fake certificate",
  'tls-router-default-certificate.products.machine':
    "a web server's built-in certificate for the machine's own host name (Debian's ssl-cert \"snakeoil\" certificate and the like)",
  'tls-router-default-certificate.fixes.traefik': (p: { name: string; port: number }) =>
    `Give Traefik a router with the rule Host(\`${p.name}\`) on the entry point of port ${p.port} and TLS enabled (a ` +
    `tls.certResolver for Let's Encrypt, or a certificate for ${p.name} in the file provider's tls.certificates); check in ` +
    "Traefik's log that the certificate resolver obtained the certificate and that the router is not in error.",
  'tls-router-default-certificate.fixes.ingressNginx': (p: { name: string; port: number }) =>
    `Add ${p.name} to the spec.tls hosts of the Ingress that routes it, with a secretName holding its certificate (with ` +
    `cert-manager, the annotation cert-manager.io/cluster-issuer), and a rule for host ${p.name}; check that the secret ` +
    `exists and holds a certificate for ${p.name} (the controller serves port ${p.port}).`,
  'tls-router-default-certificate.fixes.machine': (p: { name: string; port: number }) =>
    `Add a site for ${p.name} on port ${p.port} with its real certificate, before the default one that uses the built-in ` +
    `certificate (nginx: a server block with "listen ${p.port} ssl;", "server_name ${p.name};" and ssl_certificate ` +
    `pointing at its fullchain.pem; Apache: a <VirtualHost *:${p.port}> with ServerName ${p.name} and SSLCertificateFile), ` +
    'instead of /etc/ssl/certs/ssl-cert-snakeoil.pem.',
  'tls-staging-certificate.item': (p: { address: string; issuer: string }) =>
    `${p.address} presents a certificate issued by "${p.issuer}"`,
  'tls-staging-certificate.detail': (p: { items: string }) =>
    `${p.items}. That is Let's Encrypt's staging environment, meant for testing a set-up: its roots are in no trust ` +
    'store, so no server accepts the certificate.',
  'tls-staging-certificate.fix': (p: { names: string; name: string }) =>
    `Get a production certificate for ${p.names} and reload the server that presents it. certbot: certbot certonly ` +
    `--force-renewal -d ${p.name} without --test-cert or --staging (and remove a "server = ` +
    `https://acme-staging-v02.api.letsencrypt.org/directory" line from /etc/letsencrypt/renewal/${p.name}.conf); Traefik: ` +
    'remove caServer (the staging URL) from the certificate resolver and delete its acme.json; Caddy: remove the staging ' +
    'acme_ca; acme.sh: drop --staging / --test.',
  'firewall-blocks-homeservers.item': (p: { where: string; first: string; second: string; challenge: boolean }) =>
    `${p.where} answers ${p.first} to this checker${p.challenge ? ' (a Cloudflare challenge: cf-mitigated: challenge)' : ''}, ` +
    `but ${p.second} to a browser's User-Agent`,
  'firewall-blocks-homeservers.answer': (p: { status: number | null; contentType: string | null }) =>
    `${p.status ?? 'no answer'}${p.contentType !== null ? ` (${p.contentType})` : ''}`,
  'firewall-blocks-homeservers.where': (p: { path: string; address: string }) => `${p.path} on ${p.address}`,
  'firewall-blocks-homeservers.detail': (p: { items: string }) =>
    `${p.items}. A firewall or bot protection rule blocks clients by their User-Agent, and homeservers, which send ` +
    'User-Agents such as "Synapse/1.120.0", are blocked with them.',
  'firewall-blocks-homeservers.fix': (p: { hosts: string }) =>
    `Exempt /.well-known/matrix/ and /_matrix/ on ${p.hosts} from the rule, whatever the User-Agent. On Cloudflare, turn ` +
    'off Bot Fight Mode (it cannot be skipped per path), or with Super Bot Fight Mode add a WAF custom rule with the Skip ' +
    'action for URI paths starting with /.well-known/matrix/ or /_matrix/; elsewhere (a WAF, fail2ban, a web server rule ' +
    'on the User-Agent) allow those paths.',
  'srv-record-misnamed.item': (p: { name: string; records: string; intended: string; mistake: string }) =>
    `${p.name} has SRV records (${p.records}), but servers look up ${p.intended}: ${p.mistake}`,
  'srv-record-misnamed.mistakes.zone-repeated': 'the zone was appended to a name that already ended with it',
  'srv-record-misnamed.mistakes.wrong-protocol': 'the protocol is UDP, where Matrix federation uses TCP',
  'srv-record-misnamed.mistakes.wrong-service': 'the service label is misspelt',
  'srv-record-misnamed.detail': (p: { items: string; intended: string }) =>
    `${p.items}. No record was found under ${p.intended}.`,
  'srv-record-misnamed.fix': (p: { lines: string; zone: string; relative: string; service: string }) =>
    `Publish the records under the right name: ${p.lines} In a DNS panel that appends the zone (${p.zone}) to what you ` +
    `type, enter the name as "${p.relative}", the service as "${p.service}" and the protocol as "_tcp" (TCP) where they ` +
    'are separate fields, and the target with its trailing dot. Then delete the misnamed records.',
  'srv-target-zone-appended.item': (p: { name: string; target: string }) =>
    `${p.name} points at ${p.target}, which ends with its zone twice: the target was written without its trailing dot, ` +
    'so the zone was appended',
  'srv-target-zone-appended.detail': (p: { items: string }) =>
    `${p.items}. Servers look up that name and find no address.`,
  'srv-target-zone-appended.fix': (p: { lines: string }) =>
    `Write each target as a full name with a trailing dot: ${p.lines} (in a panel with a target field, type the target ` +
    'with its trailing dot, or only the part before the zone if the panel says it appends it).',
  'reverse-proxy-host-port.item': (p: { address: string; firstHost: string; status: string; secondHost: string }) =>
    `GET /_matrix/federation/v1/version on ${p.address} with Host ${p.firstHost} answered ${p.status}, but with Host ` +
    `${p.secondHost} the homeserver answers`,
  'reverse-proxy-host-port.withPort': (p: { items: string; sent: string; routed: string }) =>
    `${p.items}. Servers send the Host header with the port (${p.sent}) because the delegation names one; the reverse ` +
    `proxy only routes ${p.routed}.`,
  'reverse-proxy-host-port.withoutPort': (p: { items: string; sent: string; routed: string }) =>
    `${p.items}. Servers send the Host header without a port (${p.sent}); the reverse proxy only routes ${p.routed}.`,
  'reverse-proxy-host-port.fix': (p: { host: string; routed: string }) =>
    `Make the proxy route ${p.host} whatever the port in the Host header: HAProxy: compare the host part only (acl ` +
    `matrix req.hdr(host),field(1,:) -i ${p.host}) instead of hdr(host) -i ${p.routed}; in other proxies and in ` +
    'application routers, match the host name without the port. nginx (server_name), Apache (ServerName) and Caddy ' +
    'ignore the port already.',
  'reverse-proxy-rewrites-path.detail': (p: {
    address: string;
    hostHeader: string;
    plainPath: string;
    plainAnswer: string;
    encodedPath: string;
    encodedAnswer: string;
  }) =>
    `On ${p.address} (Host ${p.hostHeader}), GET ${p.plainPath} answers ${p.plainAnswer}, as a homeserver refuses an ` +
    `unsigned request, but GET ${p.encodedPath}, the same request with an encoded "/" (%2F) in the event id, answers ` +
    `${p.encodedAnswer}: something between the servers and the homeserver decodes or rewrites the path. Requests for ` +
    'rooms and events whose ids contain "/" or other encoded characters then fail.',
  'reverse-proxy-rewrites-path.fix': () =>
    'Pass the request path to the homeserver exactly as received. nginx: write proxy_pass without a URI part ' +
    '(proxy_pass http://127.0.0.1:8008; not http://127.0.0.1:8008/ or http://127.0.0.1:8008/_matrix); Apache: ' +
    'ProxyPass /_matrix http://127.0.0.1:8008/_matrix nocanon, with AllowEncodedSlashes NoDecode; other proxies: do ' +
    'not decode or normalise the path.',
  'client-base-url-has-path.detail': (p: { baseUrl: string; path: string; versionsUrl: string; answer: string }) =>
    `m.homeserver.base_url is "${p.baseUrl}", with the path "${p.path}". Clients append /_matrix/client/... to the base ` +
    `URL themselves, so they ask for ${p.versionsUrl}${p.answer}.`,
  'client-base-url-has-path.answer': (p: { url: string; status: number | null }) =>
    ` (${p.url} answered ${p.status ?? 'nothing'})`,
  'client-base-url-has-path.fix': (p: { origin: string }) =>
    `Write base_url without the path: {"m.homeserver": {"base_url": "${p.origin}"}}.`,
} satisfies Catalogue;

/** The same in Simplified Chinese (glossary: CONTRIBUTING.md, "Languages"). */
const zhCN: Translation<typeof en> = {
  'cdn-port-not-proxied.detail': (p) =>
    zh`位于 Cloudflare 代理之后：${p.hosts}（${p.evidence}）。Cloudflare 的代理只在${p.httpsPorts}端口上接受 HTTPS，` +
    zh`不接受${p.ports}端口，因此连接到那里的服务器永远到达不了 homeserver（${p.failures}）。`,
  'cdn-port-not-proxied.failure': (p) => `${p.address}：${p.code}`,
  'cdn-port-not-proxied.through443': (p) => zh`${p.host}的${p.port}端口经由该代理提供联邦 API（${p.where}）。`,
  'cdn-port-not-proxied.rangeEvidence': (p) =>
    zh`${p.ip}位于 Cloudflare 公布的地址段${p.range}内（${p.source}，截至${p.asOf}）`,
  'cdn-port-not-proxied.headerEvidence': (p) => zh`${p.where}的响应带有${p.headers}`,
  'cdn-port-not-proxied.fix': (p) =>
    zh`要么把${p.hosts}的 DNS 记录设为“仅 DNS”（Cloudflare DNS 设置中的灰色云朵），` +
    zh`让其他服务器直接连接你的服务器的${p.ports}端口（此时服务器上必须开放该端口）；要么保持代理状态（橙色云），让联邦流量走 443 端口：` +
    zh`在${p.wellKnownUrl}提供${p.document}（或者发布端口为 443 的 SRV 记录），把${p.host}:443 上的 /_matrix/ 转发到 homeserver，` +
    '将 Cloudflare 的 SSL/TLS 加密模式设为“完全（严格）”（Full (strict)），不要缓存 /_matrix/，并让 /_matrix/ 和 ' +
    '/.well-known/matrix/ 免受机器人防护和质询（homeserver 无法通过质询）。',
  'tls-router-default-certificate.item': (p) =>
    zh`${p.addresses}在 SNI 为${p.snis}时返回了${p.product}（CN 为“${p.subject}”，签发者为“${p.issuer}”）`,
  'tls-router-default-certificate.detail': (p) =>
    zh`${p.items}：那里的路由器或 Web 服务器没有为${p.names}（其他服务器请求并校验的名称：服务器名，或“m.server”委托到的主机）` +
    '配置路由或证书，于是退回到了它的默认证书。',
  'tls-router-default-certificate.noSni': '（无）',
  'tls-router-default-certificate.products.traefik': 'Traefik 的默认证书',
  'tls-router-default-certificate.products.ingressNginx': 'Kubernetes ingress-nginx 控制器的假证书（Fake Certificate）',
  'tls-router-default-certificate.products.machine':
    'Web 服务器为本机主机名自带的证书（Debian ssl-cert 的“snakeoil”证书之类）',
  'tls-router-default-certificate.fixes.traefik': (p) =>
    zh`为 Traefik 配置一个规则为 Host(\`${p.name}\`) 的路由器，放在${p.port}端口的入口点（entry point）上并启用 TLS` +
    zh`（用 tls.certResolver 申请 Let's Encrypt 证书，或在 file provider 的 tls.certificates 中配置${p.name}的证书）；` +
    '并在 Traefik 的日志中确认证书解析器已经取得证书，而且该路由器没有报错。',
  'tls-router-default-certificate.fixes.ingressNginx': (p) =>
    zh`把${p.name}加入负责路由它的 Ingress 的 spec.tls hosts，并用 secretName 指向存放其证书的 Secret` +
    zh`（使用 cert-manager 时加上注解 cert-manager.io/cluster-issuer），再为主机${p.name}添加一条规则；` +
    zh`检查该 Secret 是否存在，并且存放的是${p.name}的证书（控制器在${p.port}端口上提供服务）。`,
  'tls-router-default-certificate.fixes.machine': (p) =>
    zh`在${p.port}端口上为${p.name}添加一个站点，使用它真正的证书，并放在使用自带证书的默认站点之前` +
    zh`（nginx：一个包含“listen ${p.port} ssl;”“server_name ${p.name};”以及指向其 fullchain.pem 的 ssl_certificate 的 server 块；` +
    zh`Apache：一个带 ServerName ${p.name}和 SSLCertificateFile 的 <VirtualHost *:${p.port}>），` +
    '而不是使用 /etc/ssl/certs/ssl-cert-snakeoil.pem。',
  'tls-staging-certificate.item': (p) => zh`${p.address}出示的证书由“${p.issuer}”签发`,
  'tls-staging-certificate.detail': (p) =>
    zh`${p.items}。这是 Let's Encrypt 的测试环境（staging），只用于测试配置：它的根证书不在任何信任库中，` +
    '因此没有服务器会接受这张证书。',
  'tls-staging-certificate.fix': (p) =>
    zh`为${p.names}申请正式环境的证书，并重新加载出示该证书的服务器。certbot：运行 certbot certonly --force-renewal -d ${p.name}，` +
    zh`不要加 --test-cert 或 --staging（并从 /etc/letsencrypt/renewal/${p.name}.conf 中删除` +
    '“server = https://acme-staging-v02.api.letsencrypt.org/directory”这一行）；Traefik：从证书解析器中删除 caServer' +
    '（测试环境的 URL），并删除它的 acme.json；Caddy：删除测试环境的 acme_ca；acme.sh：去掉 --staging / --test。',
  'firewall-blocks-homeservers.item': (p) =>
    zh`${p.where}对本检查工具返回${p.first}` +
    (p.challenge ? '（Cloudflare 质询：cf-mitigated: challenge）' : '') +
    zh`，但对浏览器的 User-Agent 返回${p.second}`,
  'firewall-blocks-homeservers.answer': (p) =>
    p.status === null ? '无响应' : `${p.status}${p.contentType !== null ? `（${p.contentType}）` : ''}`,
  'firewall-blocks-homeservers.where': (p) => zh`${p.address}上的${p.path}`,
  'firewall-blocks-homeservers.detail': (p) =>
    zh`${p.items}。防火墙或机器人防护规则按 User-Agent 拦截客户端，而 homeserver 发送的 User-Agent 形如“Synapse/1.120.0”，` +
    '也一并被拦截了。',
  'firewall-blocks-homeservers.fix': (p) =>
    zh`让${p.hosts}上的 /.well-known/matrix/ 和 /_matrix/ 不受该规则限制，无论 User-Agent 是什么。在 Cloudflare 上，` +
    '关闭 Bot Fight Mode（它无法按路径跳过），或者在使用 Super Bot Fight Mode 时添加一条 WAF 自定义规则，对以 ' +
    '/.well-known/matrix/ 或 /_matrix/ 开头的 URI 路径执行“跳过”（Skip）操作；在其他地方（WAF、fail2ban、' +
    '按 User-Agent 匹配的 Web 服务器规则），放行这些路径。',
  'srv-record-misnamed.item': (p) =>
    zh`${p.name}有 SRV 记录（${p.records}），但其他服务器查询的是${p.intended}：${p.mistake}`,
  'srv-record-misnamed.mistakes.zone-repeated': '区域名被追加到了一个已经以它结尾的名称后面',
  'srv-record-misnamed.mistakes.wrong-protocol': '协议写成了 UDP，而 Matrix 联邦使用的是 TCP',
  'srv-record-misnamed.mistakes.wrong-service': '服务标签拼写错误',
  'srv-record-misnamed.detail': (p) => zh`${p.items}。在${p.intended}下没有找到任何记录。`,
  'srv-record-misnamed.fix': (p) =>
    zh`把记录发布在正确的名称下：${p.lines}如果 DNS 面板会把区域名（${p.zone}）追加到你输入的内容后面，` +
    zh`名称请填“${p.relative}”；如果服务和协议是单独的字段，服务填“${p.service}”，协议填“_tcp”（TCP）；` +
    '目标要带上末尾的点。然后删除名称错误的记录。',
  'srv-target-zone-appended.item': (p) =>
    zh`${p.name}指向${p.target}，它以区域名结尾了两次：目标写的时候没有带末尾的点，于是区域名被追加了上去`,
  'srv-target-zone-appended.detail': (p) => zh`${p.items}。其他服务器查询这个名称时找不到任何地址。`,
  'srv-target-zone-appended.fix': (p) =>
    zh`把每个目标写成带末尾点的完整名称：${p.lines}（如果面板有单独的目标字段，输入目标时带上末尾的点；` +
    '如果面板说明会自动追加区域名，则只输入区域名之前的部分）。',
  'reverse-proxy-host-port.item': (p) =>
    zh`在${p.address}上以 Host ${p.firstHost}请求 GET /_matrix/federation/v1/version 返回${p.status}，` +
    zh`但以 Host ${p.secondHost}请求时 homeserver 会响应`,
  'reverse-proxy-host-port.withPort': (p) =>
    zh`${p.items}。由于委托中写了端口，其他服务器发送的 Host 头带有端口（${p.sent}）；` +
    zh`而反向代理只路由${p.routed}。`,
  'reverse-proxy-host-port.withoutPort': (p) =>
    zh`${p.items}。其他服务器发送的 Host 头不带端口（${p.sent}）；而反向代理只路由${p.routed}。`,
  'reverse-proxy-host-port.fix': (p) =>
    zh`让代理在路由${p.host}时不管 Host 头里的端口：HAProxy：只比较主机部分（acl matrix req.hdr(host),field(1,:) -i ${p.host}），` +
    zh`而不是 hdr(host) -i ${p.routed}；在其他代理和应用路由器中，匹配不带端口的主机名。nginx（server_name）、` +
    'Apache（ServerName）和 Caddy 本来就会忽略端口。',
  'reverse-proxy-rewrites-path.detail': (p) =>
    zh`在${p.address}上（Host ${p.hostHeader}），GET ${p.plainPath}返回${p.plainAnswer}，这正是 homeserver 拒绝未签名请求的方式；` +
    zh`但 GET ${p.encodedPath}（同一个请求，只是事件 ID 中含有编码后的“/”（%2F））返回${p.encodedAnswer}：` +
    '其他服务器和 homeserver 之间有某个环节解码或改写了路径。ID 中含有“/”或其他编码字符的房间和事件，其请求都会因此失败。',
  'reverse-proxy-rewrites-path.fix': () =>
    '把请求路径原样传给 homeserver。nginx：proxy_pass 不要带 URI 部分（写 proxy_pass http://127.0.0.1:8008;，' +
    '而不是 http://127.0.0.1:8008/ 或 http://127.0.0.1:8008/_matrix）；Apache：ProxyPass /_matrix ' +
    'http://127.0.0.1:8008/_matrix nocanon，并设置 AllowEncodedSlashes NoDecode；其他代理：不要解码或规范化路径。',
  'client-base-url-has-path.detail': (p) =>
    zh`m.homeserver.base_url 是“${p.baseUrl}”，带有路径“${p.path}”。客户端会自己在基础 URL 后面加上 /_matrix/client/...，` +
    zh`因此它们请求的是${p.versionsUrl}${p.answer}。`,
  'client-base-url-has-path.answer': (p) =>
    p.status === null ? zh`（${p.url}没有响应）` : zh`（${p.url}返回${p.status}）`,
  'client-base-url-has-path.fix': (p) =>
    zh`把 base_url 写成不带路径的形式：{"m.homeserver": {"base_url": "${p.origin}"}}。`,
};

/** The field hints' texts in every language. */
export const FIELD_TEXTS = { en, 'zh-CN': zhCN };
