// The words of the whole-config checks (validate.ts): an empty file, server_name, delegation_target, what is served.

import type { Catalogue, Translation, Translations } from '../i18n/index.js';

const en = {
  'empty.problem': 'the configuration is empty',
  'empty.fix': 'write at least server_name: example.com (see examples/ for complete files)',
  'notMapping.problem': (p: { value: string }) => `the configuration must be a mapping of keys, got ${p.value}`,
  'notMapping.fix': 'start the file with keys such as server_name: example.com, one per line',
  'serverName.missing': 'server_name is missing: it is the domain at the end of your user IDs (@user:example.com)',
  'serverName.missingFix': 'add server_name: example.com (the same value as in homeserver.yaml)',
  'serverName.url': (p: { text: string }) => `${p.text} is a URL, not a host name with an optional port`,
  'serverName.fixUrl': (p: { hostPort: string }) =>
    `write the host and port only, without the scheme and path: ${p.hostPort}`,
  'serverName.fixSlash': (p: { name: string }) => `remove the trailing slash: ${p.name}`,
  'serverName.fixEmpty': (p: { example: string }) => `write a host name, e.g. ${p.example}`,
  'serverName.fix': (p: { example: string }) => `write a host name with an optional port, e.g. ${p.example}`,
  'delegationTarget.problem': (p: { problem: string }) => `not a valid m.server value (host[:port]): ${p.problem}`,
  'warn.serveServerWellknownIgnored': (p: { target: string }) =>
    `ignored: delegation_target is set and wins, so /.well-known/matrix/server announces ${p.target}`,
  'warn.ipLiteral': (p: { port: number }) =>
    `server_name is an IP address, so other servers connect to it directly (port ${p.port}) and never read /.well-known/matrix/server`,
  'warn.explicitPort': (p: { port: number; host: string }) =>
    `server_name has an explicit port (${p.port}), so other servers connect to ${p.host}:${p.port} directly and never read /.well-known/matrix/server`,
  'warn.statePathWithRedis':
    'ignored: with cache_store kind redis the monitor keeps its state in Redis, shared by every instance; remove state_path',
  'warn.cacheStoreWithoutTester':
    'has no effect while the tester is off: only tester results are cached; set tester.enabled: true, or remove cache_store',
  'warn.cacheStoreNothingToShare':
    'has no effect: tester.cache_seconds is 0, so no result is cached, and rate_limit_per_minute is 0, so there is no limit to share; set cache_seconds (e.g. 60), or remove cache_store',
  'warn.servesNothing':
    'this configuration serves nothing: no delegation_target or serve_server_wellknown, no public_baseurl, no support and the tester is off, so every path answers 404',
} satisfies Catalogue;

const zhCN: Translation<typeof en> = {
  'empty.problem': '配置是空的',
  'empty.fix': '至少写上 server_name: example.com（完整的配置文件见 examples/）',
  'notMapping.problem': (p) => `配置必须是键的映射，实际是${p.value}`,
  'notMapping.fix': '文件以 server_name: example.com 这样的键开头，每行一个',
  'serverName.missing': '缺少 server_name：它是用户 ID 结尾的域名（@user:example.com）',
  'serverName.missingFix': '添加 server_name: example.com（与 homeserver.yaml 中的值相同）',
  'serverName.url': (p) => `${p.text} 是一个 URL，而不是主机名（可带端口）`,
  'serverName.fixUrl': (p) => `只写主机名和端口，不要协议和路径：${p.hostPort}`,
  'serverName.fixSlash': (p) => `删除末尾的斜杠：${p.name}`,
  'serverName.fixEmpty': (p) => `填写主机名，例如 ${p.example}`,
  'serverName.fix': (p) => `填写主机名（可带端口），例如 ${p.example}`,
  'delegationTarget.problem': (p) => `不是有效的 m.server 值（host[:port]）：${p.problem}`,
  'warn.serveServerWellknownIgnored': (p) =>
    `已忽略：设置了 delegation_target，并以它为准，因此 /.well-known/matrix/server 会公布 ${p.target}`,
  'warn.ipLiteral': (p) =>
    `server_name 是一个 IP 地址，因此其他服务器会直接连接它（${p.port} 端口），从不读取 /.well-known/matrix/server`,
  'warn.explicitPort': (p) =>
    `server_name 带有明确的端口（${p.port}），因此其他服务器会直接连接 ${p.host}:${p.port}，从不读取 /.well-known/matrix/server`,
  'warn.statePathWithRedis':
    '已忽略：cache_store 的 kind 为 redis 时，监控把状态保存在 Redis 中，由所有实例共享；请删除 state_path',
  'warn.cacheStoreWithoutTester':
    '联邦测试工具关闭时没有作用：只有测试结果会被缓存；请设置 tester.enabled: true，或删除 cache_store',
  'warn.cacheStoreNothingToShare':
    '没有作用：tester.cache_seconds 为 0，不缓存任何结果；rate_limit_per_minute 为 0，也没有需要共享的速率限制；请设置 cache_seconds（例如 60），或删除 cache_store',
  'warn.servesNothing':
    '这个配置什么也不提供：没有 delegation_target 或 serve_server_wellknown，没有 public_baseurl，没有 support，联邦测试工具也关闭了，因此每个路径都返回 404',
};

/** The whole-config checks' words in every language. */
export const VALIDATE_TEXTS: Translations<typeof en> = { en, 'zh-CN': zhCN };
