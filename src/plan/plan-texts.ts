// The words of a plan for people: the decision's reasons and caveats, the probe's summary, the text's headings, errors.

import type { Catalogue, Translation, Translations } from '../i18n/index.js';

const en = {
  // The decision (decide.ts).
  'reason.ipLiteral': (p: { serverName: string; port: number }) =>
    `${p.serverName} is an IP address: servers connect to it directly, on port ${p.port} (spec step 1); ` +
    'neither /.well-known/matrix/server nor SRV records are consulted. To delegate, use a DNS name as server_name.',
  'reason.explicitPort': (p: { serverName: string; host: string; port: number }) =>
    `${p.serverName} has a port: servers connect to ${p.host} port ${p.port} directly (spec step 2), with a certificate for ${p.host}; ` +
    'neither /.well-known/matrix/server nor SRV records are consulted, so the homeserver must answer exactly there.',
  'reason.atDefault': (p: { host: string; port: number; serverName: string }) =>
    `The homeserver is at ${p.host}:${p.port}, where servers look for ${p.serverName} by default (spec step 6).`,
  'reason.alreadyAnswers': (p: { host: string; port: number }) =>
    `${p.host}:${p.port} already answers federation with a certificate for ${p.host}: servers find the homeserver without delegation.`,
  'reason.wellKnownWouldWin':
    'A /.well-known/matrix/server document would take precedence over it: serve none unless you move federation.',
  'reason.probe': (p: { host: string; port: number; summary: string }) => `Probe of ${p.host}:${p.port}: ${p.summary}`,
  'reason.notProbed': (p: { host: string; port: number; homeserver: string }) =>
    `Not probed: assuming ${p.host}:${p.port} does not reach the homeserver, which is at ${p.homeserver}.`,
  'reason.wouldFail': (p: { host: string; port: number; summary: string }) =>
    `Servers would connect to ${p.host}:${p.port} and fail: ${p.summary}`,
  'reason.srv': (p: { host: string; target: string }) =>
    `Delegate by a DNS SRV record, as asked: _matrix-fed._tcp.${p.host} -> ${p.target}.`,
  'reason.wellKnown': (p: { host: string; target: string }) =>
    `Delegate by https://${p.host}/.well-known/matrix/server: {"m.server": "${p.target}"} (port 443, spec step 3).`,
  'caveat.srvCertificate': (p: { target: string; host: string; homeserverHost: string }) =>
    `The homeserver at ${p.target} must present a certificate valid for ${p.host} (not ${p.homeserverHost}), and receives Host: ${p.host} ` +
    '(spec steps 4-5): this is why SRV delegation is not recommended.',
  'caveat.srvClients': (p: { host: string }) =>
    `An SRV record carries federation only: clients still need https://${p.host}/.well-known/matrix/client for the homeserver URL ` +
    'and client-wide settings (Jitsi, default encryption, ...); without it they must be set in every client.',
  'caveat.documentPort': (p: { host: string }) =>
    `The document must be served on https://${p.host}/ on port 443, with a certificate valid for ${p.host}.`,
  'caveat.homeserverCertificate': (p: { target: string; homeserverHost: string }) =>
    `The homeserver must answer on ${p.target} with a certificate valid for ${p.homeserverHost}.`,
  'caveat.synapseServes': (p: { host: string }) =>
    `https://${p.host} reaches the homeserver itself, so Synapse can serve the document: serve_server_wellknown: true.`,

  // The probe's summary (probe.ts).
  'probe.noAddress': (p: { problem: string }) => `${p.problem}.`,
  'probe.hostHasNoAddress': (p: { host: string }) => `${p.host} has no address`,
  'probe.noRecords': (p: { host: string }) => `${p.host} has no A or AAAA record`,
  'probe.lookupFailed': (p: { host: string; message: string }) => p.message,
  'probe.works': (p: { host: string; server: string | null }) =>
    `the homeserver answers${p.server !== null ? ` (${p.server})` : ''} with a trusted certificate for ${p.host}.`,
  'probe.certificate': (p: { where: string; host: string; problem: string | null }) =>
    `${p.where}: the certificate is not usable for ${p.host} (${p.problem ?? 'untrusted'})`,
  'probe.version': (p: { where: string; problem: string | null }) => `${p.where}: ${p.problem ?? 'no Matrix answer'}`,
  'probe.failed': (p: { message: string }) => p.message,
  // Other languages name what failed in their words, then quote the connection's message.
  'probe.failedWords': (p: { problem: string; message: string }) => `${p.problem}: ${p.message}`,
  'probe.some': (p: { failing: number; total: number }) => ` (${p.failing} of ${p.total} addresses)`,
  'probe.sentence': (p: { why: string; count: string }) => `${p.why}${p.count}.`,

  // The text (render.ts).
  heading: (p: { serverName: string }) => `Delegation plan for ${p.serverName}`,
  homeserver: (p: { url: string; address: string }) => `  Homeserver: ${p.url} (federation on ${p.address})`,
  'verdict.srv': 'Is delegation needed? Yes: by an SRV record (as asked).',
  'verdict.wellKnown': 'Is delegation needed? Yes: by /.well-known/matrix/server.',
  'verdict.notNeeded': 'Is delegation needed? No.',
  'verdict.notPossible': 'Is delegation needed? It is not possible for this server name.',
  mind: '  Mind:',
  srvPossible: (p: { host: string }) =>
    `  SRV delegation is possible too, but not recommended (the certificate must name ${p.host}; no client settings): see 4.`,
  documents: (p: { host: string }) =>
    `1. The documents, on https://${p.host}/ (port 443), as application/json with CORS headers:`,
  'notServed.srv': 'not served (SRV delegation)',
  'notServed.none': 'not served (no delegation)',
  'notServed.client': 'not served',
  'notServed.support': 'not served (add --support-email, --support-matrix-id or --support-page)',
  configSave: (p: { file: string }) => `2. A matrix-delegation config that serves them: save it as ${p.file}, then run`,
  configRun: (p: { file: string; host: string }) =>
    `   \`matrix-delegation serve --config ${p.file}\` on ${p.host}, or \`matrix-delegation config <server> --from ${p.file}\`.`,
  webServer: '3. Or serve them with your web server (the same bytes and headers):',
  'target.nginx': 'nginx (a server block for the http context)',
  'target.caddy': 'Caddy (Caddyfile site block)',
  'target.apache': 'Apache httpd (a <VirtualHost>; the documents are files)',
  'target.haproxy': 'HAProxy (frontend and backend sections)',
  dns: '4. DNS (zone-file syntax):',
  dnsBlock: 'DNS records',
  srvInstead: 'SRV delegation instead of the well-known document (not recommended):',
  srvCertificate: (p: { host: string }) =>
    `  The homeserver must then present a certificate for ${p.host}, and clients still need /.well-known/matrix/client.`,
  synapse: '5. Synapse (homeserver.yaml):',
  warning: (p: { warning: string }) => `Warning: ${p.warning}`,
  next: (p: { command: string }) =>
    `Next: once this is in place, run \`${p.command}\` to test it as other servers will.`,

  // Errors of the plan's input.
  'error.homeserverNotUrl': (p: { text: string }) =>
    `the homeserver ${p.text} is not a URL; write it as https://matrix.example.com[:port]`,
  'error.homeserverNotHttps': (p: { text: string }) =>
    `the homeserver ${p.text} is not an https:// URL: federation and clients need HTTPS; give the address where its TLS listener (or reverse proxy) answers`,
  'error.homeserverExtra': (p: { text: string }) =>
    `the homeserver ${p.text} has a user, query or fragment; give https://host[:port]`,
  'error.jitsiDomain': (p: { value: string }) =>
    `--jitsi-domain "${p.value}" is not a host name: give the host of the Jitsi Meet server alone, e.g. jitsi.example.com (no https://, no path)`,
  'error.livekitUrl': (p: { value: string }) =>
    `--livekit-service-url "${p.value}" is not an https:// URL: give the base URL of the LiveKit JWT service, e.g. https://matrix-rtc.example.com/livekit/jwt`,
  'error.settings': (p: { errors: string }) => `the plan's settings are not usable:\n${p.errors}`,
} satisfies Catalogue;

const zhCN: Translation<typeof en> = {
  'reason.ipLiteral': (p) =>
    `${p.serverName} 是一个 IP 地址：其他服务器会直接连接它的 ${p.port} 端口（规范第 1 步），既不读取 /.well-known/matrix/server，` +
    '也不查询 SRV 记录。要使用委托，请把 server_name 设为一个 DNS 域名。',
  'reason.explicitPort': (p) =>
    `${p.serverName} 带有端口：其他服务器会直接连接 ${p.host} 的 ${p.port} 端口（规范第 2 步），并要求证书对 ${p.host} 有效；` +
    '既不读取 /.well-known/matrix/server，也不查询 SRV 记录，因此 homeserver 必须正好在那里应答。',
  'reason.atDefault': (p) =>
    `homeserver 位于 ${p.host}:${p.port}，其他服务器默认就在这里寻找 ${p.serverName}（规范第 6 步）。`,
  'reason.alreadyAnswers': (p) =>
    `${p.host}:${p.port} 已经以对 ${p.host} 有效的证书应答联邦请求：其他服务器无需委托就能找到 homeserver。`,
  'reason.wellKnownWouldWin':
    '/.well-known/matrix/server 文件会优先于它生效：除非要把联邦流量迁走，否则不要提供这个文件。',
  'reason.probe': (p) => `探测 ${p.host}:${p.port}：${p.summary}`,
  'reason.notProbed': (p) => `未探测：假定 ${p.host}:${p.port} 无法到达 homeserver，homeserver 位于 ${p.homeserver}。`,
  'reason.wouldFail': (p) => `其他服务器会连接 ${p.host}:${p.port}，但会失败：${p.summary}`,
  'reason.srv': (p) => `按要求通过 SRV DNS 记录委托：_matrix-fed._tcp.${p.host} -> ${p.target}。`,
  'reason.wellKnown': (p) =>
    `通过 https://${p.host}/.well-known/matrix/server 委托：{"m.server": "${p.target}"}（443 端口，规范第 3 步）。`,
  'caveat.srvCertificate': (p) =>
    `位于 ${p.target} 的 homeserver 必须出示对 ${p.host}（而不是 ${p.homeserverHost}）有效的证书，收到的 Host 也是 ${p.host}` +
    '（规范第 4-5 步）：这正是不推荐 SRV 委托的原因。',
  'caveat.srvClients': (p) =>
    `SRV 记录只用于联邦：客户端仍然需要 https://${p.host}/.well-known/matrix/client 来获取 homeserver 地址和全局客户端设置` +
    '（Jitsi、默认加密等）；没有它，就只能在每个客户端中分别设置。',
  'caveat.documentPort': (p) => `该文件必须在 https://${p.host}/ 的 443 端口上提供，并使用对 ${p.host} 有效的证书。`,
  'caveat.homeserverCertificate': (p) =>
    `homeserver 必须在 ${p.target} 上应答，并使用对 ${p.homeserverHost} 有效的证书。`,
  'caveat.synapseServes': (p) =>
    `https://${p.host} 直接到达 homeserver 本身，因此可以由 Synapse 提供该文件：serve_server_wellknown: true。`,

  'probe.noAddress': (p) => `${p.problem}。`,
  'probe.hostHasNoAddress': (p) => `${p.host} 没有地址`,
  'probe.noRecords': (p) => `${p.host} 没有 A 或 AAAA 记录`,
  'probe.lookupFailed': (p) => `${p.host} 的地址查询失败（${p.message}）`,
  'probe.works': (p) =>
    `homeserver 已应答${p.server !== null ? `（${p.server}）` : ''}，使用的是对 ${p.host} 有效的受信任证书。`,
  'probe.certificate': (p) => `${p.where}：证书不能用于 ${p.host}（${p.problem ?? '不受信任'}）`,
  'probe.version': (p) =>
    `${p.where}：${p.problem !== null ? `federation 版本请求失败（${p.problem}）` : '没有 Matrix 应答'}`,
  'probe.failed': (p) => p.message,
  'probe.failedWords': (p) => `${p.problem}（${p.message}）`,
  'probe.some': (p) => `（${p.total} 个地址中有 ${p.failing} 个）`,
  'probe.sentence': (p) => `${p.why}${p.count}。`,

  heading: (p) => `${p.serverName} 的委托方案`,
  homeserver: (p) => `  Homeserver：${p.url}（联邦流量走 ${p.address}）`,
  'verdict.srv': '需要委托吗？需要：按要求使用 SRV 记录。',
  'verdict.wellKnown': '需要委托吗？需要：使用 /.well-known/matrix/server。',
  'verdict.notNeeded': '需要委托吗？不需要。',
  'verdict.notPossible': '需要委托吗？这个服务器名无法使用委托。',
  mind: '  注意：',
  srvPossible: (p) => `  也可以使用 SRV 委托，但不推荐（证书必须包含 ${p.host}，而且无法提供客户端设置）：见第 4 项。`,
  documents: (p) => `1. 这些文件放在 https://${p.host}/（443 端口），以 application/json 类型提供，并带 CORS 头：`,
  'notServed.srv': '不提供（SRV 委托）',
  'notServed.none': '不提供（不委托）',
  'notServed.client': '不提供',
  'notServed.support': '不提供（可添加 --support-email、--support-matrix-id 或 --support-page）',
  configSave: (p) => `2. 提供这些文件的 matrix-delegation 配置：保存为 ${p.file}，然后`,
  configRun: (p) =>
    `   在 ${p.host} 上运行 \`matrix-delegation serve --config ${p.file}\`，或者运行 \`matrix-delegation config <server> --from ${p.file}\`。`,
  webServer: '3. 或者用你的 Web 服务器提供它们（内容和响应头完全相同）：',
  'target.nginx': 'nginx（用于 http 上下文的 server 块）',
  'target.caddy': 'Caddy（Caddyfile 站点块）',
  'target.apache': 'Apache httpd（一个 <VirtualHost>；这些文件以普通文件提供）',
  'target.haproxy': 'HAProxy（frontend 和 backend 配置段）',
  dns: '4. DNS（区域文件语法）：',
  dnsBlock: 'DNS 记录',
  srvInstead: '用 SRV 委托代替 .well-known 文件（不推荐）：',
  srvCertificate: (p) =>
    `  这时 homeserver 必须出示对 ${p.host} 有效的证书，而客户端仍然需要 /.well-known/matrix/client。`,
  synapse: '5. Synapse 的配置（homeserver.yaml）：',
  warning: (p) => `警告：${p.warning}`,
  next: (p) => `下一步：部署完成后，运行 \`${p.command}\`，像其他服务器那样测试它。`,

  'error.homeserverNotUrl': (p) => `homeserver ${p.text} 不是 URL；请写成 https://matrix.example.com[:port]`,
  'error.homeserverNotHttps': (p) =>
    `homeserver ${p.text} 不是 https:// URL：联邦和客户端都需要 HTTPS；请填写它的 TLS 监听器（或反向代理）应答的地址`,
  'error.homeserverExtra': (p) => `homeserver ${p.text} 带有用户名、查询串或片段；请填写 https://host[:port]`,
  'error.jitsiDomain': (p) =>
    `--jitsi-domain "${p.value}" 不是主机名：请只填写 Jitsi Meet 服务器的主机名，例如 jitsi.example.com（不要 https://，也不要路径）`,
  'error.livekitUrl': (p) =>
    `--livekit-service-url "${p.value}" 不是 https:// URL：请填写 LiveKit JWT 服务的基础 URL，例如 https://matrix-rtc.example.com/livekit/jwt`,
  'error.settings': (p) => `方案的设置不可用：\n${p.errors}`,
};

/** The words of a plan in every language. */
export const PLAN_TEXTS: Translations<typeof en> = { en, 'zh-CN': zhCN };
