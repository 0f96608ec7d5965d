// The checker's own error sentences (a request to a target, the check's time budget), in English and Chinese.

import type { Catalogue, Translation, Translations } from '../i18n/index.js';

/**
 * The sentences src/checker writes around the errors of the layers below it, into a report's `connectionError`,
 * `version.error` and `keys.problems`: a request to one target (check-client.ts, `<target>: <inner>`), an address the
 * check's time budget ran out on (check-address.ts `timedOutAddress`) and the budget's own sentence (budget.ts,
 * check.ts). The checker writes its English through `en`; the diagnosis reads a report's sentence back with the same
 * messages (src/diagnosis/rules/error-words.ts) and says it again. The catalogue lives here, under the checker, so
 * that the diagnosis (which never imports src/checker) can read it. `inner` is another sentence (ours, said again in
 * turn, or a system's, marked).
 */
const en = {
  /** A request to one target: its address, spec step and certificate name, then what went wrong. */
  targetFailed: (p: { address: string; step: string; name: string; inner: string }) =>
    `${p.address} (step ${p.step}, certificate name ${p.name}): ${p.inner}`,
  /** An address whose handshake the check's budget ended: `inner` is {@link en.budgetExpired}. */
  addressTimedOut: (p: { address: string; inner: string }) => `${p.address}: ${p.inner}`,
  /** The check's time budget (CheckOptions.timeoutMs) ended the work under way. */
  budgetExpired: (p: { ms: number }) => `the check's time budget of ${p.ms} ms ran out before this finished`,
} satisfies Catalogue;

/** The same sentences in Simplified Chinese (`inner` comes said already). */
const zhCN: Translation<typeof en> = {
  targetFailed: (p) => `${p.address}（第 ${p.step} 步，证书名称 ${p.name}）：${p.inner}`,
  addressTimedOut: (p) => `${p.address}：${p.inner}`,
  budgetExpired: (p) => `检查的时间预算（${p.ms} 毫秒）已用完，这一项没有完成`,
};

/** The checker's error sentences in every language (tested for completeness in test/i18n/checker-words.test.ts). */
export const CHECKER_ERROR_TEXTS: Translations<typeof en> = { en, 'zh-CN': zhCN };

/** The English sentences, as the checker writes them. */
export const CHECKER_ERROR_EN = en;

/**
 * The report's `version.error` when it has no sentence of a layer below (check.ts): no address answered, or the first
 * address's version failed without saying why. The report's text and page say them again (src/diagnosis/problem-words.ts).
 */
const versionEn = {
  noAddressAnswered: 'no address answered',
  versionFailed: 'failed',
} satisfies Catalogue;

const versionZh: Translation<typeof versionEn> = {
  noAddressAnswered: '没有任何地址应答',
  versionFailed: '获取失败',
};

/** The report's own `version.error` sentences in every language. */
export const CHECKER_VERSION_TEXTS: Translations<typeof versionEn> = { en: versionEn, 'zh-CN': versionZh };

/** The English sentences, as the checker writes them. */
export const CHECKER_VERSION_EN = versionEn;
