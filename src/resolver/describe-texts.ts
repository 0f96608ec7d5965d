// The words of a resolution for people: each step's description, the well-known outcome, the error, in every language.

import type { Catalogue, Translation, Translations } from '../i18n/index.js';

/** `(via CNAME a -> b)` after a host name, or nothing. */
const viaEn = (chain: readonly string[]): string => (chain.length > 0 ? ` (via CNAME ${chain.join(' -> ')})` : '');
/** `（经 CNAME a -> b）` after a host name, else the space before the Chinese words that follow it. */
const viaZh = (chain: readonly string[]): string => (chain.length > 0 ? `（经 CNAME ${chain.join(' -> ')}）` : ' ');

/**
 * The resolver's words in English: the messages say what `src/resolver/resolve.ts` writes into each trace entry's
 * `reason` (a test renders both and compares them), so that a translation says the same. English output itself
 * shows the resolver's own `reason`, never these.
 */
const en = {
  // The server name (before step 1).
  'parse.failed': (p: { name: string; problem: string }) => `the server name "${p.name}" is invalid: ${p.problem}`,

  // Steps 1 and 2.
  'step1.taken': (p: { name: string; address: string; ip: string }) =>
    `${p.name} is an IP literal: connect to ${p.address}, no SNI, the certificate must name ${p.ip}`,
  'step1.skipped': (p: { host: string }) => `${p.host} is not an IP literal`,
  'step2.taken': (p: { name: string }) => `${p.name} has an explicit port: no well-known, no SRV`,
  'step2.skipped': 'no explicit port in the server name',

  // Steps skipped because of a decision already taken (one line per reason without --trace).
  'skip.ipLiteral': 'the server name is an IP literal (step 1)',
  'skip.explicitPort': 'the server name has an explicit port (step 2)',
  'skip.wellKnownStopped': 'the resolution was stopped during the well-known fetch (step 3)',
  'skip.delegated': 'the well-known delegation decided the target (step 3)',
  'skip.mServerIp': 'm.server is an IP literal (step 3.1)',
  'skip.mServerPort': 'm.server has an explicit port (step 3.2)',
  'skip.srvFound': (p: { srvName: string; step: string }) => `${p.srvName} has SRV records (step ${p.step})`,

  // Step 3: the well-known.
  'wellKnown.delegates': (p: { url: string; mServer: string }) => `${p.url} delegates to ${p.mServer}`,
  'wellKnown.stopped': (p: { why: string }) => `the well-known fetch was stopped: ${p.why}`,
  'wellKnown.noDelegation': (p: { detail: string }) => `no delegation: ${p.detail}; going on with step 4`,
  'abort.budget': (p: { ms: number }) => `resolution took longer than ${p.ms} ms`,
  'abort.other': 'the resolution was aborted',

  // What the well-known fetch found (the outcome's detail).
  'wk.notFound': (p: { url: string }) => `${p.url} answered 404: there is no well-known document`,
  'wk.serverError': (p: { url: string; status: number }) =>
    `${p.url} answered ${p.status}, a server error (possibly temporary)`,
  'wk.status': (p: { url: string; status: number }) =>
    `${p.url} answered ${p.status} instead of 200, which counts as no well-known document`,
  'wk.bom': (p: { url: string }) =>
    `${p.url}: the document starts with a UTF-8 byte order mark (bytes EF BB BF), which JSON does not allow and Synapse rejects; save the file as UTF-8 without BOM`,
  'wk.notUtf8': (p: { url: string }) => `${p.url}: the document is not valid UTF-8 text`,
  'wk.empty': (p: { url: string }) => `${p.url}: the document is empty; it should be {"m.server": "<host>[:<port>]"}`,
  'wk.syntax': (p: { url: string; error: string }) => `${p.url}: the document is not valid JSON (${p.error})`,
  'wk.invalidJson': (p: { url: string }) => `${p.url}: the document is not valid JSON`,
  'wk.notObject': (p: { url: string }) =>
    `${p.url}: the document is not a JSON object like {"m.server": "<host>[:<port>]"}`,
  'wk.missingMServer': (p: { url: string }) =>
    `${p.url}: the document has no "m.server" member; it should be {"m.server": "<host>[:<port>]"}`,
  'wk.mServerNotString': (p: { url: string }) =>
    `${p.url}: "m.server" is not a string such as "matrix.example.org:443"`,
  'wk.mServerInvalid': (p: { url: string; mServer: string; problem: string }) =>
    `${p.url}: "m.server" ("${p.mServer}") is not a valid server name: ${p.problem}`,
  'wk.tooLarge': (p: { url: string }) =>
    `${p.url} sent a body larger than the limit (a well-known document is a few hundred bytes at most)`,
  'wk.tooManyRedirects': (p: { url: string }) => `${p.url}: too many redirects`,
  'wk.redirectLoop': (p: { url: string }) => `${p.url}: the redirects go round in a loop`,
  'wk.badRedirect': (p: { url: string }) => `${p.url}: a redirect that cannot be followed (not HTTPS, or no Location)`,
  'wk.blocked': (p: { url: string; host: string }) =>
    `${p.url}: not contacted, because the address policy denies every address of ${p.host}`,
  'wk.failed': (p: { url: string; problem: string }) => `${p.url}: ${p.problem}`,
  'wk.skipInvalid': 'the server name is invalid',
  'wk.skipIp': 'the server name is an IP literal',
  'wk.skipPort': 'the server name has an explicit port',

  // Steps 3.1 and 3.2.
  'step3_1.taken': (p: { name: string; address: string }) =>
    `m.server is the IP literal ${p.name}: connect to ${p.address}`,
  'step3_1.skipped': (p: { host: string }) => `m.server host ${p.host} is not an IP literal`,
  'step3_2.taken': (p: { name: string }) => `m.server ${p.name} has a port: no SRV lookup`,
  'step3_2.skipped': (p: { host: string }) => `m.server ${p.host} has no port`,

  // SRV lookups (3.3, 3.4, 4, 5).
  'srv.none': (p: { srvName: string; why: string }) => `no SRV records at ${p.srvName} (${p.why})`,
  'srv.nxdomain': 'NXDOMAIN',
  'srv.nodata': 'no records of that type',
  'srv.failed': (p: { srvName: string; problem: string }) => `SRV lookup of ${p.srvName} failed: ${p.problem}`,
  'srv.unavailable': (p: { srvName: string }) =>
    `${p.srvName} has a single SRV record with target ".": the service is explicitly unavailable`,
  'srv.taken': (p: { srvName: string; count: number; max: number | null; host: string }) =>
    `${p.srvName} has ${p.count} SRV record(s)${p.max !== null ? ` (only the first ${p.max} in RFC 2782 order are used)` : ''}: connect to their targets, Host and certificate ${p.host}`,

  // The host on the default port (3.5, 6), and address lookups.
  'host.taken': (p: { host: string; port: number }) => `no SRV records: connect to ${p.host} on port ${p.port}`,
  'addr.found': (p: { host: string; chain: readonly string[]; addresses: readonly string[]; problem: string | null }) =>
    `${p.host}${viaEn(p.chain)} has address(es) ${p.addresses.join(', ')}${p.problem !== null ? ` (and a DNS error: ${p.problem})` : ''}`,
  'addr.failed': (p: { host: string; problem: string }) => `address lookup of ${p.host} failed: ${p.problem}`,
  'addr.none': (p: { host: string; chain: readonly string[] }) => `${p.host}${viaEn(p.chain)} has no AAAA or A records`,

  // The address policy.
  'policy.denied': (p: { ip: string; step: string; why: string }) => `${p.ip} (step ${p.step}) not contacted: ${p.why}`,
  'policy.notIp': (p: { ip: string }) => `"${p.ip}" is not an IP address, so it cannot be checked and is denied`,
  'policy.unspecified': (p: { ip: string }) =>
    `${p.ip} is the unspecified address, which is always denied (dialling it reaches this machine)`,
  'policy.inRange': (p: { ip: string; range: string }) => `${p.ip} is in ${p.range}, a denied network`,

  // Why a resolution has no targets.
  'error.denied': (p: { addresses: readonly string[] }) =>
    `every address found (${p.addresses.join(', ')}) is in a denied network; nothing was contacted (allow it with --allow-network if it is yours)`,
  'error.noTargets': 'resolution found no address to connect to',

  // What went wrong, by error code (DNS, connections, TLS).
  'code.DNS_NXDOMAIN': 'the name does not exist (NXDOMAIN)',
  'code.DNS_NODATA': 'no records of that type',
  'code.DNS_SERVFAIL': 'the DNS server answered SERVFAIL',
  'code.DNS_TIMEOUT': 'the DNS server did not answer in time',
  'code.DNS_ERROR': 'the DNS query failed',
  'code.DNS_CNAME_LOOP': 'the CNAME records go round in a loop',
  'code.ADDRESS_DENIED': 'the address is in a denied network',
  'code.CONNECT_REFUSED': 'the connection was refused',
  'code.CONNECT_TIMEOUT': 'the connection timed out',
  'code.CONNECT_UNREACHABLE': 'the address is unreachable',
  'code.CONNECTION_RESET': 'the connection was reset',
  'code.TLS_ERROR': 'the TLS handshake failed',
  'code.TLS_NAME_MISMATCH': 'the certificate does not name the host',
  'code.TLS_UNTRUSTED': 'the certificate is not trusted',
  'code.TLS_EXPIRED': 'the certificate has expired',
  'code.TLS_NOT_YET_VALID': 'the certificate is not yet valid',
  'code.TLS_SELF_SIGNED': 'the certificate is self-signed',
  'code.TLS_INCOMPLETE_CHAIN': 'the certificate chain is incomplete (an intermediate certificate is missing)',
  'code.TIMEOUT': 'it timed out',
  'code.BODY_TOO_LARGE': 'the answer was too large',
  'code.HTTP_ERROR': 'the HTTP request failed',
  'code.other': (p: { code: string }) => `error ${p.code}`,

  // The cache notes of `resolve --trace`.
  'cache.hit': (p: { age: string }) => `cache hit, ${p.age} old`,
  'cache.staleHit': (p: { age: string }) => `stale cache hit, ${p.age} old`,
  'cache.fetched': (p: { lifetime: string }) => `fetched, cached ${p.lifetime}`,
  'cache.notCached': 'fetched, not cached',
  'age.ms': (p: { n: number }) => `${p.n} ms`,
  'age.s': (p: { n: number }) => `${p.n} s`,
  'age.min': (p: { n: number }) => `${p.n} min`,
  'age.h': (p: { n: number }) => `${p.n} h`,
  'age.d': (p: { n: number }) => `${p.n} d`,
} satisfies Catalogue;

const zhCN: Translation<typeof en> = {
  'parse.failed': (p) => `服务器名 "${p.name}" 无效：${p.problem}`,

  'step1.taken': (p) => `${p.name} 是 IP 字面量：连接 ${p.address}，不发送 SNI，证书必须对 ${p.ip} 有效`,
  'step1.skipped': (p) => `${p.host} 不是 IP 字面量`,
  'step2.taken': (p) => `${p.name} 带有明确的端口：不查询 .well-known 文件，也不查询 SRV 记录`,
  'step2.skipped': '服务器名中没有明确的端口',

  'skip.ipLiteral': '服务器名是 IP 字面量（第 1 步）',
  'skip.explicitPort': '服务器名带有明确的端口（第 2 步）',
  'skip.wellKnownStopped': '获取 .well-known 文件时解析被中止（第 3 步）',
  'skip.delegated': '.well-known 委托已经决定了目标（第 3 步）',
  'skip.mServerIp': 'm.server 是 IP 字面量（第 3.1 步）',
  'skip.mServerPort': 'm.server 带有明确的端口（第 3.2 步）',
  'skip.srvFound': (p) => `${p.srvName} 有 SRV 记录（第 ${p.step} 步）`,

  'wellKnown.delegates': (p) => `${p.url} 委托给 ${p.mServer}`,
  'wellKnown.stopped': (p) => `获取 .well-known 文件被中止：${p.why}`,
  'wellKnown.noDelegation': (p) => `没有委托：${p.detail}；继续执行第 4 步`,
  'abort.budget': (p) => `服务器名解析超过了 ${p.ms} ms 的时间预算`,
  'abort.other': '服务器名解析被中止',

  'wk.notFound': (p) => `${p.url} 返回 404：没有 .well-known 文件`,
  'wk.serverError': (p) => `${p.url} 返回 ${p.status}，这是服务器错误（可能是暂时的）`,
  'wk.status': (p) => `${p.url} 返回 ${p.status} 而不是 200，视为没有 .well-known 文件`,
  'wk.bom': (p) =>
    `${p.url}：文档以 UTF-8 字节顺序标记（BOM，字节 EF BB BF）开头，JSON 不允许这样，Synapse 也会拒绝；请将文件保存为不带 BOM 的 UTF-8`,
  'wk.notUtf8': (p) => `${p.url}：文档不是有效的 UTF-8 文本`,
  'wk.empty': (p) => `${p.url}：文档是空的；它应为 {"m.server": "<host>[:<port>]"}`,
  'wk.syntax': (p) => `${p.url}：文档不是有效的 JSON（系统原文：${p.error}）`,
  'wk.invalidJson': (p) => `${p.url}：文档不是有效的 JSON`,
  'wk.notObject': (p) => `${p.url}：文档不是形如 {"m.server": "<host>[:<port>]"} 的 JSON 对象`,
  'wk.missingMServer': (p) => `${p.url}：文档中没有 "m.server" 成员；它应为 {"m.server": "<host>[:<port>]"}`,
  'wk.mServerNotString': (p) => `${p.url}："m.server" 不是字符串（应为 "matrix.example.org:443" 这样的字符串）`,
  'wk.mServerInvalid': (p) => `${p.url}："m.server"（"${p.mServer}"）不是有效的服务器名：${p.problem}`,
  'wk.tooLarge': (p) => `${p.url} 返回的内容超过了大小限制（.well-known 文件最多只有几百字节）`,
  'wk.tooManyRedirects': (p) => `${p.url}：重定向次数过多`,
  'wk.redirectLoop': (p) => `${p.url}：重定向形成了循环`,
  'wk.badRedirect': (p) => `${p.url}：无法跟随的重定向（不是 HTTPS，或没有 Location）`,
  'wk.blocked': (p) => `${p.url}：未连接，因为地址策略拒绝了 ${p.host} 的所有地址`,
  'wk.failed': (p) => `${p.url}：${p.problem}`,
  'wk.skipInvalid': '服务器名无效',
  'wk.skipIp': '服务器名是 IP 字面量',
  'wk.skipPort': '服务器名带有明确的端口',

  'step3_1.taken': (p) => `m.server 是 IP 字面量 ${p.name}：连接 ${p.address}`,
  'step3_1.skipped': (p) => `m.server 的主机 ${p.host} 不是 IP 字面量`,
  'step3_2.taken': (p) => `m.server ${p.name} 带有端口：不查询 SRV 记录`,
  'step3_2.skipped': (p) => `m.server ${p.host} 没有端口`,

  'srv.none': (p) => `${p.srvName} 没有 SRV 记录（${p.why}）`,
  'srv.nxdomain': 'NXDOMAIN，该名称不存在',
  'srv.nodata': '没有该类型的记录',
  'srv.failed': (p) => `${p.srvName} 的 SRV 查询失败：${p.problem}`,
  'srv.unavailable': (p) => `${p.srvName} 只有一条目标为 "." 的 SRV 记录：该服务被明确声明为不可用`,
  'srv.taken': (p) =>
    `${p.srvName} 有 ${p.count} 条 SRV 记录${p.max !== null ? `（只使用按 RFC 2782 排序的前 ${p.max} 条）` : ''}：连接这些记录的目标，Host 和证书使用 ${p.host}`,

  'host.taken': (p) => `没有 SRV 记录：连接 ${p.host} 的 ${p.port} 端口`,
  'addr.found': (p) =>
    `${p.host}${viaZh(p.chain)}的地址为 ${p.addresses.join('、')}${p.problem !== null ? `（另有一个 DNS 错误：${p.problem}）` : ''}`,
  'addr.failed': (p) => `${p.host} 的地址查询失败：${p.problem}`,
  'addr.none': (p) => `${p.host}${viaZh(p.chain)}没有 AAAA 或 A 记录`,

  'policy.denied': (p) => `${p.ip}（第 ${p.step} 步）未连接：${p.why}`,
  'policy.notIp': (p) => `"${p.ip}" 不是 IP 地址，无法检查，因此被拒绝`,
  'policy.unspecified': (p) => `${p.ip} 是未指定地址，总是被拒绝（连接它会连到本机）`,
  'policy.inRange': (p) => `${p.ip} 位于被拒绝的网段 ${p.range} 中`,

  'error.denied': (p) =>
    `找到的每个地址（${p.addresses.join('、')}）都位于被拒绝的网段中，没有进行任何连接（如果这是你自己的网络，可以用 --allow-network 允许它）`,
  'error.noTargets': '服务器名解析没有找到可以连接的地址',

  'code.DNS_NXDOMAIN': '该名称不存在（NXDOMAIN）',
  'code.DNS_NODATA': '没有该类型的记录',
  'code.DNS_SERVFAIL': 'DNS 服务器返回 SERVFAIL',
  'code.DNS_TIMEOUT': 'DNS 服务器没有及时应答（超时）',
  'code.DNS_ERROR': 'DNS 查询出错',
  'code.DNS_CNAME_LOOP': 'CNAME 记录形成了循环',
  'code.ADDRESS_DENIED': '地址位于被拒绝的网段中',
  'code.CONNECT_REFUSED': '连接被拒绝',
  'code.CONNECT_TIMEOUT': '连接超时',
  'code.CONNECT_UNREACHABLE': '地址不可达',
  'code.CONNECTION_RESET': '连接被重置',
  'code.TLS_ERROR': 'TLS 握手失败',
  'code.TLS_NAME_MISMATCH': '证书与主机名不匹配',
  'code.TLS_UNTRUSTED': '证书不受信任',
  'code.TLS_EXPIRED': '证书已过期',
  'code.TLS_NOT_YET_VALID': '证书尚未生效',
  'code.TLS_SELF_SIGNED': '证书是自签名的',
  'code.TLS_INCOMPLETE_CHAIN': '证书链不完整（缺少中间证书）',
  'code.TIMEOUT': '超时',
  'code.BODY_TOO_LARGE': '应答内容过大',
  'code.HTTP_ERROR': 'HTTP 请求失败',
  'code.other': (p) => `错误 ${p.code}`,

  'cache.hit': (p) => `缓存命中，应答已有 ${p.age}`,
  'cache.staleHit': (p) => `过期的缓存命中，应答已有 ${p.age}`,
  'cache.fetched': (p) => `新获取，缓存 ${p.lifetime}`,
  'cache.notCached': '新获取，未缓存',
  'age.ms': (p) => `${p.n} 毫秒`,
  'age.s': (p) => `${p.n} 秒`,
  'age.min': (p) => `${p.n} 分钟`,
  'age.h': (p) => `${p.n} 小时`,
  'age.d': (p) => `${p.n} 天`,
};

/** The words of a resolution (steps, well-known outcome, errors, cache notes) in every language. */
export const RESOLUTION_TEXTS: Translations<typeof en> = { en, 'zh-CN': zhCN };

// The server-name rules' words live with the parser; re-exported here, where the diagnosis first found them.
export { SERVER_NAME_RULE_TEXTS } from '../server-name/rule-texts.js';
