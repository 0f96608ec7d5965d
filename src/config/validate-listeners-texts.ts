// The words of the listener and TLS checks (validate-listeners.ts).

import type { Catalogue, Translation, Translations } from '../i18n/index.js';

const en = {
  'listeners.notListProblem': (p: { value: string }) => `expected a list of listeners, got ${p.value}`,
  'listeners.notListFix': 'write each listener as a list item: listeners: [{ port: 8080 }]',
  'listeners.emptyProblem': 'the list of listeners is empty, so the server would not listen anywhere',
  'listeners.emptyFix': 'add a listener, e.g. listeners: [{ port: 8080 }], or remove the key to use that default',
  'listeners.noHttpProblem': 'no listener of type http, so the server would not listen anywhere',
  'listeners.noHttpFix': 'add a listener with type: http (or no type), e.g. { port: 8080 }',
  'listener.notMappingProblem': (p: { value: string }) =>
    `expected a listener (port, bind_addresses, tls), got ${p.value}`,
  'listener.notMappingFix': 'write the listener as a mapping, e.g. - port: 8080',
  'listener.otherType': (p: { type: string }) => `a listener of type ${p.type} is not served by this server; skipped`,
  'listener.socket': 'UNIX socket listeners are not supported; skipped',
  'listener.noPortProblem': 'a listener needs a port',
  'listener.noPortFix': 'add a port, e.g. port: 8080 (or 443 with tls: true)',
  'bind.emptyProblem': 'the list of addresses is empty, so this listener would not listen anywhere',
  'bind.emptyFix': "list addresses, e.g. ['127.0.0.1', '::1'], or remove the key to listen on every interface",
  'bind.bracketsProblem': (p: { value: string }) => `${p.value} has brackets`,
  'bind.bracketsFix': (p: { address: string }) => `write the IPv6 address without brackets: ${p.address}`,
  'bind.notIpProblem': (p: { value: string }) => `${p.value} is not an IP address (host names cannot be bound)`,
  'bind.localhostFix': 'use 127.0.0.1 and/or ::1',
  'bind.notIpFix':
    "use an IP address of this machine, '0.0.0.0' / '::' for every interface, or '127.0.0.1' behind a reverse proxy",
  'duplicate.problem': (p: { port: number; address: string; first: number }) =>
    `port ${p.port} on ${p.address} is already used by listeners[${p.first}]`,
  'duplicate.fix': (p: { index: number }) => `give listeners[${p.index}] another port, or merge the two listeners`,
  'tls.certificateUnused': 'no listener has tls: true, so this certificate is not used',
  'tls.keyUnused': 'no listener has tls: true, so this key is not used',
  'tls.noCertificateProblem': (p: { index: number }) =>
    `listeners[${p.index}] has tls: true but no certificate is configured`,
  'tls.noCertificateFix':
    'set tls_certificate_path to the PEM certificate chain, e.g. /etc/letsencrypt/live/example.com/fullchain.pem, or set tls: false',
  'tls.noKeyProblem': (p: { index: number }) => `listeners[${p.index}] has tls: true but no private key is configured`,
  'tls.noKeyFix':
    'set tls_private_key_path to the PEM private key, e.g. /etc/letsencrypt/live/example.com/privkey.pem, or set tls: false',
  'tls.mismatchProblem': (p: { key: string; certificate: string; reason: string }) =>
    `the key ${p.key} cannot be used with the certificate ${p.certificate}: ${p.reason}`,
  'tls.mismatchFix':
    'point tls_private_key_path at the key the certificate was issued for (with certbot: privkey.pem next to fullchain.pem)',
  'pem.whatCertificate': 'PEM certificate chain',
  'pem.whatKey': 'PEM private key',
  'pem.missingCertificate': 'correct the path, or create the certificate file there',
  'pem.missingKey': 'correct the path, or create the key file there',
  'pem.unreadableCertificate': 'make the certificate file readable by the user running the server',
  'pem.unreadableKey': 'make the key file readable by the user running the server',
  'pem.noCertificateProblem': (p: { file: string }) =>
    `${p.file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
  'pem.noCertificateFix':
    'use the PEM certificate chain (with certbot: fullchain.pem); convert DER with openssl x509 -inform der',
  'pem.encryptedProblem': (p: { file: string }) =>
    `${p.file} is an encrypted private key, and the server cannot ask for its passphrase`,
  'pem.encryptedFix': 'store the key unencrypted (openssl pkey -in encrypted.pem -out key.pem) with file mode 600',
  'pem.noKeyProblem': (p: { file: string }) => `${p.file} holds no PEM private key (-----BEGIN PRIVATE KEY-----)`,
  'pem.noKeyFix': 'use the PEM private key (with certbot: privkey.pem)',
  'certificate.unreadable': (p: { reason: string }) => `the certificate could not be inspected: ${p.reason}`,
  'certificate.expired': (p: { date: string }) =>
    `the certificate expired on ${p.date}; clients and servers will refuse it: renew it`,
  'certificate.notYetValid': (p: { date: string }) =>
    `the certificate is not valid before ${p.date}; check the clock of this machine`,
  'certificate.expiresSoon': (p: { date: string; days: number }) =>
    `the certificate expires on ${p.date}, in less than ${p.days} days: renew it`,
  'certificate.wrongName': (p: { host: string }) =>
    `the certificate is not valid for ${p.host}; servers and clients fetch https://${p.host}/.well-known/matrix/* and would refuse it`,
} satisfies Catalogue;

const zhCN: Translation<typeof en> = {
  'listeners.notListProblem': (p) => `应为监听器列表，实际是${p.value}`,
  'listeners.notListFix': '把每个监听器写成列表项：listeners: [{ port: 8080 }]',
  'listeners.emptyProblem': '监听器列表是空的，服务器不会在任何地方监听',
  'listeners.emptyFix': '添加一个监听器，例如 listeners: [{ port: 8080 }]，或者删除这个键以使用该默认值',
  'listeners.noHttpProblem': '没有 http 类型的监听器，服务器不会在任何地方监听',
  'listeners.noHttpFix': '添加一个 type: http（或不写 type）的监听器，例如 { port: 8080 }',
  'listener.notMappingProblem': (p) => `应为监听器（port、bind_addresses、tls），实际是${p.value}`,
  'listener.notMappingFix': '把监听器写成映射，例如 - port: 8080',
  'listener.otherType': (p) => `本服务器不提供类型为 ${p.type} 的监听器；已跳过`,
  'listener.socket': '不支持 UNIX 套接字监听器；已跳过',
  'listener.noPortProblem': '监听器需要一个端口',
  'listener.noPortFix': '添加端口，例如 port: 8080（或者 443 并设置 tls: true）',
  'bind.emptyProblem': '地址列表是空的，这个监听器不会在任何地方监听',
  'bind.emptyFix': "列出地址，例如 ['127.0.0.1', '::1']，或者删除这个键以在所有网络接口上监听",
  'bind.bracketsProblem': (p) => `${p.value} 带有方括号`,
  'bind.bracketsFix': (p) => `IPv6 地址不要加方括号：${p.address}`,
  'bind.notIpProblem': (p) => `${p.value} 不是 IP 地址（不能绑定主机名）`,
  'bind.localhostFix': '使用 127.0.0.1 和/或 ::1',
  'bind.notIpFix': "使用本机的 IP 地址；'0.0.0.0' / '::' 表示所有网络接口；位于反向代理之后时使用 '127.0.0.1'",
  'duplicate.problem': (p) => `${p.address} 上的 ${p.port} 端口已被 listeners[${p.first}] 使用`,
  'duplicate.fix': (p) => `给 listeners[${p.index}] 换一个端口，或者合并这两个监听器`,
  'tls.certificateUnused': '没有监听器设置了 tls: true，因此不会使用这个证书',
  'tls.keyUnused': '没有监听器设置了 tls: true，因此不会使用这个私钥',
  'tls.noCertificateProblem': (p) => `listeners[${p.index}] 设置了 tls: true，但没有配置证书`,
  'tls.noCertificateFix':
    '把 tls_certificate_path 设为 PEM 证书链，例如 /etc/letsencrypt/live/example.com/fullchain.pem，或者设置 tls: false',
  'tls.noKeyProblem': (p) => `listeners[${p.index}] 设置了 tls: true，但没有配置私钥`,
  'tls.noKeyFix':
    '把 tls_private_key_path 设为 PEM 私钥，例如 /etc/letsencrypt/live/example.com/privkey.pem，或者设置 tls: false',
  'tls.mismatchProblem': (p) => `私钥 ${p.key} 不能与证书 ${p.certificate} 一起使用：${p.reason}`,
  'tls.mismatchFix':
    '让 tls_private_key_path 指向签发该证书时所用的私钥（使用 certbot 时：fullchain.pem 旁边的 privkey.pem）',
  'pem.whatCertificate': 'PEM 证书链',
  'pem.whatKey': 'PEM 私钥',
  'pem.missingCertificate': '修正路径，或者在那里创建证书文件',
  'pem.missingKey': '修正路径，或者在那里创建私钥文件',
  'pem.unreadableCertificate': '让运行服务器的用户能够读取证书文件',
  'pem.unreadableKey': '让运行服务器的用户能够读取私钥文件',
  'pem.noCertificateProblem': (p) => `${p.file} 中没有 PEM 证书（-----BEGIN CERTIFICATE-----）`,
  'pem.noCertificateFix':
    '使用 PEM 证书链（使用 certbot 时：fullchain.pem）；DER 格式可以用 openssl x509 -inform der 转换',
  'pem.encryptedProblem': (p) => `${p.file} 是加密的私钥，服务器无法询问它的密码`,
  'pem.encryptedFix': '以不加密的形式保存私钥（openssl pkey -in encrypted.pem -out key.pem），文件权限设为 600',
  'pem.noKeyProblem': (p) => `${p.file} 中没有 PEM 私钥（-----BEGIN PRIVATE KEY-----）`,
  'pem.noKeyFix': '使用 PEM 私钥（使用 certbot 时：privkey.pem）',
  'certificate.unreadable': (p) => `无法检查证书：${p.reason}`,
  'certificate.expired': (p) => `证书已于 ${p.date} 过期；客户端和服务器都会拒绝它：请续期`,
  'certificate.notYetValid': (p) => `证书在 ${p.date} 之前尚未生效；请检查本机的时钟`,
  'certificate.expiresSoon': (p) => `证书将于 ${p.date} 过期，已不足 ${p.days} 天：请续期`,
  'certificate.wrongName': (p) =>
    `证书对 ${p.host} 无效；服务器和客户端会获取 https://${p.host}/.well-known/matrix/*，并会拒绝这个证书`,
};

/** The listener and TLS checks' words in every language. */
export const LISTENER_TEXTS: Translations<typeof en> = { en, 'zh-CN': zhCN };
