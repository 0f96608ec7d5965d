// The resolver's error sentences (why a resolution has no target), in English (what it writes) and Chinese.

import type { Catalogue, Translation, Translations } from '../i18n/index.js';

/**
 * The sentences of a resolution's `error.message` (resolve.ts, options.ts), one message per form: the resolver
 * writes its English through `en`, and a hint reads a sentence of a report back with them to say it in another
 * language. `inner` is another sentence of ours (the DNS client's, an abort's), said again in turn.
 */
const en = {
  addressLookupFailed: (p: { host: string; inner: string }) => `address lookup of ${p.host} failed: ${p.inner}`,
  srvLookupFailed: (p: { srvName: string; inner: string }) => `SRV lookup of ${p.srvName} failed: ${p.inner}`,
  srvUnavailable: (p: { srvName: string }) =>
    `${p.srvName} has a single SRV record with target ".": the service is explicitly unavailable`,
  denied: (p: { addresses: string }) =>
    `every address found (${p.addresses}) is in a denied network; nothing was contacted (allow it with --allow-network if it is yours)`,
  noTargets: 'resolution found no address to connect to',
  wellKnownStopped: (p: { inner: string }) => `the well-known fetch was stopped: ${p.inner}`,
  budget: (p: { ms: number }) => `resolution took longer than ${p.ms} ms`,
} satisfies Catalogue;

/** The same sentences in Simplified Chinese. */
const zhCN: Translation<typeof en> = {
  addressLookupFailed: (p) => `查询 ${p.host} 的地址失败：${p.inner}`,
  srvLookupFailed: (p) => `查询 SRV 记录 ${p.srvName} 失败：${p.inner}`,
  srvUnavailable: (p) => `${p.srvName} 只有一条目标为 "." 的 SRV 记录：该服务被明确声明为不可用`,
  denied: (p) =>
    `找到的所有地址（${p.addresses}）都位于被拒绝的网段中，因此没有连接任何地址（如果这是你自己的网络，可用 --allow-network 放行）`,
  noTargets: '服务器名解析没有找到可以连接的地址',
  wellKnownStopped: (p) => `.well-known 文件的获取被中止：${p.inner}`,
  budget: (p) => `服务器名解析用时超过 ${p.ms} 毫秒`,
};

/** The resolver's error sentences in every language (tested for completeness in test/i18n/error-words.test.ts). */
export const RESOLVE_ERROR_TEXTS: Translations<typeof en> = { en, 'zh-CN': zhCN };

/** The English sentences, as the resolver writes them. */
export const RESOLVE_ERROR_EN = en;
