// The texts of the server-name hints in every language: a catalogue of messages (`<hint id>.<part>`).

import type { Catalogue, Translation } from '../../i18n/index.js';
import { zh } from '../text.js';

/** What the server-name hints say, in English. */
const en = {
  'server-name-invalid.detail': (p: { name: string; why: string; faults: readonly string[] }) =>
    `"${p.name}" is not a valid server name: ${p.why}.${p.faults.length > 0 ? ` It contains ${p.faults.join(', ')}.` : ''}`,
  'server-name-invalid.fixCleaned': (p: { cleaned: string }) =>
    `Check "${p.cleaned}" instead: a server name is the part after the colon of a user ID (@alice:${p.cleaned}), without scheme or path.`,
  'server-name-invalid.fix':
    "Give the server name exactly as in the homeserver's server_name setting: a host name (example.com), optionally with a port (example.com:8448), without scheme, path or spaces.",
  'server-name-has-port.detail': (p: { name: string; host: string; port: number }) =>
    `${p.name} has an explicit port, so servers connect to ${p.host} on port ${p.port} directly: ` +
    `https://${p.host}/.well-known/matrix/server and SRV records are never consulted (spec "Resolving server names", step 2).`,
  'server-name-has-port.fix': (p: { name: string }) =>
    `Nothing to change if this is intended. The port is part of every user ID (@alice:${p.name}) and cannot be ` +
    'dropped later; delegation (a well-known document or SRV record) only works for server names without a port.',
  'server-name-ip-literal.detail': (p: { name: string }) =>
    `${p.name} is an IP address: servers connect to it directly (spec step 1), send no SNI, and check the ` +
    'certificate against the IP address, which public CAs rarely certify.',
  'server-name-ip-literal.fix':
    'Prefer a DNS name as server name for a new server (it cannot be changed later). For this one, the certificate must list the IP address as a subjectAltName.',
} satisfies Catalogue;

/** The same in Simplified Chinese (glossary: CONTRIBUTING.md, "Languages"). */
const zhCN: Translation<typeof en> = {
  'server-name-invalid.detail': (p) =>
    zh`“${p.name}”不是有效的服务器名：${p.why}。` + (p.faults.length > 0 ? zh`其中包含${p.faults.join('、')}。` : ''),
  'server-name-invalid.fixCleaned': (p) =>
    zh`请改为检查“${p.cleaned}”：服务器名是用户 ID 中冒号后面的部分（@alice:${p.cleaned}），不带协议前缀或路径。`,
  'server-name-invalid.fix':
    '请按 homeserver 的 server_name 设置原样填写服务器名：一个主机名（example.com），可以带端口（example.com:8448），不带协议前缀、路径或空格。',
  'server-name-has-port.detail': (p) =>
    zh`${p.name}带有显式端口，因此服务器会直接连接${p.host}的${p.port}端口，不会查询 ` +
    zh`https://${p.host}/.well-known/matrix/server 和 SRV 记录（规范“Resolving server names”第 2 步）。`,
  'server-name-has-port.fix': (p) =>
    zh`如果这是有意为之，则无需修改。端口是每个用户 ID 的一部分（@alice:${p.name}），以后无法去掉；` +
    '委托（.well-known 文件或 SRV 记录）只适用于不带端口的服务器名。',
  'server-name-ip-literal.detail': (p) =>
    zh`${p.name}是一个 IP 地址：服务器会直接连接它（规范第 1 步），不发送 SNI，并用该 IP 地址校验证书，` +
    '而公共 CA 很少为 IP 地址签发证书。',
  'server-name-ip-literal.fix':
    '新服务器最好使用 DNS 域名作为服务器名（服务器名以后无法更改）。对于这台服务器，证书必须在 subjectAltName 中列出该 IP 地址。',
};

/** The server-name hints' texts in every language. */
export const SERVER_NAME_TEXTS = { en, 'zh-CN': zhCN };
