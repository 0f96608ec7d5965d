// The words of a check's summary (the verdict sentence), in every language.

import type { Catalogue, Translation, Translations } from '../i18n/index.js';

const en = {
  noAddress: (p: { problem: string }) => `Federation does not work: ${p.problem}.`,
  noAddressFound: 'no address to connect to',
  works: 'Federation works.',
  worksOnAll: (p: { count: number }) => `Federation works on all ${p.count} addresses.`,
  onlyAddressFails: 'Federation does not work: the only address fails.',
  allFail: (p: { count: number }) => `Federation does not work: all ${p.count} addresses fail.`,
  someFail: (p: { failing: number; count: number }) =>
    `Federation works, but ${p.failing} of ${p.count} addresses fail: servers that reach those addresses cannot federate.`,
  capped: (p: { sentence: string; checked: number; found: number }) =>
    `${p.sentence} Only the first ${p.checked} of the ${p.found} addresses found were checked.`,
} satisfies Catalogue;

const zhCN: Translation<typeof en> = {
  noAddress: (p) => `联邦不可用：${p.problem}。`,
  noAddressFound: '没有可以连接的地址',
  works: '联邦正常。',
  worksOnAll: (p) => `联邦正常：全部 ${p.count} 个地址都可用。`,
  onlyAddressFails: '联邦不可用：唯一的地址检查失败。',
  allFail: (p) => `联邦不可用：全部 ${p.count} 个地址都检查失败。`,
  someFail: (p) =>
    `联邦部分可用：${p.count} 个地址中有 ${p.failing} 个检查失败，连接到这些地址的服务器无法与你的服务器联邦。`,
  capped: (p) => `${p.sentence}找到了 ${p.found} 个地址，只检查了前 ${p.checked} 个。`,
};

/** The summary's words in every language. */
export const SUMMARY_TEXTS: Translations<typeof en> = { en, 'zh-CN': zhCN };
