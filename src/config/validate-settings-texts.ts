// The words of this project's own sections (validate-settings.ts, validate-cache-store.ts): tester, cache, logging, cache_store.

import type { Catalogue, Translation, Translations } from '../i18n/index.js';

const en = {
  // English shows the parser's own message (with the reason); these say it in other languages.
  'tester.cidrProblem': (p: { value: string }) => `${p.value} is not a network (address/prefix)`,
  'tester.dnsServerProblem': (p: { value: string }) => `${p.value} is not a DNS server address (IP[:port])`,
  'tester.cidrFix': 'write a network as address/prefix, e.g. 10.0.0.0/8 or fd00::/8, or a single address',
  'tester.dnsServerFix': 'write an IP address with an optional port: 9.9.9.9, 127.0.0.1:5353 or [2620:fe::fe]:53',
  'tester.caWhat': 'PEM bundle of CA certificates',
  'tester.caMissing': 'correct the path, or remove ca_file to trust only the system CAs',
  'tester.caUnreadable': 'make the file readable by the user running the server',
  'tester.caNotPemProblem': (p: { file: string }) => `${p.file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
  'tester.caNotPemFix': 'point ca_file at a PEM bundle of CA certificates',
  'cache.tooLong': (p: { seconds: number }) =>
    `remote servers keep the server document at most 48 hours (172800 s) whatever this says; ${p.seconds} acts as 172800`,
  'cache.tooShort': (p: { seconds: number }) =>
    `Synapse keeps the server document at least 5 minutes (300 s) whatever this says; ${p.seconds} acts as 300 for Synapse servers`,
  'cache.headerProblem': (p: { text: string }) =>
    `${p.text} cannot be sent as a Cache-Control header (empty, or characters other than visible ASCII)`,
  'cache.headerFix': (p: { example: string }) => `write directives such as "${p.example}" or "max-age=3600"`,
  'logging.problem': (p: { text: string }) => `${p.text} is not a log level`,
  'logging.fix': (p: { levels: string }) => `use one of ${p.levels}`,
  didYouMean: (p: { close: string }) => `did you mean ${p.close}? `,

  'store.wordMappingProblem': (p: { value: string }) => `expected a mapping of settings, got ${p.value}`,
  'store.wordRedisFix': (p: { url: string }) =>
    `write the kind as a setting: cache_store: { kind: redis, url: "${p.url}" }`,
  'store.wordMemoryFix': 'write the kind as a setting: cache_store: { kind: memory }',
  'store.smallBytes': (p: { bytes: number }) =>
    `${p.bytes} bytes holds few or no check results (a report is 5 to 20 KB), so most tester requests run a check again; 1048576 (1 MiB) or more is usual`,
  'store.urlOnMemory':
    'url applies only to kind redis; the store is memory (this process only), the default when kind is absent',
  'store.urlOnMemoryFix': 'add kind: redis to share the cache through Redis, or remove url',
  'store.prefixOnMemory':
    'key_prefix applies only to kind redis; the store is memory (this process only), the default when kind is absent',
  'store.prefixOnMemoryFix': 'add kind: redis (with a url) to share the cache through Redis, or remove key_prefix',
  'store.noUrlProblem': 'kind redis needs the address of the Redis server',
  'store.noUrlFix': (p: { url: string }) => `add url: "${p.url}" (redis://host:port/db, or rediss:// for TLS)`,
  'store.kindProblem': (p: { text: string }) => `${p.text} is not a cache store kind`,
  'store.kindFix': 'use memory (this process only) or redis (shared by every instance using the same Redis)',
  'store.urlBareFix': (p: { url: string }) => `add the scheme: redis://${p.url}`,
  'store.urlFix': (p: { example: string }) => `write a Redis URL, e.g. ${p.example} (rediss:// for TLS)`,
  'store.urlProblem': (p: { text: string }) => `${p.text} is not a Redis URL (redis:// or rediss://)`,
  'store.noHostProblem': (p: { text: string }) => `${p.text} has no host name`,
  'store.noHostFix': (p: { example: string }) => `write it as redis://host:port/db, e.g. ${p.example}`,
  'store.pathProblem': (p: { path: string }) => `the path ${p.path} is not a database number`,
  'store.pathFix': (p: { example: string }) => `end the URL with the database number or nothing, e.g. ${p.example}`,
  'store.emptyPrefixProblem': "an empty prefix mixes the tester's keys with everything else in the Redis database",
  'store.emptyPrefixFix': (p: { prefix: string }) =>
    `write a prefix, e.g. key_prefix: "${p.prefix}", or remove key_prefix for that default`,
  'store.prefixProblem': (p: { text: string; max: number }) =>
    `${p.text} is not a usable key prefix (white space, control characters, or longer than ${p.max} characters)`,
  'store.prefixFix': 'use letters, digits and punctuation such as "matrix-delegation:" or "tester-eu:"',
} satisfies Catalogue;

const zhCN: Translation<typeof en> = {
  'tester.cidrProblem': (p) => `${p.value} 不是网段（地址/前缀长度）`,
  'tester.dnsServerProblem': (p) => `${p.value} 不是 DNS 服务器地址（IP[:端口]）`,
  'tester.cidrFix': '把网段写成 地址/前缀长度，例如 10.0.0.0/8 或 fd00::/8，也可以写单个地址',
  'tester.dnsServerFix': '写 IP 地址，可以带端口：9.9.9.9、127.0.0.1:5353 或 [2620:fe::fe]:53',
  'tester.caWhat': 'CA 证书的 PEM 文件',
  'tester.caMissing': '修正路径，或者删除 ca_file，只信任系统的 CA',
  'tester.caUnreadable': '让运行服务器的用户能够读取这个文件',
  'tester.caNotPemProblem': (p) => `${p.file} 中没有 PEM 证书（-----BEGIN CERTIFICATE-----）`,
  'tester.caNotPemFix': '让 ca_file 指向包含 CA 证书的 PEM 文件',
  'cache.tooLong': (p) =>
    `无论这里怎么写，远程服务器最多只会把服务器文件缓存 48 小时（172800 秒）；${p.seconds} 的效果等同于 172800`,
  'cache.tooShort': (p) =>
    `无论这里怎么写，Synapse 至少会把服务器文件缓存 5 分钟（300 秒）；对 Synapse 服务器来说，${p.seconds} 的效果等同于 300`,
  'cache.headerProblem': (p) => `${p.text} 不能作为 Cache-Control 头发送（为空，或含有可见 ASCII 以外的字符）`,
  'cache.headerFix': (p) => `写 "${p.example}" 或 "max-age=3600" 这样的指令`,
  'logging.problem': (p) => `${p.text} 不是日志级别`,
  'logging.fix': (p) => `使用其中之一：${p.levels}`,
  didYouMean: (p) => `你是想写 ${p.close} 吗？`,

  'store.wordMappingProblem': (p) => `应为设置项的映射，实际是${p.value}`,
  'store.wordRedisFix': (p) => `把类型写成一项设置：cache_store: { kind: redis, url: "${p.url}" }`,
  'store.wordMemoryFix': '把类型写成一项设置：cache_store: { kind: memory }',
  'store.smallBytes': (p) =>
    `${p.bytes} 字节只能放下很少的检查结果，甚至一个也放不下（一份报告 5 到 20 KB），因此大多数测试请求都会重新检查；通常设为 1048576（1 MiB）或更大`,
  'store.urlOnMemory': 'url 只适用于 kind redis；当前的存储是 memory（仅限本进程），这是不写 kind 时的默认值',
  'store.urlOnMemoryFix': '添加 kind: redis 以通过 Redis 共享缓存，或者删除 url',
  'store.prefixOnMemory': 'key_prefix 只适用于 kind redis；当前的存储是 memory（仅限本进程），这是不写 kind 时的默认值',
  'store.prefixOnMemoryFix': '添加 kind: redis（并设置 url）以通过 Redis 共享缓存，或者删除 key_prefix',
  'store.noUrlProblem': 'kind redis 需要 Redis 服务器的地址',
  'store.noUrlFix': (p) => `添加 url: "${p.url}"（redis://host:port/db；使用 TLS 时为 rediss://）`,
  'store.kindProblem': (p) => `${p.text} 不是缓存存储的类型`,
  'store.kindFix': '使用 memory（仅限本进程）或 redis（由使用同一个 Redis 的所有实例共享）',
  'store.urlBareFix': (p) => `加上协议：redis://${p.url}`,
  'store.urlFix': (p) => `写 Redis URL，例如 ${p.example}（使用 TLS 时为 rediss://）`,
  'store.urlProblem': (p) => `${p.text} 不是 Redis URL（redis:// 或 rediss://）`,
  'store.noHostProblem': (p) => `${p.text} 没有主机名`,
  'store.noHostFix': (p) => `写成 redis://host:port/db，例如 ${p.example}`,
  'store.pathProblem': (p) => `路径 ${p.path} 不是数据库编号`,
  'store.pathFix': (p) => `URL 以数据库编号结尾，或者不写，例如 ${p.example}`,
  'store.emptyPrefixProblem': '空前缀会让测试工具的键与 Redis 数据库中的其他内容混在一起',
  'store.emptyPrefixFix': (p) => `写一个前缀，例如 key_prefix: "${p.prefix}"，或者删除 key_prefix 以使用该默认值`,
  'store.prefixProblem': (p) => `${p.text} 不能用作键前缀（含有空白字符、控制字符，或长度超过 ${p.max} 个字符）`,
  'store.prefixFix': '使用字母、数字和标点，例如 "matrix-delegation:" 或 "tester-eu:"',
};

/** The own sections' words in every language. */
export const SETTINGS_TEXTS: Translations<typeof en> = { en, 'zh-CN': zhCN };
