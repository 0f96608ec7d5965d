// The well-known fetch's and parser's sentences (why there is no usable document), in English and Chinese.

import type { Catalogue, Translation, Translations } from '../i18n/index.js';

/**
 * The sentences of the well-known fetch (fetch-document.ts, resolve-host.ts, fetch.ts) and of the server document's
 * parser (parse-server.ts), one message per form: the modules write their English through `en`, and a hint reads a
 * sentence of a report back with them to say it in another language. `type` is a JSON type in `jsonTypeName`'s words
 * (`an array`), `code` an error code, `inner` another sentence of ours, `system` Node's or undici's words.
 */
const en = {
  // fetch-document.ts: redirects, limits, failures of one hop.
  noLocation: (p: { url: string; status: number }) =>
    `${p.url} answered ${p.status} (a redirect) without a Location header`,
  badLocation: (p: { url: string; location: string }) =>
    `${p.url} redirects to "${p.location}", which is not a valid URL`,
  plainRedirect: (p: { url: string; next: string }) =>
    `${p.url} redirects to ${p.next}; only https:// redirects are followed, so the well-known document must stay on HTTPS`,
  redirectLoop: (p: { url: string; next: string }) =>
    `${p.url} redirects to ${p.next}, which was already requested: a redirect loop`,
  tooManyRedirects: (p: { count: number; next: string }) =>
    `gave up after following ${p.count} redirects (the limit); the last one pointed to ${p.next}`,
  answered: (p: { url: string; status: number }) => `${p.url} answered ${p.status}`,
  budget: (p: { ms: number }) => `the fetch did not finish within ${p.ms} ms`,
  budgetAt: (p: { inner: string; url: string }) => `${p.inner} (at ${p.url})`,
  tooLarge: (p: { url: string; max: number }) =>
    `${p.url} sent a body larger than ${p.max} bytes, the limit (a well-known document is a few hundred bytes at most)`,
  blocked: (p: { url: string; host: string; reasons: string }) =>
    `${p.url}: not contacted, because the address policy denies every address of ${p.host}: ${p.reasons}`,
  // resolve-host.ts: the addresses of one hop.
  noRecords: (p: { host: string }) => `${p.host} has no AAAA or A records`,
  noRecordsBecause: (p: { host: string; code: string; inner: string }) =>
    `${p.host} has no AAAA or A records (${p.code}: ${p.inner})`,
  lookupFailed: (p: { host: string; code: string; inner: string }) =>
    `looking up ${p.host} failed (${p.code}: ${p.inner})`,
  // fetch.ts: what the answer means for delegation.
  serverError: (p: { url: string; status: number }) =>
    `${p.url} answered ${p.status}, a server error (possibly temporary)`,
  notFound: (p: { url: string }) => `${p.url} answered 404: there is no well-known document`,
  status: (p: { url: string; status: number }) =>
    `${p.url} answered ${p.status} instead of 200, which counts as no well-known document`,
  // parse-server.ts: what is wrong with the document.
  bom: 'the document starts with a UTF-8 byte order mark (bytes EF BB BF), which JSON does not allow and Synapse rejects; save the file as UTF-8 without BOM',
  notUtf8: 'the document is not valid UTF-8 text',
  empty: 'the document is empty; it should be {"m.server": "<host>[:<port>]"}',
  notJson: (p: { parser: string }) => `the document is not valid JSON (${p.parser})`,
  notObject: (p: { type: string }) =>
    `the document is ${p.type}, not a JSON object like {"m.server": "<host>[:<port>]"}`,
  noMServer: 'the document has no "m.server" member; it should be {"m.server": "<host>[:<port>]"}',
  mServerNotString: (p: { type: string }) => `"m.server" is ${p.type}, not a string such as "matrix.example.org:443"`,
  mServerInvalid: (p: { inner: string }) => `"m.server" is not a valid server name: ${p.inner}`,
  /** A URL and what went wrong there (`https://host/...: <inner>`): the form every other one comes before. */
  failedAt: (p: { url: string; inner: string }) => `${p.url}: ${p.inner}`,
} satisfies Catalogue;

/** The same sentences in Simplified Chinese (`type` comes in Chinese: 数组, 对象, ...). */
const zhCN: Translation<typeof en> = {
  noLocation: (p) => `${p.url} 返回 ${p.status}（重定向），但没有 Location 头`,
  badLocation: (p) => `${p.url} 重定向到 "${p.location}"，这不是有效的 URL`,
  plainRedirect: (p) =>
    `${p.url} 重定向到 ${p.next}；只会跟随 https:// 的重定向，因此 .well-known 文件必须始终通过 HTTPS 提供`,
  redirectLoop: (p) => `${p.url} 重定向到已经请求过的 ${p.next}：这是重定向循环`,
  tooManyRedirects: (p) => `跟随了 ${p.count} 次重定向（上限）后放弃；最后一次指向 ${p.next}`,
  answered: (p) => `${p.url} 返回 ${p.status}`,
  budget: (p) => `获取在 ${p.ms} 毫秒内没有完成（超时）`,
  budgetAt: (p) => `${p.inner}（请求 ${p.url} 时）`,
  tooLarge: (p) => `${p.url} 返回的响应体超过了 ${p.max} 字节的上限（.well-known 文件最多只有几百字节）`,
  blocked: (p) => `${p.url}：没有连接，因为地址策略拒绝了 ${p.host} 的所有地址：${p.reasons}`,
  noRecords: (p) => `${p.host} 没有 AAAA 或 A 记录`,
  noRecordsBecause: (p) => `${p.host} 没有 AAAA 或 A 记录（${p.code}：${p.inner}）`,
  lookupFailed: (p) => `查询 ${p.host} 的地址失败（${p.code}：${p.inner}）`,
  serverError: (p) => `${p.url} 返回 ${p.status}，这是服务器错误（可能是暂时的）`,
  notFound: (p) => `${p.url} 返回 404：没有 .well-known 文件`,
  status: (p) => `${p.url} 返回 ${p.status} 而不是 200，这视为没有 .well-known 文件`,
  bom: '该文件以 UTF-8 字节顺序标记（BOM，即字节 EF BB BF）开头，JSON 不允许这样做，Synapse 也会拒绝它；请将文件保存为不带 BOM 的 UTF-8',
  notUtf8: '该文件不是有效的 UTF-8 文本',
  empty: '该文件为空；它应为 {"m.server": "<host>[:<port>]"}',
  notJson: (p) => `该文件不是有效的 JSON${p.parser}`,
  notObject: (p) => `该文件是${p.type}，而不是像 {"m.server": "<host>[:<port>]"} 这样的 JSON 对象`,
  noMServer: '该文件没有 "m.server" 成员；它应为 {"m.server": "<host>[:<port>]"}',
  mServerNotString: (p) => `"m.server" 是${p.type}，而不是像 "matrix.example.org:443" 这样的字符串`,
  mServerInvalid: (p) => `"m.server" 不是有效的服务器名：${p.inner}`,
  failedAt: (p) => `${p.url}：${p.inner}`,
};

/** The well-known sentences in every language (tested for completeness in test/i18n/error-words.test.ts). */
export const WELL_KNOWN_ERROR_TEXTS: Translations<typeof en> = { en, 'zh-CN': zhCN };

/** The English sentences, as the well-known modules write them. */
export const WELL_KNOWN_ERROR_EN = en;
