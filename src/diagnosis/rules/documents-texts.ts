// The fixes of the client and support document hints (rules/documents.ts), in English and Simplified Chinese.

import type { Catalogue, Translation } from '../../i18n/index.js';
import { zh } from '../text.js';

/** The spec's CORS headers (client-server API "Web Browser Clients"), as a web server would send them. */
const CORS_LINES =
  'Access-Control-Allow-Origin: *, Access-Control-Allow-Methods: GET, POST, PUT, DELETE, OPTIONS, ' +
  'Access-Control-Allow-Headers: X-Requested-With, Content-Type, Authorization';
const NGINX_CORS =
  'add_header Access-Control-Allow-Origin "*" always; add_header Access-Control-Allow-Methods "GET, POST, PUT, DELETE, OPTIONS" always; ' +
  'add_header Access-Control-Allow-Headers "X-Requested-With, Content-Type, Authorization" always;';

/**
 * What the document hints say besides the checks' own sentences: the fixes (`<hint id>`), with the values of the
 * report (`document` is the JSON to serve, `url` the document's URL, `example` a support document), and the way a
 * detail joins the problems' sentences.
 */
const en = {
  /** The problems' sentences of one hint as its detail: joined, a capital for a leading article, one full stop. */
  detail: (p: { sentences: readonly string[] }) => {
    const text = p.sentences.join('; ');
    const capital = /^(the|a|an|no)\b/.test(text) ? `${text.charAt(0).toUpperCase()}${text.slice(1)}` : text;
    return capital.endsWith('.') ? capital : `${capital}.`;
  },
  'client-well-known-missing': (p: { document: string; url: string }) =>
    `Serve ${p.document} at ${p.url} (with the CORS headers ${CORS_LINES}) so that clients find the homeserver from a user ID.`,
  'client-fetch-failed': (p: { document: string; url: string }) =>
    `Make ${p.url} reachable over HTTPS on port 443 with a valid certificate, and serve ${p.document} there.`,
  'client-http-status': (p: { document: string; url: string }) =>
    `Answer 200 with ${p.document} at ${p.url}, or 404 if clients should not discover anything.`,
  'client-html': (p: { document: string }) =>
    `Serve the JSON at exactly /.well-known/matrix/client, before any catch-all rule, e.g. nginx: location = /.well-known/matrix/client { default_type application/json; ${NGINX_CORS} return 200 '${p.document}'; }`,
  'client-bom': 'Save the file as UTF-8 without BOM (in Notepad: "UTF-8" rather than "UTF-8 with BOM").',
  'client-invalid-document': (p: { document: string; url: string }) => `Serve exactly ${p.document} at ${p.url}.`,
  'client-base-url-missing': (p: { document: string }) => `Give the homeserver's client URL: ${p.document}.`,
  'client-base-url-invalid': (p: { document: string }) =>
    `Write base_url as an https:// URL of the homeserver's client API, e.g. ${p.document}.`,
  'client-homeserver-unreachable': (p: { base: string }) =>
    `base_url must be the URL under which /_matrix/client/ reaches the homeserver: forward /_matrix/ on ${p.base} to it (nginx: location /_matrix { proxy_pass http://127.0.0.1:8008; }), or correct base_url.`,
  'client-identity-server-broken':
    'Give "m.identity_server" a working https base_url (one that answers /_matrix/identity/v2), or remove "m.identity_server" if you use none: clients stop when it fails.',
  'client-content-type':
    'Serve it with Content-Type: application/json (nginx: default_type application/json; in the location block).',
  'client-cors': (p: { url: string }) => `Send these headers with ${p.url}: ${CORS_LINES} (nginx: ${NGINX_CORS}).`,
  'client-preflight-failed': (p: { url: string }) =>
    `Answer OPTIONS requests on ${p.url} with 204 and the CORS headers (nginx: if ($request_method = OPTIONS) { ${NGINX_CORS} return 204; }).`,
  'client-problem': 'See the detail; the client check describes what it expects.',
  'support-fetch-failed': (p: { url: string }) =>
    `Make ${p.url} reachable over HTTPS (or answer 404 if you publish no support contacts).`,
  'support-http-status': (p: { url: string }) =>
    `Answer 200 with the document at ${p.url}, or 404 if you publish no support contacts.`,
  'support-html': (p: { example: string }) =>
    `Serve the JSON at exactly /.well-known/matrix/support, before any catch-all rule, e.g. ${p.example}.`,
  'support-bom': 'Save the file as UTF-8 without BOM.',
  'support-invalid-document': (p: { example: string }) =>
    `Serve a document like ${p.example} (or with "support_page": "https://..."), or answer 404.`,
  'support-contact-invalid': (p: { example: string }) =>
    `Give each contact a "role" ("m.role.admin", "m.role.security" or a namespaced one such as "org.example.abuse") and a "matrix_id" and/or "email_address", e.g. ${p.example}.`,
  'support-role-not-namespaced': 'Prefix custom roles with a reversed domain you own, e.g. "org.example.abuse".',
  'support-page-invalid': 'Make "support_page" an https:// URL string, or remove it.',
  'support-page-not-https': 'Link an https:// support page.',
  'support-content-type': 'Serve it with Content-Type: application/json.',
  'support-cors-missing': (p: { url: string }) =>
    `Send Access-Control-Allow-Origin: * with ${p.url} so that web clients can show the contacts (nginx: ${NGINX_CORS}).`,
  'support-problem': 'See the detail; the support check describes what it expects.',
} satisfies Catalogue;

const zhCN: Translation<typeof en> = {
  detail: (p) => {
    const text = p.sentences.join('；');
    return /[。.]$/.test(text) ? text : `${text}。`;
  },
  'client-well-known-missing': (p) =>
    zh`在${p.url}提供${p.document}（并带上 CORS 头${CORS_LINES}），这样客户端就能根据用户 ID 找到 homeserver。`,
  'client-fetch-failed': (p) =>
    zh`让${p.url}能通过 HTTPS 在 443 端口访问，并使用有效的证书，然后在那里提供${p.document}。`,
  'client-http-status': (p) => zh`在${p.url}以 200 返回${p.document}；如果不希望客户端发现任何内容，则返回 404。`,
  'client-html': (p) =>
    zh`在 /.well-known/matrix/client 这个确切路径上提供 JSON，并放在所有兜底规则之前，例如 nginx：location = /.well-known/matrix/client { default_type application/json; ${NGINX_CORS} return 200 '${p.document}'; }`,
  'client-bom': '将文件保存为不带 BOM 的 UTF-8（在记事本中选择“UTF-8”，而不是“带有 BOM 的 UTF-8”）。',
  'client-invalid-document': (p) => zh`在${p.url}准确地提供${p.document}。`,
  'client-base-url-missing': (p) => zh`写明 homeserver 的客户端 URL：${p.document}。`,
  'client-base-url-invalid': (p) => zh`把 base_url 写成 homeserver 客户端 API 的 https:// URL，例如${p.document}。`,
  'client-homeserver-unreachable': (p) =>
    zh`base_url 必须是能通过 /_matrix/client/ 访问到 homeserver 的 URL：把${p.base}上的 /_matrix/ 转发到 homeserver（nginx：location /_matrix { proxy_pass http://127.0.0.1:8008; }），或者更正 base_url。`,
  'client-identity-server-broken':
    '给 "m.identity_server" 一个可用的 https base_url（能响应 /_matrix/identity/v2），如果你不使用身份服务器，就删除 "m.identity_server"：它出错时客户端会停止。',
  'client-content-type':
    '以 Content-Type: application/json 提供该文件（nginx：在 location 块中写 default_type application/json;）。',
  'client-cors': (p) => zh`在${p.url}的响应中发送这些头：${CORS_LINES}（nginx：${NGINX_CORS}）。`,
  'client-preflight-failed': (p) =>
    zh`对${p.url}的 OPTIONS 请求返回 204 并带上 CORS 头（nginx：if ($request_method = OPTIONS) { ${NGINX_CORS} return 204; }）。`,
  'client-problem': '请看详情：客户端检查说明了它期望的内容。',
  'support-fetch-failed': (p) => zh`让${p.url}能通过 HTTPS 访问（如果你不公布支持联系人，就返回 404）。`,
  'support-http-status': (p) => zh`在${p.url}以 200 返回该文件；如果你不公布支持联系人，则返回 404。`,
  'support-html': (p) =>
    zh`在 /.well-known/matrix/support 这个确切路径上提供 JSON，并放在所有兜底规则之前，例如${p.example}。`,
  'support-bom': '将文件保存为不带 BOM 的 UTF-8。',
  'support-invalid-document': (p) =>
    zh`提供形如${p.example}的文件（或者带上 "support_page": "https://..."），或者返回 404。`,
  'support-contact-invalid': (p) =>
    zh`给每个联系人一个 "role"（"m.role.admin"、"m.role.security"，或 "org.example.abuse" 这样带命名空间的角色），以及 "matrix_id" 和/或 "email_address"，例如${p.example}。`,
  'support-role-not-namespaced': '自定义角色要以你拥有的域名的反写作前缀，例如 "org.example.abuse"。',
  'support-page-invalid': '把 "support_page" 写成 https:// URL 字符串，或者删除它。',
  'support-page-not-https': '链接到 https:// 的支持页面。',
  'support-content-type': '以 Content-Type: application/json 提供该文件。',
  'support-cors-missing': (p) =>
    zh`在${p.url}的响应中发送 Access-Control-Allow-Origin: *，这样 Web 客户端才能显示联系人（nginx：${NGINX_CORS}）。`,
  'support-problem': '请看详情：支持信息检查说明了它期望的内容。',
};

/** The document hints' texts in every language. */
export const DOCUMENT_TEXTS = { en, 'zh-CN': zhCN };
