// The client settings check's problem sentences in English and Chinese: the check (src/checker/client-settings/,
// messages.ts) writes its English through this catalogue, and the diagnosis reads it back to say it again.

import type { Catalogue, Translation, Translations } from '../i18n/index.js';
import { zh } from '../i18n/zh-spacing.js';
import { SETTING_EXPECTATION_WORDS, type SettingExpectation } from './client-settings-values.js';

/**
 * Pieces the check puts into its sentences' values (a request's failure, a preflight's answer, no header sent), in
 * English only: they are values of the sentences below, which another language reads back out of them.
 */
export const CLIENT_SETTING_PIECES = {
  noAnswer: (p: { code: string; detail: string }) => `${p.detail} (${p.code})`,
  status: (p: { status: number }) => `HTTP ${p.status} instead of 200`,
  notJson: 'the answer is not a JSON object',
  notStyle: 'the answer is JSON but not a MapLibre style (no "version": 8 with "sources" and "layers")',
  nothingSent: 'nothing',
  preflightAnswer: (p: { path: string; status: string; missing: string }) =>
    `${p.path}: ${p.status}${p.missing === '' ? '' : `, without ${p.missing}`}`,
} as const satisfies Catalogue;

/** A Han character at the end of `a` and a Latin one at the start of `b` get a space between them (the house style). */
function joined(a: string, b: string): string {
  return /\p{Script=Han}$/u.test(a) && /^[\x21-\x7e]/.test(b) ? `${a} ${b}` : `${a}${b}`;
}

/** What each expectation of a setting's value is called in Chinese (see `SETTING_EXPECTATION_WORDS`). */
const EXPECTATIONS_ZH: Readonly<Record<SettingExpectation, string>> = {
  object: '对象',
  array: '列表（JSON 数组）',
  string: '字符串',
  boolean: 'true 或 false（JSON 布尔值，不是字符串）',
  'https-url': 'https:// URL',
  'issuer-url': '不带查询参数和片段的 https:// URL',
  host: '不带协议和路径的主机名（例如 jitsi.example.com）',
  choice: '所列的值之一',
};

const EXPECTATION_BY_WORDS: ReadonlyMap<string, SettingExpectation> = new Map(
  (Object.entries(SETTING_EXPECTATION_WORDS) as [SettingExpectation, string][]).map(([kind, words]) => [words, kind]),
);

/** An expectation in Chinese: `必须是` + this. `one of "key", "passphrase"` becomes `"key"、"passphrase" 之一`. */
function expectationZh(words: string): string {
  const kind = EXPECTATION_BY_WORDS.get(words);
  if (kind !== undefined) return EXPECTATIONS_ZH[kind];
  const choice = /^one of (.+)$/.exec(words);
  return choice?.[1] !== undefined ? zh`${choice[1].split(', ').join('、')}之一` : words;
}

/**
 * A JSON value as the check describes it (`describeJson`: `the string "x"`, `the number 1`, `true`, `null`, `a list`,
 * `an object`), after 是.
 */
function valueZh(described: string): string {
  const string = /^the string ([\s\S]*)$/.exec(described);
  if (string?.[1] !== undefined) return joined('是字符串', string[1]);
  const number = /^the number ([\s\S]*)$/.exec(described);
  if (number?.[1] !== undefined) return joined('是数字', number[1]);
  if (described === 'a list') return '是列表';
  if (described === 'an object') return '是对象';
  return joined('是', described);
}

/** The `Access-Control-Allow-Origin` a server sent, as the check words it (`nothing`, or the quoted value). */
function sentZh(allowOrigin: string): string {
  return allowOrigin === CLIENT_SETTING_PIECES.nothingSent ? '它没有发送这个头' : zh`它发送的是${allowOrigin}`;
}

/** A list the check joined (`"a", "b" and "c"`, `... and 3 more`), in Chinese: `"a"、"b"、"c"`, `……以及另外 3 个`. */
function listZh(text: string): string {
  return text
    .replace(/ and (\d+) more$/, ' 以及另外 $1 个')
    .replaceAll('", "', '"、"')
    .split(' and ')
    .join('、');
}

/** The preflight answers of a LiveKit service (`/get_token: HTTP 405, without ...; /sfu/get: ...`), in Chinese. */
function answersZh(answers: string): string {
  return answers
    .split('; ')
    .map((answer) => {
      const m = /^(\S+): (.+?)(?:, without (.+))?$/.exec(answer);
      if (m === null) return answer;
      return `${m[1] ?? ''}：${m[2] ?? ''}${m[3] === undefined ? '' : `，缺少 ${listZh(m[3])}`}`;
    })
    .join('；');
}

/**
 * The sentences of the client settings check, one message per form: src/checker/client-settings/messages.ts writes
 * the check's problems with these English messages, and a hint reads a problem's sentence back with the same messages
 * (src/diagnosis/rules/client-settings-texts.ts) and says it again in another language. Values arrive as the check
 * wrote them (quoted where the check quotes them).
 */
const en = {
  wrongType: (p: { key: string; got: string; expected: string }) =>
    `"${p.key}" is ${p.got}, but clients expect ${p.expected}: they ignore the setting`,
  unknownOne: (p: { keys: string }) =>
    `the document has a key no client this checker knows reads: ${p.keys} (allowed: other applications may read them)`,
  unknownOneNamespace: (p: { keys: string; notNamespaced: string }) =>
    `the document has a key no client this checker knows reads: ${p.keys} (allowed: other applications may read them)` +
    `; ${p.notNamespaced} should be namespaced in Java package style, as the spec asks`,
  unknownMany: (p: { count: string; keys: string }) =>
    `the document has ${p.count} keys no client this checker knows reads: ${p.keys} (allowed: other applications may read them)`,
  unknownManyNamespace: (p: { count: string; keys: string; notNamespaced: string }) =>
    `the document has ${p.count} keys no client this checker knows reads: ${p.keys} (allowed: other applications may read them)` +
    `; ${p.notNamespaced} should be namespaced in Java package style, as the spec asks`,
  fieldMissing: (p: { field: string; expected: string }) => `"${p.field}" is missing: it must be ${p.expected}`,
  fieldInvalid: (p: { field: string; got: string; expected: string }) =>
    `"${p.field}" is ${p.got}; it must be ${p.expected}`,
  e2eeOlderKeyOnly: (p: { older: string; current: string }) =>
    `the encryption settings are under "${p.older}", the deprecated name; Element still reads it, after "${p.current}"`,
  e2eeBothKeys: (p: { older: string; current: string }) =>
    `both "${p.current}" and "${p.older}" are set, with different values: Element uses "${p.current}" and ignores the other`,
  e2eeRetired: (p: { key: string; fields: string }) =>
    `"${p.key}" sets ${p.fields}, which Element Web no longer reads (it now always recommends setting up recovery); older Element clients may still read them`,
  e2eeContradictory: (p: { key: string }) =>
    `"${p.key}" has "default": true and "force_disable": true: with force_disable Element disables encryption for new rooms and ignores "default"`,
  jitsiUnreachable: (p: { domain: string; detail: string }) =>
    `the Jitsi server ${p.domain} cannot be reached over HTTPS with a valid certificate: ${p.detail}`,
  jitsiNotJitsi: (p: { url: string; status: string }) =>
    `${p.url} answered ${p.status}: Element's Jitsi widget loads this script, so the domain does not serve Jitsi Meet`,
  jitsiKeysDisagree: (p: { current: string; currentDomain: string; older: string; olderDomain: string }) =>
    `"${p.current}" names ${p.currentDomain} and "${p.older}" names ${p.olderDomain}: Element Web uses the first, Element Android only reads the second`,
  livekitUnreachable: (p: { url: string; detail: string }) =>
    `the LiveKit service ${p.url} cannot be reached over HTTPS: ${p.detail}`,
  livekitCors: (p: { url: string; answers: string }) =>
    `the LiveKit service ${p.url} does not answer a browser's CORS preflight for a JSON POST (${p.answers}): Element Call in a browser cannot get a call token`,
  livekitLegacyOnly: (p: { url: string }) =>
    `the LiveKit service ${p.url} answers the preflight of /sfu/get but not of /get_token: it is an older lk-jwt-service; current Element Call asks /get_token (MSC4195) first and falls back to /sfu/get`,
  transportsMissing: (p: { key: string; base: string }) =>
    `"${p.key}" lists LiveKit foci, but the homeserver ${p.base} answers 404 on /_matrix/client/v1/rtc/transports and its unstable MSC4143 form: current Element Call (0.24 and later) reads only the homeserver's list, so it finds no call server`,
  transportsDisagree: (p: { wellKnown: string; homeserver: string }) =>
    `the well-known lists the LiveKit services ${p.wellKnown}, the homeserver's /rtc/transports lists ${p.homeserver}: clients reading one or the other use different call servers`,
  issuerUnreachable: (p: { url: string; detail: string }) =>
    `the issuer's OpenID configuration ${p.url} is not usable: ${p.detail}`,
  issuerMismatch: (p: { url: string; served: string; configured: string }) =>
    `${p.url} says its issuer is ${p.served}, but the well-known names ${p.configured}: OpenID Connect clients refuse a configuration whose issuer differs`,
  issuerCors: (p: { url: string; allowOrigin: string }) =>
    `${p.url} answers without "Access-Control-Allow-Origin: *" (it sent ${p.allowOrigin}): web clients cannot read it`,
  metadataMissing: (p: { key: string; base: string }) =>
    `"${p.key}" names an issuer, but the homeserver ${p.base} answers 404 on /_matrix/client/v1/auth_metadata and its unstable MSC2965 form: current clients sign in with OAuth 2.0 only when the homeserver offers it there`,
  metadataDisagrees: (p: { url: string; served: string; configured: string }) =>
    `the homeserver's ${p.url} names the issuer ${p.served}, the well-known names ${p.configured}`,
  tileServerUnstableKey: (p: { unstable: string; stable: string }) =>
    `the map tile server is under "${p.unstable}", the unstable name of MSC3488; Element reads "${p.stable}" first`,
  tileServerBroken: (p: { url: string; detail: string }) => `the map style ${p.url} is not usable: ${p.detail}`,
  tileServerCors: (p: { url: string; allowOrigin: string }) =>
    `the map style ${p.url} answers without "Access-Control-Allow-Origin: *" (it sent ${p.allowOrigin}): maps in web clients stay blank`,
} satisfies Catalogue;

const UNKNOWN_ZH = (p: { count: string; keys: string }): string =>
  zh`该文件有${p.count}个本检查已知的客户端都不读取的键：${listZh(p.keys)}（这是允许的：其他应用可能会读取）`;
const NAMESPACE_ZH = (p: { notNamespaced: string }): string =>
  zh`；${p.notNamespaced}应按规范要求使用 Java 包名风格的命名空间`;

/**
 * The sentences in Chinese. A request's failure (`detail` of the Jitsi, LiveKit, issuer and map style forms) is shown
 * as given: the caller says it in Chinese first (the diagnosis: a status, a body, a network error's words).
 */
const zhCN: Translation<typeof en> = {
  wrongType: (p) =>
    zh`"${p.key}" ${valueZh(p.got)}，但客户端要求它${joined('是', expectationZh(p.expected))}：客户端会忽略这项设置`,
  unknownOne: (p) => UNKNOWN_ZH({ count: '1', keys: p.keys }),
  unknownOneNamespace: (p) => UNKNOWN_ZH({ count: '1', keys: p.keys }) + NAMESPACE_ZH(p),
  unknownMany: (p) => UNKNOWN_ZH(p),
  unknownManyNamespace: (p) => UNKNOWN_ZH(p) + NAMESPACE_ZH(p),
  fieldMissing: (p) => zh`缺少 "${p.field}"：它必须${joined('是', expectationZh(p.expected))}`,
  fieldInvalid: (p) => zh`"${p.field}" ${valueZh(p.got)}；它必须${joined('是', expectationZh(p.expected))}`,
  e2eeOlderKeyOnly: (p) => zh`加密设置写在已弃用的名称 "${p.older}" 下；Element 仍会读取它，但排在 "${p.current}" 之后`,
  e2eeBothKeys: (p) => zh`"${p.current}" 和 "${p.older}" 都设置了，而且值不同：Element 使用 "${p.current}"，忽略另一个`,
  e2eeRetired: (p) =>
    zh`"${p.key}" 设置了${listZh(p.fields)}，Element Web 已不再读取它们（现在总是建议设置恢复）；旧版 Element 客户端可能仍会读取`,
  e2eeContradictory: (p) =>
    zh`"${p.key}" 同时有 "default": true 和 "force_disable": true：有 force_disable 时，Element 会为新房间禁用加密，并忽略 "default"`,
  jitsiUnreachable: (p) => zh`无法通过 HTTPS 以有效证书访问 Jitsi 服务器${p.domain}：${p.detail}`,
  jitsiNotJitsi: (p) => zh`${p.url}返回${p.status}：Element 的 Jitsi 小部件会加载这个脚本，可见该域名上没有 Jitsi Meet`,
  jitsiKeysDisagree: (p) =>
    zh`"${p.current}" 指定的是${p.currentDomain}，"${p.older}" 指定的是${p.olderDomain}：Element Web 使用前者，Element Android 只读取后者`,
  livekitUnreachable: (p) => zh`无法通过 HTTPS 访问 LiveKit 服务${p.url}：${p.detail}`,
  livekitCors: (p) =>
    zh`LiveKit 服务${p.url}没有正确响应浏览器为 JSON POST 发出的 CORS 预检请求（${answersZh(p.answers)}）：浏览器中的 Element Call 拿不到通话令牌`,
  livekitLegacyOnly: (p) =>
    zh`LiveKit 服务${p.url}响应了 /sfu/get 的预检请求，但没有响应 /get_token 的：这是旧版 lk-jwt-service；当前的 Element Call 会先请求 /get_token（MSC4195），不行再回退到 /sfu/get`,
  transportsMissing: (p) =>
    zh`"${p.key}" 列出了 LiveKit focus，但 homeserver ${p.base}在 /_matrix/client/v1/rtc/transports 及其不稳定的 MSC4143 形式上都返回 404：当前的 Element Call（0.24 及以后）只读取 homeserver 的列表，因此找不到通话服务器`,
  transportsDisagree: (p) =>
    zh`.well-known 列出的 LiveKit 服务是${p.wellKnown}，homeserver 的 /rtc/transports 列出的是${p.homeserver === 'none' ? '（无）' : p.homeserver}：读取其中一个或另一个的客户端会使用不同的通话服务器`,
  issuerUnreachable: (p) => zh`签发者（issuer）的 OpenID 配置${p.url}不可用：${p.detail}`,
  issuerMismatch: (p) =>
    zh`${p.url}声明的签发者（issuer）是${p.served}，但 .well-known 中写的是${p.configured}：OpenID Connect 客户端会拒绝签发者不一致的配置`,
  issuerCors: (p) =>
    zh`${p.url}的响应没有 "Access-Control-Allow-Origin: *"（${sentZh(p.allowOrigin)}）：Web 客户端无法读取它`,
  metadataMissing: (p) =>
    zh`"${p.key}" 指定了签发者（issuer），但 homeserver ${p.base}在 /_matrix/client/v1/auth_metadata 及其不稳定的 MSC2965 形式上都返回 404：只有 homeserver 在那里提供时，当前的客户端才会通过 OAuth 2.0 登录`,
  metadataDisagrees: (p) =>
    zh`homeserver 的${p.url}指定的签发者（issuer）是${p.served}，而 .well-known 中写的是${p.configured}`,
  tileServerUnstableKey: (p) =>
    zh`地图瓦片服务器写在 "${p.unstable}" 下，这是 MSC3488 的不稳定（unstable）名称；Element 会先读取 "${p.stable}"`,
  tileServerBroken: (p) => zh`地图样式${p.url}不可用：${p.detail}`,
  tileServerCors: (p) =>
    zh`地图样式${p.url}的响应没有 "Access-Control-Allow-Origin: *"（${sentZh(p.allowOrigin)}）：Web 客户端中的地图会一片空白`,
};

/** The client settings check's sentences in every language (`en`: what the check writes into the report). */
export const CLIENT_SETTING_PROBLEM_TEXTS = { en, 'zh-CN': zhCN } satisfies Translations<typeof en>;
