// The hints' titles in every language but English (English titles are in the catalogue itself).

import type { HintId } from './catalogue.js';

/**
 * Each hint's title in Simplified Chinese, by id: the compiler refuses a missing id. Words from the glossary in
 * CONTRIBUTING ("Languages").
 */
export const HINT_TITLES_ZH_CN: Readonly<Record<HintId, string>> = {
  // --- The server name ---
  'server-name-invalid': '服务器名无效',
  'server-name-has-port': '服务器名带有显式端口，因此不会使用委托',
  'server-name-ip-literal': '服务器名是一个 IP 地址',

  // --- DNS ---
  'dns-no-address': '没有可连接的地址',
  'dns-lookup-failed': 'DNS 查询失败',
  'dns-private-address': 'DNS 中发布了私有或保留地址',
  'dns-ipv6-only': '只有 IPv6 地址：没有 IPv6 的服务器无法连接',

  // --- SRV records ---
  'srv-unavailable': 'SRV 记录声明“此处不提供服务”',
  'srv-target-cname': 'SRV 记录的目标是 CNAME',
  'srv-deprecated-only': '只有已弃用的 _matrix._tcp SRV 记录',
  'srv-legacy-disagrees': '_matrix-fed._tcp 与 _matrix._tcp 指向不同的服务器',
  'srv-ignored-by-well-known': '.well-known 文件已做委托，服务器名的 SRV 记录因此被忽略',

  // --- The server well-known ---
  'well-known-m-server-malformed': '“m.server”不是“主机名[:端口]”的形式',
  'well-known-html': '服务器 .well-known 文件是 HTML 页面，而不是 JSON',
  'well-known-bom': '服务器 .well-known 文件以字节顺序标记（BOM）开头',
  'well-known-invalid-document': '服务器 .well-known 文件不是有效的文档',
  'well-known-too-large': '服务器 .well-known 文件过大',
  'well-known-bad-redirect': '服务器 .well-known 文件重定向到纯 http，或陷入重定向循环',
  'well-known-unreachable': '无法获取服务器 .well-known 文件，而没有它联邦无法工作',
  'well-known-http-status': '服务器 .well-known 文件返回了意外的 HTTP 状态码',
  'well-known-absent': '没有服务器 .well-known 文件',
  'well-known-wrong-place': '服务器 .well-known 文件放错了位置',
  'well-known-differs-by-address': '服务器名的各个地址返回的服务器 .well-known 文件不一致',
  'well-known-redirect': '服务器 .well-known 文件要经过重定向才能获取',
  'well-known-redirect-308': '服务器 .well-known 文件使用了 307/308 重定向',
  'well-known-slow': '服务器 .well-known 文件响应缓慢',
  'well-known-cache-too-long': '服务器 .well-known 文件要求缓存的时间过长',
  'well-known-no-cache': '服务器 .well-known 文件禁止缓存',
  'well-known-content-type': '服务器 .well-known 文件的 Content-Type 不是 application/json',
  'm-server-port-omitted': '“m.server”没有写端口，但 homeserver 在 443 端口上响应',
  'delegation-missing-for-443': '联邦 API 在 443 端口上响应，但没有任何配置告诉其他服务器',
  'm-server-ip-literal': '“m.server”是一个 IP 地址',

  // --- TLS certificates ---
  'tls-expired': '证书已过期',
  'tls-not-yet-valid': '证书尚未生效',
  'tls-self-signed': '证书是自签名的',
  'tls-incomplete-chain': '证书链不完整',
  'tls-untrusted': '证书不受信任',
  'tls-wrong-name': '证书签发给了其他名称',
  'tls-certificate-for-srv-target': '证书包含的是 SRV 目标，而不是服务器名',
  'tls-expires-soon': '证书即将过期',
  'tls-handshake-failed': 'TLS 握手失败',

  // --- Connectivity and the federation endpoints ---
  'address-unreachable': '有地址无法连接',
  'ipv6-unreachable': '发布了 AAAA 记录，但 IPv6 不通',
  'ipv4-unreachable': '发布了 A 记录，但 IPv4 不通',
  'reverse-proxy-not-forwarding': '联邦 API 没有被转发到 homeserver',
  'federation-endpoint-error': '联邦 API 出错',
  'keys-server-name-mismatch': 'homeserver 以另一个服务器名签名其密钥',
  'keys-invalid': '服务器密钥无效',

  // --- What admins meet in the field ---
  'cdn-port-not-proxied': '主机位于 Cloudflare 代理之后，而该代理不转发联邦端口',
  'tls-router-default-certificate': 'TLS 路由器或 Web 服务器返回了它的默认证书',
  'tls-staging-certificate': '证书来自测试环境（staging）CA',
  'firewall-blocks-homeservers': '防火墙或机器人防护按 User-Agent 拦截了 homeserver',
  'srv-record-misnamed': 'SRV 记录发布在了错误的名称下',
  'srv-target-zone-appended': 'SRV 记录的目标被重复追加了一次区域名',
  'reverse-proxy-host-port': '反向代理按带端口或不带端口的 Host 头路由，但不是服务器发送的那种形式',
  'reverse-proxy-rewrites-path': '反向代理解码或改写了请求路径',
  'client-base-url-has-path': 'homeserver 基础 URL 带有 /_matrix 路径',

  // --- /.well-known/matrix/client ---
  'client-well-known-missing': '没有客户端 .well-known 文件',
  'client-fetch-failed': '无法获取客户端 .well-known 文件',
  'client-http-status': '客户端 .well-known 文件返回了意外的 HTTP 状态码',
  'client-html': '客户端 .well-known 文件是 HTML 页面，而不是 JSON',
  'client-bom': '客户端 .well-known 文件以字节顺序标记（BOM）开头',
  'client-invalid-document': '客户端 .well-known 文件不是有效的文档',
  'client-base-url-missing': '客户端 .well-known 文件没有 homeserver 基础 URL',
  'client-base-url-invalid': 'homeserver 基础 URL 不是可用的 https URL',
  'client-homeserver-unreachable': 'homeserver 基础 URL 无法访问 Matrix 客户端 API',
  'client-identity-server-broken': '客户端 .well-known 文件中的身份服务器无法使用',
  'client-content-type': '客户端 .well-known 文件的 Content-Type 不是 application/json',
  'client-cors-missing': '客户端 .well-known 文件没有 CORS 头：Web 客户端无法读取它',
  'client-cors-incomplete': '客户端 .well-known 文件的 CORS 头不完整',
  'client-preflight-failed': '客户端 .well-known 文件不响应 CORS 预检请求',
  'client-problem': '客户端 .well-known 文件有问题',

  // --- The client settings ---
  'client-setting-wrong-type': '某项客户端设置的 JSON 类型错误，客户端会忽略它',
  'client-setting-unknown': '客户端 .well-known 文件中有已知客户端都不读取的键',
  'client-e2ee-invalid': '加密设置中有客户端会误读的值',
  'client-e2ee-older-key': '加密设置使用了已弃用的键',
  'client-e2ee-retired-settings': '加密设置中有 Element Web 已不再读取的项',
  'client-e2ee-contradictory': '加密同时被设为强制关闭和默认开启',
  'client-jitsi-invalid': 'Jitsi 设置不是可用的主机名',
  'client-jitsi-unreachable': '无法通过 HTTPS 访问 Jitsi 服务器',
  'client-jitsi-not-jitsi': 'Jitsi 域名上没有运行 Jitsi Meet',
  'client-jitsi-keys-disagree': '两个 Jitsi 键指向不同的服务器',
  'client-rtc-foci-invalid': 'MatrixRTC foci 列表中有无效条目',
  'client-rtc-livekit-unreachable': '无法访问用于通话的 LiveKit 服务',
  'client-rtc-livekit-cors': 'LiveKit 服务不允许 Web 客户端发起通话（CORS）',
  'client-rtc-livekit-legacy-only': 'LiveKit 服务只有旧版的令牌端点',
  'client-rtc-transports-missing': 'homeserver 没有公布 .well-known 文件中列出的通话服务器',
  'client-rtc-transports-disagree': '.well-known 文件与 homeserver 列出的通话服务器不一致',
  'client-auth-invalid': '登录（OIDC）设置无效',
  'client-auth-issuer-unreachable': '无法读取登录提供方的 OpenID 配置',
  'client-auth-issuer-mismatch': '登录提供方声明的签发者（issuer）与 .well-known 文件中的不同',
  'client-auth-issuer-cors': '登录提供方的配置没有 CORS 头',
  'client-auth-metadata-missing': '.well-known 文件指定了登录提供方，但 homeserver 没有公布它',
  'client-auth-metadata-disagrees': 'homeserver 与 .well-known 文件指定了不同的登录提供方',
  'client-tile-server-invalid': '地图瓦片服务器设置无效',
  'client-tile-server-broken': '无法加载瓦片服务器的地图样式',
  'client-tile-server-cors': '地图样式没有 CORS 头：Web 客户端中的地图将是空白的',
  'client-tile-server-unstable-key': '地图瓦片服务器使用的是不稳定（unstable）键',

  // --- /.well-known/matrix/support ---
  'support-fetch-failed': '无法获取支持信息 .well-known 文件',
  'support-http-status': '支持信息 .well-known 文件返回了意外的 HTTP 状态码',
  'support-html': '支持信息 .well-known 文件是 HTML 页面，而不是 JSON',
  'support-bom': '支持信息 .well-known 文件以字节顺序标记（BOM）开头',
  'support-invalid-document': '支持信息 .well-known 文件不是有效的文档',
  'support-contact-invalid': '某个支持联系人无效',
  'support-role-not-namespaced': '某个支持联系人的角色没有命名空间前缀',
  'support-page-invalid': '支持页面不是 URL',
  'support-page-not-https': '支持页面使用的是纯 http',
  'support-content-type': '支持信息 .well-known 文件的 Content-Type 不是 application/json',
  'support-cors-missing': '支持信息 .well-known 文件没有 CORS 头',
  'support-problem': '支持信息 .well-known 文件有问题',
};
