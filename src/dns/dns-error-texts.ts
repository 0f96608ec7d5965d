// The DNS client's failure sentences, in English (what it writes) and Chinese.

import type { Catalogue, Translation, Translations } from '../i18n/index.js';

/**
 * The sentences of the DNS client (packet-client.ts, transport.ts, cache.ts), one message per form: the client writes
 * its English through `en`, and a hint reads a sentence of a report back with them to say it in another language.
 * `server` is a DNS server (`127.0.0.1:53`), `rrtype` a record type (`AAAA`), `system` Node's words (not ours, shown
 * as they are, marked), `inner` another sentence of ours.
 */
const en = {
  nxdomain: (p: { name: string }) => `${p.name} does not exist (NXDOMAIN)`,
  nodata: (p: { name: string; rrtype: string }) => `${p.name} has no ${p.rrtype} records`,
  servfail: (p: { server: string; name: string; rrtype: string }) =>
    `${p.server} answered SERVFAIL for ${p.name} ${p.rrtype}`,
  rcode: (p: { server: string; rcode: string; name: string; rrtype: string }) =>
    `${p.server} answered ${p.rcode} for ${p.name} ${p.rrtype}`,
  timeout: (p: { name: string; rrtype: string; ms: number }) => `no answer for ${p.name} ${p.rrtype} within ${p.ms} ms`,
  aborted: (p: { name: string; rrtype: string }) => `DNS query for ${p.name} ${p.rrtype} aborted`,
  cnameLoop: (p: { name: string; target: string }) => `CNAME loop: ${p.name} points back to ${p.target}`,
  cnameTooLong: (p: { name: string; max: number }) => `CNAME chain from ${p.name} is longer than ${p.max}`,
  malformedRecord: (p: { rrtype: string; name: string; inner: string }) =>
    `malformed ${p.rrtype} record for ${p.name}: ${p.inner}`,
  recordNotAddress: 'not an address',
  recordNotSrv: 'not an SRV record',
  recordNoTarget: 'no target',
  referral: (p: { name: string; rrtype: string }) =>
    `the DNS server answered ${p.name} ${p.rrtype} with a referral: it does not resolve recursively`,
  noServer: (p: { system: string }) => `no usable DNS server: ${p.system}`,
  malformedResponse: (p: { system: string }) => `malformed DNS response: ${p.system}`,
  udp: (p: { system: string }) => `UDP: ${p.system}`,
  udpSend: (p: { system: string }) => `UDP send: ${p.system}`,
  tcp: (p: { system: string }) => `TCP: ${p.system}`,
  /** One server's failure (`127.0.0.1:53: UDP: ...`): the form every other one comes before. */
  serverFailed: (p: { server: string; inner: string }) => `${p.server}: ${p.inner}`,
} satisfies Catalogue;

/** The same sentences in Simplified Chinese. */
const zhCN: Translation<typeof en> = {
  nxdomain: (p) => `${p.name} 不存在（NXDOMAIN）`,
  nodata: (p) => `${p.name} 没有 ${p.rrtype} 记录`,
  servfail: (p) => `DNS 服务器 ${p.server} 对 ${p.name} 的 ${p.rrtype} 查询返回 SERVFAIL`,
  rcode: (p) => `DNS 服务器 ${p.server} 对 ${p.name} 的 ${p.rrtype} 查询返回 ${p.rcode}`,
  timeout: (p) => `${p.name} 的 ${p.rrtype} 查询在 ${p.ms} 毫秒内没有得到应答（超时）`,
  aborted: (p) => `${p.name} 的 ${p.rrtype} DNS 查询被中止`,
  cnameLoop: (p) => `CNAME 循环：${p.name} 又指回了 ${p.target}`,
  cnameTooLong: (p) => `从 ${p.name} 开始的 CNAME 链超过 ${p.max} 层`,
  malformedRecord: (p) => `${p.name} 的 ${p.rrtype} 记录格式错误：${p.inner}`,
  recordNotAddress: '不是地址',
  recordNotSrv: '不是 SRV 记录',
  recordNoTarget: '没有目标主机',
  referral: (p) => `DNS 服务器对 ${p.name} 的 ${p.rrtype} 查询只返回了转介（referral）：它不做递归解析`,
  noServer: (p) => `没有可用的 DNS 服务器：${p.system}`,
  malformedResponse: (p) => `DNS 应答格式错误：${p.system}`,
  udp: (p) => `UDP 通信出错：${p.system}`,
  udpSend: (p) => `UDP 发送失败：${p.system}`,
  tcp: (p) => `TCP 通信出错：${p.system}`,
  serverFailed: (p) => `DNS 服务器 ${p.server}：${p.inner}`,
};

/** The DNS client's sentences in every language (tested for completeness in test/i18n/error-words.test.ts). */
export const DNS_ERROR_TEXTS: Translations<typeof en> = { en, 'zh-CN': zhCN };

/** The English sentences, as the DNS client writes them. */
export const DNS_ERROR_EN = en;
