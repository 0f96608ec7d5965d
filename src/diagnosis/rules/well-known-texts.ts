// The texts of the server well-known hints in every language: a catalogue of messages (`<hint id>.<part>`).

import type { Catalogue, Translation } from '../../i18n/index.js';
import { zh } from '../text.js';

/**
 * What the well-known hints say, in English. `url` is the well-known's URL; `fallback` is where servers go without
 * it (a `fallback.*` message); `detail` is the fetch's own words from the report (kept as they are in every
 * language, like the other error strings of the report's data); `suggestion` is a document to serve.
 */
const en = {
  'fallback.srv': (p: { host: string }) => `the SRV records of ${p.host}`,
  'fallback.legacySrv': (p: { host: string }) => `the deprecated _matrix._tcp SRV records of ${p.host}`,
  'fallback.port': (p: { host: string; port: number }) => `${p.host} on port ${p.port}`,
  'fallback.none': 'SRV records or port 8448 of the server name (which give no working address here)',
  'well-known-m-server-malformed.faults': (p: { faults: readonly string[] }) => `it has ${p.faults.join(' and ')}`,
  'well-known-m-server-malformed.notHostPort': 'it is not a host name with an optional port',
  'well-known-m-server-malformed.detail': (p: { url: string; document: string; faults: string; fallback: string }) =>
    `${p.url} says ${p.document}, but "m.server" must be a host name with an optional port, and ${p.faults}. ` +
    `Servers that follow the spec ignore the document and fall back to ${p.fallback}; Synapse takes the value as ` +
    'it is and tries to connect to what it names, so Synapse servers do not reach this server at all.',
  'well-known-m-server-malformed.fixUnclear': (p: { suggestion: string }) =>
    `Write "m.server" as host[:port] without scheme, path or spaces, e.g. ${p.suggestion}.`,
  'well-known-m-server-malformed.fixWithPort': (p: { document: string }) => `Change the file to ${p.document}.`,
  'well-known-m-server-malformed.fixWithoutPort': (p: { document: string; document443: string }) =>
    `Change the file to ${p.document} (port 8448), or ${p.document443} if the homeserver answers federation on port 443.`,
  'well-known-m-server-malformed.fixHttps': (p: { document: string; document443: string; raw: string }) =>
    `Change the file to ${p.document443} if the homeserver answers federation on port 443 (as behind the reverse proxy of ` +
    `${p.raw}), or ${p.document} if it listens on port 8448.`,
  'well-known-html.detail': (p: { url: string; type: string | null; start: string | null; fallback: string }) =>
    `${p.url} answers 200 with an HTML page${p.type !== null ? ` (Content-Type ${p.type})` : ''} instead of JSON.` +
    `${p.start !== null ? ` It starts with "${p.start}".` : ''} Servers ignore it and fall back to ${p.fallback}.`,
  'well-known-html.fix': (p: { host: string | null; document: string; certain: boolean }) =>
    `Serve the JSON file at exactly /.well-known/matrix/server on ${p.host ?? 'the server name'}, before any catch-all rule, e.g. in nginx: ` +
    `location = /.well-known/matrix/server { default_type application/json; return 200 '${p.document}'; }` +
    (p.certain ? '' : " (an example: put your homeserver's host and port)"),
  'well-known-bom.detail': (p: { url: string; fallback: string }) =>
    `${p.url} starts with a UTF-8 byte order mark (bytes EF BB BF). JSON does not allow it and Synapse rejects the document, so servers fall back to ${p.fallback}.`,
  'well-known-bom.fix':
    'Save the file as UTF-8 without BOM (in Notepad: "UTF-8" rather than "UTF-8 with BOM"; or run sed -i \'1s/^\\xEF\\xBB\\xBF//\' on it).',
  'well-known-invalid-document.detail': (p: { detail: string; start: string | null; fallback: string }) =>
    `${p.detail}${p.start !== null ? ` (the body starts with "${p.start}")` : ''}. Servers ignore the document and fall back to ${p.fallback}.`,
  'well-known-invalid-document.fix': (p: { suggestion: string; url: string }) =>
    `Serve exactly ${p.suggestion} at ${p.url}.`,
  'well-known-too-large.detail': (p: { detail: string; fallback: string }) =>
    `${p.detail}. Synapse gives up above 50 KiB and falls back to ${p.fallback}.`,
  'well-known-too-large.fix': (p: { suggestion: string }) =>
    `Serve only the document, a few dozen bytes: ${p.suggestion}.`,
  'well-known-bad-redirect.toHttp': (p: { detail: string; fallback: string }) =>
    `${p.detail}. The spec asks servers to follow redirects with normal X.509 certificate validation, which a plain-http answer ` +
    "cannot have, and says nothing more; Synapse's redirect handling does not refuse http:// itself, so some servers may " +
    `follow it unauthenticated while others (this checker among them) treat it as a failed fetch and fall back to ${p.fallback}.`,
  'well-known-bad-redirect.loop': (p: { detail: string; fallback: string }) =>
    `${p.detail}. Servers give up on redirect loops and long chains (Synapse after 20 redirects) and fall back to ${p.fallback}.`,
  'well-known-bad-redirect.fix': (p: { url: string }) =>
    `Serve the document directly at ${p.url} with status 200 (exempt /.well-known/matrix/ from the redirect rules); if a redirect must stay, keep it on https:// and make it end in one or two hops.`,
  'well-known-unreachable.detail': (p: { detail: string; code: string; fallback: string }) =>
    `${p.detail} (${p.code}). Without it servers fall back to ${p.fallback}, and nothing works there either.`,
  'well-known-unreachable.fixTls': (p: { host: string }) =>
    `Serve https://${p.host}/ on port 443 with a valid certificate for ${p.host} (e.g. certbot -d ${p.host}), including the intermediate certificates.`,
  'well-known-unreachable.fixDns': (p: { host: string }) =>
    `Publish an A (and AAAA) record for ${p.host} pointing at a web server that serves the well-known document, or delegate with SRV records instead.`,
  'well-known-unreachable.fix': (p: { host: string; suggestion: string }) =>
    `Make https://${p.host}/ answer on port 443 and serve /.well-known/matrix/server there, e.g. ${p.suggestion}; ` +
    `if ${p.host} has no web server, publish an SRV record _matrix-fed._tcp.${p.host} instead.`,
  'well-known-http-status.detail': (p: { url: string; status: number | null; fallback: string }) =>
    `${p.url} answers ${p.status ?? 'an error'}. ${p.status !== null && p.status >= 500 ? 'A server error counts as a temporary failure: servers retry, cache the failure and meanwhile' : 'Servers treat it as "no delegation" and'} fall back to ${p.fallback}.`,
  'well-known-http-status.fix': (p: { suggestion: string }) =>
    `Answer 200 with the document, e.g. ${p.suggestion}, or 404 if you do not delegate. A 401/403 usually comes from an ` +
    "authentication, IP, geo-blocking or bot-protection rule (bot protection such as Cloudflare's Bot Fight Mode challenges " +
    'clients that are not browsers, homeservers included) that must exempt /.well-known/matrix/.',
  'well-known-absent.detail': (p: { url: string; fallback: string }) =>
    `${p.url} answers 404, so there is no delegation and servers use ${p.fallback}.`,
  'well-known-absent.fix': (p: { suggestion: string; url: string }) =>
    `If the homeserver runs on another host or port, delegate to it: serve ${p.suggestion} at ${p.url}.`,
  'redirect.hop': (p: { url: string; status: number | null }) => `${p.url} (${p.status ?? 'no answer'})`,
  'well-known-redirect-308.detail': (p: { count: number; chain: string }) =>
    `The well-known is reached through ${p.count} redirect(s), including 307/308: ${p.chain}. Current Synapse follows them, but some implementations and older HTTP libraries only follow 301, 302 and 303.`,
  'well-known-redirect-308.fix': (p: { url: string }) =>
    `Serve the document directly at ${p.url} with status 200; if a redirect must stay, use 301 or 302.`,
  'well-known-redirect.detail': (p: { count: number; chain: string }) =>
    `The well-known is reached through ${p.count} redirect(s): ${p.chain}. Synapse follows them, but not every implementation does, and each hop slows down the first contact.`,
  'well-known-redirect.fix': (p: { url: string }) =>
    `Serve the document directly at ${p.url} with status 200 (exempt /.well-known/matrix/ from the redirect, e.g. an nginx "location /.well-known/matrix/" block before the redirect).`,
  'well-known-slow.detail': (p: { url: string; seconds: string }) =>
    `Fetching ${p.url} took ${p.seconds} s. Every server that contacts this one for the first time (or after its cache expires) waits for it, and impatient implementations give up.`,
  'well-known-slow.fix':
    'Serve the well-known as a static file or a fixed response from the web server (not from an application), close to the edge; it should take well under a second.',
  'well-known-cache-too-long.detail': (p: { source: string; hours: string }) =>
    `The well-known is sent with ${p.source}, a lifetime of ${p.hours} hours. The spec caps it at 48 hours and Synapse clamps it, but a change of delegation then takes days to reach some servers.`,
  'well-known-cache-too-long.fix':
    "Send Cache-Control: max-age=86400 (24 hours, the spec's default) or less on /.well-known/matrix/server.",
  'well-known-no-cache.detail': (p: { source: string }) =>
    `The well-known is sent with ${p.source}, which forbids caching. Synapse then caches it for 5 minutes only (its minimum) instead of a day; other servers may fetch it again for every request, slowing federation down.`,
  'well-known-no-cache.fix':
    'Drop no-store and max-age=0 (and a past Expires) from /.well-known/matrix/server (a rule meant for /.well-known/matrix/client, where Synapse sends them, often catches both) and send Cache-Control: max-age=3600 or more.',
  'well-known-content-type.detail': (p: { type: string | null }) =>
    `The well-known is served ${p.type === null ? 'without a Content-Type' : `as "${p.type}"`}. Servers parse it as JSON anyway, but proxies, browsers and other tools may not.`,
  'well-known-content-type.fix':
    'Serve it with Content-Type: application/json (nginx: default_type application/json; in the location block).',
} satisfies Catalogue;

/** The same in Simplified Chinese (glossary: CONTRIBUTING.md, "Languages"). */
const zhCN: Translation<typeof en> = {
  'fallback.srv': (p) => zh`${p.host}的 SRV 记录`,
  'fallback.legacySrv': (p) => zh`${p.host}已弃用的 _matrix._tcp SRV 记录`,
  'fallback.port': (p) => zh`${p.host}的${p.port}端口`,
  'fallback.none': '服务器名的 SRV 记录或 8448 端口（在这里都没有可用的地址）',
  'well-known-m-server-malformed.faults': (p) => `其中包含${p.faults.join('和')}`,
  'well-known-m-server-malformed.notHostPort': '它不是“主机名[:端口]”的形式',
  'well-known-m-server-malformed.detail': (p) =>
    zh`${p.url}的内容是${p.document}，但“m.server”必须是主机名加可选的端口，而${p.faults}。` +
    zh`遵循规范的服务器会忽略该文件并回退到${p.fallback}；Synapse 则会原样采用这个值，并尝试连接它所指的地方，` +
    '因此 Synapse 服务器根本无法连上此服务器。',
  'well-known-m-server-malformed.fixUnclear': (p) =>
    zh`把“m.server”写成 host[:port] 的形式，不带协议前缀、路径或空格，例如${p.suggestion}。`,
  'well-known-m-server-malformed.fixWithPort': (p) => zh`把文件改为${p.document}。`,
  'well-known-m-server-malformed.fixWithoutPort': (p) =>
    zh`把文件改为${p.document}（使用 8448 端口）；如果 homeserver 在 443 端口上提供联邦服务，则改为${p.document443}。`,
  'well-known-m-server-malformed.fixHttps': (p) =>
    zh`如果 homeserver 在 443 端口上提供联邦服务（例如位于${p.raw}的反向代理之后），把文件改为${p.document443}；` +
    zh`如果它监听 8448 端口，则改为${p.document}。`,
  'well-known-html.detail': (p) =>
    zh`${p.url}返回 200 和一个 HTML 页面` +
    (p.type !== null ? zh`（Content-Type 为${p.type}）` : '') +
    '，而不是 JSON。' +
    (p.start !== null ? zh`页面以“${p.start}”开头。` : '') +
    zh`服务器会忽略它并回退到${p.fallback}。`,
  'well-known-html.fix': (p) =>
    zh`在${p.host ?? '服务器名'}上提供这个 JSON 文件，路径必须正好是 /.well-known/matrix/server，并且位于任何兜底（catch-all）规则之前，` +
    zh`例如在 nginx 中：location = /.well-known/matrix/server { default_type application/json; return 200 '${p.document}'; }` +
    (p.certain ? '' : '（仅为示例：请填写你的 homeserver 的主机名和端口）'),
  'well-known-bom.detail': (p) =>
    zh`${p.url}以 UTF-8 字节顺序标记（BOM，即字节 EF BB BF）开头。JSON 不允许 BOM，Synapse 会拒绝该文件，` +
    zh`因此服务器会回退到${p.fallback}。`,
  'well-known-bom.fix':
    "将文件另存为不带 BOM 的 UTF-8（在记事本中选择“UTF-8”而不是“带有 BOM 的 UTF-8”；或者对它运行 sed -i '1s/^\\xEF\\xBB\\xBF//'）。",
  'well-known-invalid-document.detail': (p) =>
    zh`.well-known 文件无效：${p.detail}` +
    (p.start !== null ? zh`（响应内容以“${p.start}”开头）` : '') +
    zh`。服务器会忽略该文件并回退到${p.fallback}。`,
  'well-known-invalid-document.fix': (p) => zh`让${p.url}只返回${p.suggestion}。`,
  'well-known-too-large.detail': (p) =>
    zh`.well-known 文件过大：${p.detail}。超过 50 KiB 时 Synapse 会放弃读取，并回退到${p.fallback}。`,
  'well-known-too-large.fix': (p) => zh`只提供该文件本身，几十个字节就够了：${p.suggestion}。`,
  'well-known-bad-redirect.toHttp': (p) =>
    zh`.well-known 文件的重定向有问题：${p.detail}。规范要求服务器跟随重定向，并进行正常的 X.509 证书校验，而纯 http 的响应` +
    '无法满足这一点，此外规范没有更多规定；Synapse 处理重定向时本身并不拒绝 http://，因此有些服务器可能会在未经认证的情况下' +
    zh`跟随它，而另一些服务器（包括本检查工具）会将其视为获取失败，并回退到${p.fallback}。`,
  'well-known-bad-redirect.loop': (p) =>
    zh`.well-known 文件的重定向有问题：${p.detail}。服务器遇到重定向循环或过长的重定向链时会放弃（Synapse 在 20 次重定向后放弃），` +
    zh`并回退到${p.fallback}。`,
  'well-known-bad-redirect.fix': (p) =>
    zh`直接在${p.url}以 200 状态码提供该文件（让 /.well-known/matrix/ 不受重定向规则影响）；如果必须保留重定向，` +
    '请保持使用 https://，并在一到两跳内结束。',
  'well-known-unreachable.detail': (p) =>
    zh`无法获取 .well-known 文件：${p.detail}（${p.code}）。没有它，服务器会回退到${p.fallback}，而那里同样无法连通。`,
  'well-known-unreachable.fixTls': (p) =>
    zh`在 443 端口上提供 https://${p.host}/，并使用对${p.host}有效的证书（例如 certbot -d ${p.host}），包括中间证书。`,
  'well-known-unreachable.fixDns': (p) =>
    zh`为${p.host}发布 A 记录（以及 AAAA 记录），指向提供 .well-known 文件的 Web 服务器；或者改用 SRV 记录进行委托。`,
  'well-known-unreachable.fix': (p) =>
    zh`让 https://${p.host}/ 在 443 端口上响应，并在那里提供 /.well-known/matrix/server，例如${p.suggestion}；` +
    zh`如果${p.host}没有 Web 服务器，请改为发布 SRV 记录 _matrix-fed._tcp.${p.host}。`,
  'well-known-http-status.detail': (p) =>
    zh`${p.url}返回${p.status ?? '了错误'}。` +
    (p.status !== null && p.status >= 500
      ? zh`服务器错误会被视为暂时性故障：服务器会重试并缓存这次失败，在此期间回退到${p.fallback}。`
      : zh`服务器会将其视为“没有委托”，并回退到${p.fallback}。`),
  'well-known-http-status.fix': (p) =>
    zh`返回 200 和该文件，例如${p.suggestion}；如果不做委托，则返回 404。401/403 通常来自身份认证、IP 限制、地域封锁或` +
    '机器人防护规则（Cloudflare 的 Bot Fight Mode 等机器人防护会对非浏览器的客户端发起质询，homeserver 也不例外），' +
    '这些规则必须放行 /.well-known/matrix/。',
  'well-known-absent.detail': (p) => zh`${p.url}返回 404，因此没有委托，服务器会使用${p.fallback}。`,
  'well-known-absent.fix': (p) =>
    zh`如果 homeserver 运行在其他主机或端口上，请委托到那里：在${p.url}提供${p.suggestion}。`,
  'redirect.hop': (p) => zh`${p.url}（${p.status ?? '无响应'}）`,
  'well-known-redirect-308.detail': (p) =>
    zh`.well-known 文件要经过${p.count}次重定向才能获取，其中包括 307/308：${p.chain}。当前版本的 Synapse 会跟随它们，` +
    '但有些实现和较旧的 HTTP 库只跟随 301、302 和 303。',
  'well-known-redirect-308.fix': (p) =>
    zh`直接在${p.url}以 200 状态码提供该文件；如果必须保留重定向，请使用 301 或 302。`,
  'well-known-redirect.detail': (p) =>
    zh`.well-known 文件要经过${p.count}次重定向才能获取：${p.chain}。Synapse 会跟随重定向，但并非所有实现都会，` +
    '而且每一跳都会拖慢首次连接。',
  'well-known-redirect.fix': (p) =>
    zh`直接在${p.url}以 200 状态码提供该文件（让 /.well-known/matrix/ 不受重定向影响，例如在 nginx 的重定向之前加上` +
    '“location /.well-known/matrix/”块）。',
  'well-known-slow.detail': (p) =>
    zh`获取${p.url}用了${p.seconds}秒。每台首次联系此服务器（或缓存过期后再次联系）的服务器都要等待它，` +
    '没有耐心的实现会直接放弃。',
  'well-known-slow.fix':
    '由 Web 服务器把 .well-known 文件作为静态文件或固定响应直接提供（不要经过应用程序），并尽量靠近边缘节点；它应当远不到一秒就能返回。',
  'well-known-cache-too-long.detail': (p) =>
    zh`.well-known 文件带有${p.source}，即缓存${p.hours}小时。规范规定上限为 48 小时，Synapse 也会截断到该上限，` +
    '但即便如此，委托的变更也要好几天才能传到某些服务器。',
  'well-known-cache-too-long.fix':
    '在 /.well-known/matrix/server 上发送 Cache-Control: max-age=86400（24 小时，规范的默认值）或更短的缓存时间。',
  'well-known-no-cache.detail': (p) =>
    zh`.well-known 文件带有${p.source}，禁止了缓存。Synapse 因此只缓存 5 分钟（它的最小值），而不是一天；` +
    '其他服务器可能每次请求都重新获取它，拖慢联邦通信。',
  'well-known-no-cache.fix':
    '去掉 /.well-known/matrix/server 上的 no-store 和 max-age=0（以及已经过去的 Expires），并发送 Cache-Control: max-age=3600 ' +
    '或更长的缓存时间（Synapse 会在 /.well-known/matrix/client 上发送这些头，针对它的规则常常同时作用于两者）。',
  'well-known-content-type.detail': (p) =>
    (p.type === null ? '.well-known 文件没有 Content-Type。' : zh`.well-known 文件的 Content-Type 为“${p.type}”。`) +
    '服务器仍会按 JSON 解析它，但代理、浏览器和其他工具未必如此。',
  'well-known-content-type.fix':
    '以 Content-Type: application/json 提供该文件（nginx：在 location 块中写 default_type application/json;）。',
};

/** The well-known hints' texts in every language. */
export const WELL_KNOWN_TEXTS = { en, 'zh-CN': zhCN };
