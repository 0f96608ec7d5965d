// Why a server name fails the grammar, by rule, in every language (the parser's own messages are English).

// From the i18n modules themselves, not its index: the index also carries the completeness checks, which
// `matrix-delegation/resolver` (this module's importer) would load for nothing.
import { DEFAULT_LOCALE, type Locale } from '../i18n/locale.js';
import { localize, type Catalogue, type Translation, type Translations } from '../i18n/messages.js';
import type { ServerNameError, ServerNameRule } from './types.js';

/** Why a server name fails the grammar, by rule (spec appendix "Server Name"), in English. */
const rulesEn = {
  empty: 'the server name is empty: give a host name such as example.org, optionally with a port (example.org:8448)',
  whitespace:
    'it contains a space or a line break, which often come from copy and paste: remove it (server names cannot contain them)',
  'control-character': 'it contains a control character: remove it',
  'non-ascii': 'it contains a non-ASCII character: internationalised names must be written in punycode (xn--...)',
  'host-empty': 'there is no host before the ":": write the host name first, as in example.org:8448',
  'port-empty': 'it ends with ":" but no port: add the port number (e.g. :8448) or remove the ":"',
  'port-not-numeric':
    'the port is not a number: a port is written with digits only (e.g. :8448), not a service name or sign',
  'port-too-long': 'the port has more than 5 digits: use a port from 1 to 65535',
  'port-range': 'the port is out of range: use a port from 1 to 65535',
  'too-many-colons':
    'it has more than one ":": a server name has at most one, before the port, and an IPv6 address must be written in brackets ([2001:db8::1]:8448)',
  'ipv6-missing-brackets': 'it is an IPv6 address, which must be written in square brackets: [2001:db8::1]',
  'ipv6-unclosed-bracket': 'it opens a "[" that is never closed: write an IPv6 address as [2001:db8::1]',
  'ipv6-misplaced-bracket':
    'brackets may only enclose an IPv6 address at the start of a server name, as in [2001:db8::1]:8448',
  'ipv6-trailing-characters': 'only a port may follow the closing "]", as in [2001:db8::1]:8448',
  'ipv6-empty': 'the brackets are empty: put an IPv6 address between them, e.g. [2001:db8::1]',
  'ipv6-zone-id':
    'the IPv6 address has a zone id (%...), which only means something on one machine and cannot be used in a server name: remove it',
  'ipv6-invalid': 'the text between the brackets is not a valid IPv6 address: write it as in [2001:db8::1]',
  'ipv4-in-brackets': 'it puts an IPv4 address in brackets: brackets are only for IPv6, write it without them',
  'ipv4-octet-range': 'a part of the IPv4 address is not a number from 0 to 255',
  'dns-invalid-character': "the host name may only contain the letters a-z, digits, '-' and '.'",
  'dns-empty-label': 'the host name has an empty part (a leading dot or two dots in a row)',
  'dns-trailing-dot':
    'the host name ends with a dot: remove it (Matrix compares server names as text, and TLS does not accept the dotted form)',
  'dns-label-too-long': 'a part of the host name is longer than 63 characters',
  'dns-too-long': 'the host name is longer than 255 characters',
  'punycode-invalid':
    'a part starts with "xn--" but is not valid punycode: re-encode the internationalised name or fix the typo',
} satisfies Catalogue & Record<ServerNameRule, string>;

const rulesZhCN: Translation<typeof rulesEn> = {
  empty: '服务器名为空：请填写主机名，例如 example.org，也可以带端口（example.org:8448）',
  whitespace: '其中有空格或换行（常见于复制粘贴）：请删除，服务器名不能包含空白字符',
  'control-character': '其中有控制字符：请删除',
  'non-ascii': '其中有非 ASCII 字符：国际化域名必须写成 punycode 形式（xn--...）',
  'host-empty': '":" 前面没有主机名：请先写主机名，例如 example.org:8448',
  'port-empty': '以 ":" 结尾却没有端口：请加上端口号（例如 :8448），或删除 ":"',
  'port-not-numeric': '端口不是数字：端口只能由数字组成（例如 :8448），不能是服务名或符号',
  'port-too-long': '端口超过 5 位数字：请使用 1 到 65535 之间的端口',
  'port-range': '端口超出范围：请使用 1 到 65535 之间的端口',
  'too-many-colons':
    '其中有多个 ":"：服务器名最多只有一个冒号（在端口之前），IPv6 地址必须写在方括号中（[2001:db8::1]:8448）',
  'ipv6-missing-brackets': '这是一个 IPv6 地址，在服务器名中必须写在方括号中：[2001:db8::1]',
  'ipv6-unclosed-bracket': '"[" 没有闭合：IPv6 地址应写成 [2001:db8::1]',
  'ipv6-misplaced-bracket': '方括号只能包住服务器名开头的 IPv6 地址，例如 [2001:db8::1]:8448',
  'ipv6-trailing-characters': '"]" 之后只能跟端口，例如 [2001:db8::1]:8448',
  'ipv6-empty': '方括号中是空的：请在其中写 IPv6 地址，例如 [2001:db8::1]',
  'ipv6-zone-id': 'IPv6 地址带有区域标识（%...），它只在一台机器上有意义，不能用在服务器名中：请删除',
  'ipv6-invalid': '方括号中不是有效的 IPv6 地址：请写成 [2001:db8::1] 这样的形式',
  'ipv4-in-brackets': 'IPv4 地址写在了方括号中：方括号只用于 IPv6，请去掉方括号',
  'ipv4-octet-range': 'IPv4 地址中有一段不是 0 到 255 之间的数字',
  'dns-invalid-character': '主机名只能包含字母 a-z、数字、"-" 和 "."',
  'dns-empty-label': '主机名中有空的部分（以点开头，或有两个连续的点）',
  'dns-trailing-dot': '主机名以点结尾：请删除末尾的点（Matrix 按文本比较服务器名，TLS 也不接受带点的形式）',
  'dns-label-too-long': '主机名中有一部分超过 63 个字符',
  'dns-too-long': '主机名超过 255 个字符',
  'punycode-invalid': '有一部分以 "xn--" 开头，却不是有效的 punycode：请重新编码国际化域名，或修正拼写错误',
};

/** Why a server name fails the grammar, by rule, in every language. */
export const SERVER_NAME_RULE_TEXTS: Translations<typeof rulesEn> = { en: rulesEn, 'zh-CN': rulesZhCN };

/** Advice about valid server names likely to cause trouble (see `serverNameWarnings`), in English. */
const warningsEn = {
  tooLong: (p: { length: number; max: number }) =>
    `the server name is ${p.length} characters long; the spec recommends at most ${p.max} so that IDs built from it stay within their length limits`,
  uppercase: (p: { host: string; lower: string }) =>
    `the host name ${p.host} has uppercase letters: DNS and TLS ignore case, but Matrix compares server names as text, so ${p.lower} would be a different server; prefer lowercase`,
  hyphens: (p: { labels: string }) =>
    `the host name has parts that start or end with '-' (${p.labels}); the Matrix grammar allows it, but such names are not valid DNS host names and may not resolve or get a certificate`,
  numericLast: (p: { label: string }) =>
    `the last part of the host name (${p.label}) is all digits; no top-level domain is, and some resolvers read such names as IP addresses`,
  ipv4Zeros: (p: { address: string; canonical: string }) =>
    `the IPv4 address ${p.address} has leading zeros, which some software reads as octal; write it as ${p.canonical}`,
  ipv6Form: (p: { address: string; canonical: string }) =>
    `the IPv6 address [${p.address}] is not in its canonical form [${p.canonical}] (RFC 5952); Matrix compares server names as text, so other servers may know it by the other spelling`,
} satisfies Catalogue;

const warningsZhCN: Translation<typeof warningsEn> = {
  tooLong: (p) => `服务器名长 ${p.length} 个字符；规范建议最多 ${p.max} 个字符，以便由它组成的 ID 不超过长度限制`,
  uppercase: (p) =>
    `主机名 ${p.host} 含有大写字母：DNS 和 TLS 不区分大小写，但 Matrix 按文本比较服务器名，${p.lower} 会被当作另一个服务器；建议使用小写`,
  hyphens: (p) =>
    `主机名中有以 '-' 开头或结尾的部分（${p.labels}）；Matrix 的语法允许这样写，但这样的名字不是有效的 DNS 主机名，可能无法解析，也可能申请不到证书`,
  numericLast: (p) =>
    `主机名的最后一部分（${p.label}）全是数字；没有哪个顶级域名是这样的，有些解析器会把这样的名字当作 IP 地址`,
  ipv4Zeros: (p) => `IPv4 地址 ${p.address} 带有前导零，有些软件会把它当作八进制；请写成 ${p.canonical}`,
  ipv6Form: (p) =>
    `IPv6 地址 [${p.address}] 不是规范形式 [${p.canonical}]（RFC 5952）；Matrix 按文本比较服务器名，其他服务器可能用另一种写法认识它`,
};

/** The server-name warnings in every language. */
export const SERVER_NAME_WARNING_TEXTS: Translations<typeof warningsEn> = { en: warningsEn, 'zh-CN': warningsZhCN };

/** The frame of a rule's words around the input (and the character the parser stopped at). */
const problemEn = {
  problem: (p: { input: string; at: string; rule: string }) => `${p.input}${p.at}: ${p.rule}`,
  at: (p: { position: string; code: string | null }) =>
    ` (character ${p.position}${p.code !== null ? `, ${p.code}` : ''})`,
} satisfies Catalogue;

const problemZhCN: Translation<typeof problemEn> = {
  problem: (p) => `${p.input}${p.at}：${p.rule}`,
  at: (p) => `（第 ${p.position} 个字符${p.code !== null ? `，${p.code}` : ''}）`,
};

/** The frame of {@link serverNameProblem} in every language. */
export const SERVER_NAME_PROBLEM_TEXTS: Translations<typeof problemEn> = { en: problemEn, 'zh-CN': problemZhCN };

/**
 * What is wrong with a server name, in `locale`: English is the parser's own message (with positions and the
 * characters involved); other languages quote the input, the character the parser stopped at (read off its message)
 * and say what the failed rule means and how to fix it.
 *
 * @example
 * ```ts
 * const parsed = parseServerName('example.com:99999');
 * if (!parsed.ok) serverNameProblem(parsed.error, 'zh-CN'); // '"example.com:99999"：端口超出范围：请使用 1 到 65535 之间的端口'
 * ```
 */
export function serverNameProblem(
  error: Pick<ServerNameError, 'rule' | 'message' | 'input'>,
  locale: Locale = DEFAULT_LOCALE,
): string {
  if (locale === 'en') return error.message;
  const t = localize(SERVER_NAME_PROBLEM_TEXTS, locale);
  // The parser names the offending character as `"x" (U+0078) at position 3` (server-name/text.ts describeChar).
  const position = /\bat position (\d+)/.exec(error.message)?.[1];
  const code = /\((U\+[0-9A-F]{4,6})\)/.exec(error.message)?.[1] ?? null;
  return t('problem', {
    input: JSON.stringify(error.input),
    at: position === undefined ? '' : t('at', { position, code }),
    rule: localize(SERVER_NAME_RULE_TEXTS, locale)(error.rule),
  });
}
