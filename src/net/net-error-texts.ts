// The connection, TLS and body sentences src/net writes into errors, in English (what it writes) and Chinese.

import type { Catalogue, Translation, Translations } from '../i18n/index.js';

/**
 * The sentences of the connection (connect.ts), the TLS probe (tls-probe.ts), the body readers (json-body.ts,
 * read-body.ts), an operation's limit (abort.ts) and the checker's port check (checker/check-address.ts), one message
 * per form. The modules write
 * their English through `en`, so these are the one source of each sentence; a hint reads a sentence of a report back
 * with them (`sentenceReader`) and says it again in another language.
 *
 * Placeholder names say what a value is to the reader: `system` is the text of Node, OpenSSL or V8 (not ours: shown
 * as it is, marked), `parser` the JSON parser's words (likewise), `inner` another sentence of ours (said again in
 * turn), `reasons` the address policy's reasons (address-policy-texts.ts, said again in turn), the others values shown
 * as they are.
 */
const en = {
  tcpTimeout: (p: { address: string; ms: number }) =>
    `${p.address}: the TCP connection did not finish within ${p.ms} ms`,
  tlsTimeout: (p: { address: string; ms: number }) =>
    `${p.address}: the TLS handshake did not finish within ${p.ms} ms`,
  aborted: 'the connection attempt was aborted',
  noAddressAllowed: (p: { reasons: string }) => `no address may be contacted: ${p.reasons}`,
  noAddress: 'there is no address to connect to',
  probeDenied: (p: { address: string; reasons: string }) => `${p.address}: not contacted: ${p.reasons}`,
  probeHandshakeTimeout: (p: { address: string; ms: number }) =>
    `${p.address}: the TLS handshake did not finish within ${p.ms} ms (is this port speaking TLS?)`,
  probeTcpTimeout: (p: { address: string; ms: number }) =>
    `${p.address}: the TCP connection was not accepted within ${p.ms} ms`,
  probeClosed: (p: { address: string }) => `${p.address}: the connection closed during the TLS handshake`,
  certificateUnreadable: (p: { address: string; system: string }) =>
    `${p.address}: the certificate could not be read: ${p.system}`,
  noCertificate: 'the server sent no certificate',
  notValidFor: (p: { name: string; inner: string }) => `the certificate is not valid for ${p.name}: ${p.inner}`,
  portUnusable: (p: { address: string; port: number }) => `${p.address}: port ${p.port} cannot be connected to`,
  bodyNotUtf8: 'the body is not valid UTF-8 text',
  bodyEmpty: 'the body is empty',
  bodyNotJson: (p: { parser: string }) => `the body is not valid JSON (${p.parser})`,
  bodyTooLarge: (p: { max: number }) => `the response body is larger than ${p.max} bytes`,
  /** An operation's own limit (abort.ts `operationSignal`): a request, a body, a DNS question. */
  operationTimeout: (p: { ms: number }) => `the operation did not finish within ${p.ms} ms`,
  /** Node's words about an address (`connect ECONNREFUSED ...`, OpenSSL's): the form every other one comes before. */
  systemAt: (p: { address: string; system: string }) => `${p.address}: ${p.system}`,
} satisfies Catalogue;

/** The same sentences in Simplified Chinese (values kept as they are; `system` and `inner` come said already). */
const zhCN: Translation<typeof en> = {
  tcpTimeout: (p) => `${p.address}：TCP 连接在 ${p.ms} 毫秒内没有建立（超时）`,
  tlsTimeout: (p) => `${p.address}：TLS 握手在 ${p.ms} 毫秒内没有完成（超时）`,
  aborted: '连接尝试被中止',
  noAddressAllowed: (p) => `没有可以连接的地址：${p.reasons}`,
  noAddress: '没有可以连接的地址',
  probeDenied: (p) => `${p.address}：没有连接：${p.reasons}`,
  probeHandshakeTimeout: (p) => `${p.address}：TLS 握手在 ${p.ms} 毫秒内没有完成（这个端口上跑的是 TLS 吗？）`,
  probeTcpTimeout: (p) => `${p.address}：TCP 连接在 ${p.ms} 毫秒内没有被接受（超时）`,
  probeClosed: (p) => `${p.address}：连接在 TLS 握手期间被关闭`,
  certificateUnreadable: (p) => `${p.address}：无法读取证书：${p.system}`,
  noCertificate: '服务器没有发送证书',
  notValidFor: (p) => `证书对 ${p.name} 无效：${p.inner}`,
  portUnusable: (p) => `${p.address}：端口 ${p.port} 无法连接`,
  bodyNotUtf8: '响应体不是有效的 UTF-8 文本',
  bodyEmpty: '响应体为空',
  bodyNotJson: (p) => `响应体不是有效的 JSON${p.parser}`,
  bodyTooLarge: (p) => `响应体超过 ${p.max} 字节`,
  operationTimeout: (p) => `操作在 ${p.ms} 毫秒内没有完成（超时）`,
  systemAt: (p) => `${p.address}：${p.system}`,
};

/** The sentences of src/net in every language (tested for completeness in test/i18n/error-words.test.ts). */
export const NET_ERROR_TEXTS: Translations<typeof en> = { en, 'zh-CN': zhCN };

/** The English sentences, as the modules write them. */
export const NET_ERROR_EN = en;
