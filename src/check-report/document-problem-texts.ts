// The client and support document checks' problem sentences in English and Chinese: the checks (src/checker/
// client-document.ts, support-document.ts) write their English through this catalogue, the diagnosis reads it back.

import type { Catalogue, Translation, Translations } from '../i18n/index.js';
import { zh } from '../i18n/zh-spacing.js';

/**
 * The words of `jsonTypeName` (src/net/json-body.ts) in Chinese, as a sentence continues after 是: `是数组`.
 * `null` stays as it is (a JSON value).
 */
const JSON_TYPES_ZH: Readonly<Record<string, string>> = {
  null: ' null 值',
  'an array': '数组',
  'an object': '对象',
  'a string': '字符串',
  'a number': '数字',
  'a boolean': '布尔值',
};

/** `是数组`, `是 null 值`: a JSON type after 是 (a word the table lacks is shown as it is). */
export function isJsonType(type: string): string {
  const word = JSON_TYPES_ZH[type];
  return word === undefined ? zh`是${type} ` : zh`是${word}`;
}

/** Where the identity server's problems end, in the client check (the spec's rule, said once). */
const IDENTITY_STOP =
  ' (the spec has clients stop when the identity server given does not work; remove "m.identity_server" if you have none)';
const IDENTITY_STOP_ZH =
  '（规范规定：给出的身份服务器不可用时，客户端会停止；如果你没有身份服务器，请删除 "m.identity_server"）';

/** A base URL check's sentences (the label is the key's name, `m.homeserver base_url`, shown as it is). */
const baseUrl = {
  notUrl: (p: { label: string; url: string }) =>
    `${p.label} "${p.url}" is not a URL; it should look like "https://matrix.example.org"`,
  plainHttp: (p: { label: string; url: string }) =>
    `${p.label} "${p.url}" uses plain http: web clients served over HTTPS cannot use it (mixed content) and ` +
    'this checker only validates HTTPS endpoints; serve it over https://',
  notHttp: (p: { label: string; url: string }) => `${p.label} "${p.url}" is not an http(s) URL`,
  noAnswer: (p: { label: string; detail: string }) => `${p.label}: ${p.detail}`,
  status: (p: { url: string; status: string }) => `${p.url} answered ${p.status} instead of 200`,
};
const baseUrlZh: { readonly [K in keyof typeof baseUrl]: (typeof baseUrl)[K] } = {
  notUrl: (p) => zh`${p.label} "${p.url}" 不是 URL；它应形如 "https://matrix.example.org"`,
  plainHttp: (p) =>
    zh`${p.label} "${p.url}" 使用的是明文 http：通过 HTTPS 提供的 Web 客户端无法使用它（混合内容），` +
    '而且本检查只验证 HTTPS 端点；请改用 https://',
  notHttp: (p) => zh`${p.label} "${p.url}" 不是 http(s) URL`,
  noAnswer: (p) => zh`无法访问${p.label}：${p.detail}`,
  status: (p) => zh`${p.url}返回${p.status}，而不是 200`,
};

/**
 * The sentences of the client document check, one message per form: src/checker/client-document.ts writes its
 * problems with these English messages, and a hint reads a problem's sentence back with the same messages
 * (src/diagnosis/rules/document-problems-texts.ts) and says it again in Chinese.
 * `type` is a JSON type in `jsonTypeName`'s words (`an array`); `error`, `detail` are the report's error texts.
 */
const clientEn = {
  notFound: (p: { url: string }) =>
    `${p.url} answered 404: there is no client well-known document, so clients cannot discover the homeserver from the user ID`,
  fetchFailed: (p: { detail: string }) => `the client well-known document could not be fetched: ${p.detail}`,
  httpStatus: (p: { url: string; status: string }) =>
    `${p.url} answered ${p.status} instead of 200 (or 404 when there is no document)`,
  bom: 'the document starts with a UTF-8 byte order mark (bytes EF BB BF), which JSON forbids; browsers skip it but other clients may not: save the file as UTF-8 without BOM',
  empty: (p: { url: string }) => `${p.url} answered 200 with an empty body`,
  html: (p: { url: string }) =>
    `${p.url} answered an HTML page instead of JSON: the web server probably serves its default page or a catch-all route there; serve the JSON file at exactly this path`,
  invalidJson: (p: { url: string; error: string }) => `${p.url}: ${p.error}`,
  notObject: (p: { type: string }) =>
    `the document is ${p.type}, not a JSON object like {"m.homeserver": {"base_url": "https://matrix.example.org"}}`,
  noHomeserver:
    'the document has no "m.homeserver"; it should be {"m.homeserver": {"base_url": "https://matrix.example.org"}}',
  noBaseUrl: '"m.homeserver" has no "base_url"',
  baseUrlNotString: (p: { type: string }) => `"m.homeserver" has a "base_url" that is ${p.type}, not a string`,
  homeserverNotObject: (p: { type: string }) => `"m.homeserver" is ${p.type}, not an object with a "base_url"`,
  baseUrlNotUrl: baseUrl.notUrl,
  baseUrlPlainHttp: baseUrl.plainHttp,
  baseUrlNotHttp: baseUrl.notHttp,
  versionsNoAnswer: baseUrl.noAnswer,
  versionsStatus: baseUrl.status,
  versionsNotJson: (p: { url: string; error: string }) =>
    `${p.url}: ${p.error}; a homeserver answers {"versions": ["v1.1", ...]}`,
  versionsNotObject: (p: { url: string; type: string }) =>
    `${p.url}: the answer is ${p.type}, not a JSON object with a "versions" array`,
  versionsMissing: (p: { url: string }) =>
    `${p.url}: the answer has no "versions" array of strings: this is not a Matrix homeserver's client API`,
  identityNoBaseUrl:
    '"m.identity_server" is present but has no "base_url" string; remove it or give {"base_url": "https://identity.example.org"}',
  identityNotObject: (p: { type: string }) => `"m.identity_server" is ${p.type}, not an object with a "base_url"`,
  identityNotUrl: (p: { label: string; url: string }) => `${baseUrl.notUrl(p)}${IDENTITY_STOP}`,
  identityPlainHttp: (p: { label: string; url: string }) => `${baseUrl.plainHttp(p)}${IDENTITY_STOP}`,
  identityNotHttp: (p: { label: string; url: string }) => `${baseUrl.notHttp(p)}${IDENTITY_STOP}`,
  identityNoAnswer: (p: { label: string; detail: string }) => `${baseUrl.noAnswer(p)}${IDENTITY_STOP}`,
  identityStatus: (p: { url: string; status: string }) => `${baseUrl.status(p)}${IDENTITY_STOP}`,
  contentTypeNone:
    'the document is served as no Content-Type; serve it as application/json (clients parse it anyway, but tools and caches may not)',
  contentType: (p: { type: string }) =>
    `the document is served as "${p.type}"; serve it as application/json (clients parse it anyway, but tools and caches may not)`,
  corsMissing: (p: { missing: string }) => `the document's response lacks CORS headers the spec asks for: ${p.missing}`,
  corsBlocking: (p: { missing: string }) =>
    `the document's response lacks CORS headers the spec asks for: ${p.missing} (without Access-Control-Allow-Origin: * web clients such as Element Web cannot read it)`,
  preflightNoAnswer: (p: { error: string }) => `the OPTIONS preflight got no answer: ${p.error}`,
  preflightStatus: (p: { status: string }) =>
    `the OPTIONS preflight answered ${p.status}; browsers need a 2xx answer (200 or 204) with the CORS headers`,
  preflightCors: (p: { missing: string }) => `the OPTIONS preflight answer lacks CORS headers: ${p.missing}`,
} satisfies Catalogue;

const clientZh: Translation<typeof clientEn> = {
  notFound: (p) => zh`${p.url}返回 404：没有客户端 .well-known 文件，因此客户端无法根据用户 ID 找到 homeserver`,
  fetchFailed: (p) => zh`无法获取客户端 .well-known 文件：${p.detail}`,
  httpStatus: (p) => zh`${p.url}返回${p.status}，而应返回 200（没有该文件时返回 404）`,
  bom: '该文件以 UTF-8 字节顺序标记（BOM，字节 EF BB BF）开头，而 JSON 不允许这样做；浏览器会跳过它，其他客户端却未必：请将文件保存为不带 BOM 的 UTF-8',
  empty: (p) => zh`${p.url}返回 200，但响应体为空`,
  html: (p) =>
    zh`${p.url}返回的是 HTML 页面而不是 JSON：Web 服务器很可能在这里返回了它的默认页面或兜底路由；请在这个确切路径上提供 JSON 文件`,
  invalidJson: (p) => zh`${p.url}返回的不是有效的 JSON：${p.error}`,
  notObject: (p) =>
    zh`该文件${isJsonType(p.type)}，而不是像 {"m.homeserver": {"base_url": "https://matrix.example.org"}}这样的 JSON 对象`,
  noHomeserver: '该文件没有 "m.homeserver"；它应为 {"m.homeserver": {"base_url": "https://matrix.example.org"}}',
  noBaseUrl: '"m.homeserver" 中没有 "base_url"',
  baseUrlNotString: (p) => zh`"m.homeserver" 中的 "base_url" ${isJsonType(p.type)}，不是字符串`,
  homeserverNotObject: (p) => zh`"m.homeserver" ${isJsonType(p.type)}，不是含有 "base_url" 的对象`,
  baseUrlNotUrl: baseUrlZh.notUrl,
  baseUrlPlainHttp: baseUrlZh.plainHttp,
  baseUrlNotHttp: baseUrlZh.notHttp,
  versionsNoAnswer: baseUrlZh.noAnswer,
  versionsStatus: baseUrlZh.status,
  versionsNotJson: (p) => zh`${p.url}返回的不是有效的 JSON：${p.error}；homeserver 会返回 {"versions": ["v1.1", ...]}`,
  versionsNotObject: (p) => zh`${p.url}的响应${isJsonType(p.type)}，不是含有 "versions" 数组的 JSON 对象`,
  versionsMissing: (p) => zh`${p.url}的响应中没有由字符串组成的 "versions" 数组：这不是 Matrix homeserver 的客户端 API`,
  identityNoBaseUrl:
    '有 "m.identity_server"，但其中没有 "base_url" 字符串；请删除它，或者写成 {"base_url": "https://identity.example.org"}',
  identityNotObject: (p) => zh`"m.identity_server" ${isJsonType(p.type)}，不是含有 "base_url" 的对象`,
  identityNotUrl: (p) => `${baseUrlZh.notUrl(p)}${IDENTITY_STOP_ZH}`,
  identityPlainHttp: (p) => `${baseUrlZh.plainHttp(p)}${IDENTITY_STOP_ZH}`,
  identityNotHttp: (p) => `${baseUrlZh.notHttp(p)}${IDENTITY_STOP_ZH}`,
  identityNoAnswer: (p) => `${baseUrlZh.noAnswer(p)}${IDENTITY_STOP_ZH}`,
  identityStatus: (p) => `${baseUrlZh.status(p)}${IDENTITY_STOP_ZH}`,
  contentTypeNone: '该文件没有 Content-Type；请以 application/json 提供（客户端照样会解析它，但工具和缓存未必）',
  contentType: (p) =>
    zh`该文件的 Content-Type 是 "${p.type}"；请以 application/json 提供（客户端照样会解析它，但工具和缓存未必）`,
  corsMissing: (p) => zh`该文件的响应缺少规范要求的 CORS 头：${p.missing}`,
  corsBlocking: (p) =>
    zh`该文件的响应缺少规范要求的 CORS 头：${p.missing}（没有 Access-Control-Allow-Origin: *，Element Web 等 Web 客户端就无法读取它）`,
  preflightNoAnswer: (p) => zh`OPTIONS 预检请求没有得到响应：${p.error}`,
  preflightStatus: (p) => zh`OPTIONS 预检请求返回${p.status}；浏览器需要带 CORS 头的 2xx 响应（200 或 204）`,
  preflightCors: (p) => zh`OPTIONS 预检请求的响应缺少 CORS 头：${p.missing}`,
};

/**
 * The sentences of the support document check, one message per form: src/checker/support-document.ts writes its
 * problems with these English messages, which the diagnosis reads back. `where` is `contacts[0]`, `role`, `id`, `email`, `page` remote values.
 */
const supportEn = {
  fetchFailed: (p: { detail: string }) => `the support document could not be fetched: ${p.detail}`,
  httpStatus: (p: { url: string; status: string }) =>
    `${p.url} answered ${p.status}; serve the document with 200, or answer 404 when there is none`,
  contentTypeNone: 'the document is served as no Content-Type; serve it as application/json',
  contentType: (p: { type: string }) => `the document is served as "${p.type}"; serve it as application/json`,
  corsMissing: 'the document lacks "Access-Control-Allow-Origin: *", so web clients cannot show the support contacts',
  bom: 'the document starts with a UTF-8 byte order mark, which JSON forbids; save it as UTF-8 without BOM',
  empty: (p: { url: string }) => `${p.url} answered 200 with an empty body`,
  html: (p: { url: string }) =>
    `${p.url} answered an HTML page instead of JSON: serve the JSON file at exactly this path`,
  invalidJson: (p: { url: string; error: string }) => `${p.url}: ${p.error}`,
  notObject: (p: { type: string }) =>
    `the document is ${p.type}, not a JSON object like {"contacts": [...], "support_page": "https://..."}`,
  contactsNotArray: (p: { type: string }) => `"contacts" is ${p.type}, not an array of contacts`,
  tooMany: (p: { count: string; limit: string }) =>
    `"contacts" has ${p.count} entries; only the first ${p.limit} were checked (list a few people or roles)`,
  pageNotString: (p: { type: string }) => `"support_page" is ${p.type}, not a URL string`,
  pageNotUrl: (p: { page: string }) => `"support_page" "${p.page}" is not an http(s) URL`,
  pagePlainHttp: (p: { page: string }) => `"support_page" "${p.page}" uses plain http; link to an https:// page`,
  emptyContacts: '"contacts" is empty and there is no "support_page": give at least one contact or a support page',
  emptyDocument: 'the document has neither "contacts" nor "support_page": give at least one of them',
  contactNotObject: (p: { where: string; type: string }) =>
    `${p.where} is ${p.type}, not an object with "role" and "matrix_id" or "email_address"`,
  noRole: (p: { where: string }) => `${p.where}: has no "role" (required: "m.role.admin" or "m.role.security")`,
  roleNotString: (p: { where: string; type: string }) => `${p.where}: "role" is ${p.type}, not a string`,
  roleReserved: (p: { where: string; role: string }) =>
    `${p.where}: "${p.role}" is not a role of the spec (the "m." namespace is reserved; use m.role.admin or m.role.security)`,
  roleNotIdentifier: (p: { where: string; role: string }) =>
    `${p.where}: "${p.role}" is not a namespaced identifier (lowercase letters, digits, ".", "_", "-"; e.g. "org.example.role.abuse")`,
  roleNotNamespaced: (p: { where: string; role: string }) =>
    `${p.where}: "${p.role}" should carry a reversed domain name, like "org.example.${p.role}"`,
  matrixIdNotString: (p: { where: string; type: string }) => `${p.where}: "matrix_id" is ${p.type}, not a string`,
  emailNotString: (p: { where: string; type: string }) => `${p.where}: "email_address" is ${p.type}, not a string`,
  noAddress: (p: { where: string }) =>
    `${p.where}: has neither "matrix_id" nor "email_address": give at least one way to reach this contact`,
  matrixIdNoAt: (p: { where: string; id: string }) =>
    `${p.where}: "matrix_id" "${p.id}" is not a Matrix user ID: it must start with "@"`,
  matrixIdShape: (p: { where: string; id: string }) =>
    `${p.where}: "matrix_id" "${p.id}" is not a Matrix user ID: it must look like "@localpart:server.name"`,
  matrixIdSpace: (p: { where: string; id: string }) =>
    `${p.where}: "matrix_id" "${p.id}" is not a Matrix user ID: the localpart must not contain white space`,
  matrixIdServer: (p: { where: string; id: string; server: string; error: string }) =>
    `${p.where}: "matrix_id" "${p.id}" is not a Matrix user ID: "${p.server}" is not a valid server name (${p.error})`,
  emailInvalid: (p: { where: string; email: string }) =>
    `${p.where}: "email_address" "${p.email}" is not an email address`,
} satisfies Catalogue;

const supportZh: Translation<typeof supportEn> = {
  fetchFailed: (p) => zh`无法获取支持信息 .well-known 文件：${p.detail}`,
  httpStatus: (p) => zh`${p.url}返回${p.status}；请以 200 提供该文件，没有该文件时返回 404`,
  contentTypeNone: '该文件没有 Content-Type；请以 application/json 提供',
  contentType: (p) => zh`该文件的 Content-Type 是 "${p.type}"；请以 application/json 提供`,
  corsMissing: '该文件缺少 "Access-Control-Allow-Origin: *"，因此 Web 客户端无法显示支持联系人',
  bom: '该文件以 UTF-8 字节顺序标记（BOM）开头，而 JSON 不允许这样做；请将它保存为不带 BOM 的 UTF-8',
  empty: (p) => zh`${p.url}返回 200，但响应体为空`,
  html: (p) => zh`${p.url}返回的是 HTML 页面而不是 JSON：请在这个确切路径上提供 JSON 文件`,
  invalidJson: (p) => zh`${p.url}返回的不是有效的 JSON：${p.error}`,
  notObject: (p) =>
    zh`该文件${isJsonType(p.type)}，而不是像 {"contacts": [...], "support_page": "https://..."}这样的 JSON 对象`,
  contactsNotArray: (p) => zh`"contacts" ${isJsonType(p.type)}，不是联系人数组`,
  tooMany: (p) => zh`"contacts" 有${p.count}项；只检查了前${p.limit}项（列出几个人或几种角色即可）`,
  pageNotString: (p) => zh`"support_page" ${isJsonType(p.type)}，不是 URL 字符串`,
  pageNotUrl: (p) => zh`"support_page" "${p.page}" 不是 http(s) URL`,
  pagePlainHttp: (p) => zh`"support_page" "${p.page}" 使用的是明文 http；请链接到 https:// 页面`,
  emptyContacts: '"contacts" 为空，也没有 "support_page"：请至少给出一个联系人或一个支持页面',
  emptyDocument: '该文件既没有 "contacts" 也没有 "support_page"：请至少给出其中之一',
  contactNotObject: (p) =>
    zh`${p.where} ${isJsonType(p.type)}，不是含有 "role" 以及 "matrix_id" 或 "email_address" 的对象`,
  noRole: (p) => zh`${p.where}：没有 "role"（必需："m.role.admin" 或 "m.role.security"）`,
  roleNotString: (p) => zh`${p.where}："role" ${isJsonType(p.type)}，不是字符串`,
  roleReserved: (p) =>
    zh`${p.where}："${p.role}" 不是规范定义的角色（"m." 命名空间是保留的；请使用 m.role.admin 或 m.role.security）`,
  roleNotIdentifier: (p) =>
    zh`${p.where}："${p.role}" 不是带命名空间的标识符（小写字母、数字、"."、"_"、"-"；例如 "org.example.role.abuse"）`,
  roleNotNamespaced: (p) => zh`${p.where}："${p.role}" 应带上反写的域名，例如 "org.example.${p.role}"`,
  matrixIdNotString: (p) => zh`${p.where}："matrix_id" ${isJsonType(p.type)}，不是字符串`,
  emailNotString: (p) => zh`${p.where}："email_address" ${isJsonType(p.type)}，不是字符串`,
  noAddress: (p) => zh`${p.where}：既没有 "matrix_id" 也没有 "email_address"：请至少给出一种联系此人的方式`,
  matrixIdNoAt: (p) => zh`${p.where}："matrix_id" "${p.id}" 不是 Matrix 用户 ID：它必须以 "@" 开头`,
  matrixIdShape: (p) => zh`${p.where}："matrix_id" "${p.id}" 不是 Matrix 用户 ID：它应形如 "@localpart:server.name"`,
  matrixIdSpace: (p) => zh`${p.where}："matrix_id" "${p.id}" 不是 Matrix 用户 ID：localpart 中不能含有空白字符`,
  matrixIdServer: (p) =>
    zh`${p.where}："matrix_id" "${p.id}" 不是 Matrix 用户 ID："${p.server}" 不是有效的服务器名（${p.error}）`,
  emailInvalid: (p) => zh`${p.where}："email_address" "${p.email}" 不是电子邮件地址`,
};

/**
 * The client check's sentences in every language. `en` is what src/checker/client-document.ts writes into the
 * report; a `detail` or `error` (a fetch's or a body's error sentence) is shown as given: the diagnosis says it in
 * the language first (src/diagnosis/rules/document-words.ts).
 */
export const CLIENT_PROBLEM_TEXTS = { en: clientEn, 'zh-CN': clientZh } satisfies Translations<typeof clientEn>;
/** The support check's sentences in every language (`en`: what src/checker/support-document.ts writes). */
export const SUPPORT_PROBLEM_TEXTS = { en: supportEn, 'zh-CN': supportZh } satisfies Translations<typeof supportEn>;
