// The config's shared words: the error report's frame, values as they read in a message, the typed readers, URLs, files, YAML.

import type { Catalogue, Translation, Translations } from '../i18n/index.js';

const en = {
  // formatConfigErrors and formatWarning.
  'format.configuration': 'configuration',
  'format.heading': (p: { source: string; count: number }) =>
    `${p.source}: ${p.count} ${p.count === 1 ? 'error' : 'errors'}, the server cannot start:`,
  'format.line': (p: { line: number }) => ` (line ${p.line})`,
  'format.lineColumn': (p: { line: number; column: number }) => ` (line ${p.line}, column ${p.column})`,
  'format.error': (p: { key: string; where: string; problem: string }) => `  ${p.key}${p.where}: ${p.problem}`,
  'format.fix': (p: { fix: string }) => `    fix: ${p.fix}`,
  'format.warning': (p: { where: string; message: string }) => `${p.where}: ${p.message}`,
  // ConfigIssues: the fix of a required key found misspelt next to it.
  'issues.rename': (p: { from: string; to: string }) => `rename ${p.from} to ${p.to}`,

  // How a value reads in a message.
  'value.nothing': 'nothing',
  'value.string': (p: { text: string }) => `the string ${p.text}`,
  'value.number': (p: { number: string }) => `the number ${p.number}`,
  'value.list': 'a list',
  'value.mapping': 'a mapping',
  'value.date': 'a date',
  'value.boolean': (p: { value: string }) => p.value,
  'value.other': (p: { type: string }) => `a value of type ${p.type}`,

  // The typed readers (fields.ts).
  'boolean.problem': (p: { value: string }) => `expected true or false, got ${p.value}`,
  'boolean.fix': (p: { key: string }) => `write ${p.key}: true or ${p.key}: false`,
  'integer.range': (p: { min: number; max: number; unit: string | null }) =>
    `${p.min} to ${p.max}${p.unit === null ? '' : ` ${p.unit}`}`,
  'integer.quotedProblem': (p: { value: string }) => `expected a number, got ${p.value}`,
  'integer.quotedFix': (p: { key: string; number: string }) => `write the number without quotes: ${p.key}: ${p.number}`,
  'integer.notWholeProblem': (p: { value: string }) => `expected a whole number, got ${p.value}`,
  'integer.rangeProblem': (p: { value: number }) => `${p.value} is outside the allowed range`,
  'integer.fix': (p: { range: string }) => `use a whole number from ${p.range}`,
  'unit.seconds': 'seconds',
  'unit.milliseconds': 'milliseconds',
  'unit.entries': 'entries',
  'unit.bytes': 'bytes',
  'unit.checks': 'checks',
  'unit.days': 'days',
  'string.problem': (p: { value: string }) => `expected a string, got ${p.value}`,
  'string.fix': (p: { key: string; example: string }) => `write it as a quoted string, e.g. ${p.key}: ${p.example}`,
  'list.problem': (p: { value: string }) => `expected a list of strings, got ${p.value}`,
  'list.fixFromString': (p: { key: string; item: string }) => `write a list: ${p.key}: [${p.item}]`,
  'list.fix': (p: { key: string; example: string }) => `write a list, e.g. ${p.key}: [${p.example}]`,
  'listItem.fix': (p: { example: string }) => `write it as a quoted string, e.g. ${p.example}`,
  'section.problem': (p: { value: string }) => `expected a mapping of settings, got ${p.value}`,
  'section.fix': (p: { key: string }) => `indent its settings under "${p.key}:", one "name: value" per line`,
  'unknown.key': 'unknown key, ignored',
  'unknown.keyDidYouMean': (p: { suggestion: string }) => `unknown key, ignored; did you mean "${p.suggestion}"?`,

  // URLs (url.ts).
  'url.noSchemeProblem': (p: { text: string }) => `${p.text} is not an absolute URL (no http:// or https://)`,
  'url.addScheme': (p: { url: string }) => `add the scheme: https://${p.url}`,
  'url.writeFull': (p: { example: string }) => `write a full URL, e.g. ${p.example}`,
  'url.invalidProblem': (p: { text: string }) => `${p.text} is not a valid URL`,
  'url.schemeProblem': (p: { text: string; scheme: string }) =>
    `${p.text} uses the scheme ${p.scheme}, not http or https`,
  'url.useHttps': (p: { example: string }) => `use an https:// URL, e.g. ${p.example}`,
  'url.slashesProblem': (p: { text: string }) => `${p.text} does not start with http:// or https://`,
  'url.writeAs': (p: { url: string }) => `write it as ${p.url}`,
  'url.noHostProblem': (p: { text: string }) => `${p.text} has no host name`,
  'url.userProblem': (p: { text: string }) =>
    `${p.text} contains a user name or password, which would be published in a public document`,
  'url.userFix': 'remove the "user:password@" part',
  'url.spaceProblem': (p: { text: string }) => `${p.text} contains white space`,
  'url.spaceFix': 'remove the spaces, or percent-encode them as %20',
  'url.queryProblem': (p: { text: string }) =>
    `${p.text} has a query or fragment; clients append API paths to a base URL`,
  'url.queryFix': (p: { example: string }) => `remove everything from "?" or "#" on, e.g. ${p.example}`,
  'url.plainHttp': (p: { text: string }) =>
    `${p.text} uses plain http; clients on https pages cannot use it and traffic is unencrypted: prefer https://`,

  // Files (read-file.ts).
  'file.shown': (p: { path: string }) => `the file ${p.path}`,
  'file.shownConfig': (p: { path: string }) => `the config file ${p.path}`,
  'file.missing': (p: { shown: string }) => `${p.shown} does not exist`,
  'file.notRegular': (p: { shown: string; reason: string }) => `${p.shown} cannot be used: ${p.reason}`,
  'file.notRegularFix': (p: { setting: string; what: string }) =>
    `point ${p.setting} at a regular file holding the ${p.what} (a symbolic link to one is fine)`,
  'file.directory': (p: { shown: string }) => `${p.shown} cannot be used: it is a directory, not a regular file`,
  'file.directoryFix': (p: { setting: string; what: string }) =>
    `point ${p.setting} at the file holding the ${p.what}, not at its directory`,
  'file.tooLarge': (p: { shown: string; reason: string }) => `${p.shown} is too large: ${p.reason}`,
  'file.tooLargeFix': (p: { setting: string; what: string }) =>
    `point ${p.setting} at the file holding the ${p.what}; no real one comes near this size`,
  'file.slow': (p: { shown: string; reason: string }) => `${p.shown} could not be read in time: ${p.reason}`,
  'file.slowFix': (p: { what: string }) => `keep the ${p.what} on a local file system, or repair the one it is on`,
  'file.denied': (p: { shown: string }) => `${p.shown} cannot be read: permission denied`,
  'file.unreadable': (p: { shown: string; reason: string }) => `${p.shown} cannot be read: ${p.reason}`,
  'file.configSetting': 'the config path',
  'file.configWhat': 'YAML configuration',
  'file.configMissing': 'check the --config path, or copy one of the files in examples/ there',
  'file.configUnreadable': 'make the file readable by the user running the server',
  'file.fromMissing': 'check the --from path',

  // YAML (load.ts): the parser's own message is kept; the fixes are ours.
  'yaml.DUPLICATE_KEY': 'keep only one of the keys with this name',
  'yaml.TAB_AS_INDENT': 'indent with spaces; YAML does not allow tabs for indentation',
  'yaml.BAD_INDENT': 'line the keys of one mapping up at the same indentation, with spaces',
  'yaml.MULTIPLE_DOCS': 'keep one YAML document in the file (remove the extra --- line)',
  'yaml.BAD_DQ_ESCAPE': 'fix the backslash escape, or use single quotes, in which \\ has no special meaning',
  'yaml.MISSING_CHAR': 'add the missing closing quote or bracket',
  'yaml.RESOURCE_EXHAUSTION': 'use fewer aliases (*name)',
  'yaml.other':
    'check the indentation and quoting at this line (values containing ": " or starting with @, * or & need quotes)',
} satisfies Catalogue;

/** A word inside a Chinese sentence: spaced from the Chinese around it where it starts or ends with a Latin letter. */
export function inline(word: string): string {
  return `${/^[\x21-\x7e]/.test(word) ? ' ' : ''}${word}${/[\x21-\x7e]$/.test(word) ? ' ' : ''}`;
}

const zhCN: Translation<typeof en> = {
  'format.configuration': '配置',
  'format.heading': (p) => `${p.source}：${p.count} 个错误，服务器无法启动：`,
  'format.line': (p) => `（第 ${p.line} 行）`,
  'format.lineColumn': (p) => `（第 ${p.line} 行，第 ${p.column} 列）`,
  'format.error': (p) => `  ${p.key}${p.where}：${p.problem}`,
  'format.fix': (p) => `    修复方法：${p.fix}`,
  'format.warning': (p) => `${p.where}：${p.message}`,
  'issues.rename': (p) => `把 ${p.from} 改名为 ${p.to}`,

  'value.nothing': '空值',
  'value.string': (p) => `字符串 ${p.text}`,
  'value.number': (p) => `数字 ${p.number}`,
  'value.list': '一个列表',
  'value.mapping': '一个映射',
  'value.date': '一个日期',
  'value.boolean': (p) => `布尔值 ${p.value}`,
  'value.other': (p) => `类型为 ${p.type} 的值`,

  'boolean.problem': (p) => `应为 true 或 false，实际是${p.value}`,
  'boolean.fix': (p) => `写成 ${p.key}: true 或 ${p.key}: false`,
  'integer.range': (p) => `${p.min} 到 ${p.max}${p.unit === null ? '' : ` ${p.unit}`}`,
  'integer.quotedProblem': (p) => `应为数字，实际是${p.value}`,
  'integer.quotedFix': (p) => `去掉数字两边的引号：${p.key}: ${p.number}`,
  'integer.notWholeProblem': (p) => `应为整数，实际是${p.value}`,
  'integer.rangeProblem': (p) => `${p.value} 超出了允许的范围`,
  'integer.fix': (p) => `使用${inline(p.range)}之间的整数`,
  'unit.seconds': '秒',
  'unit.milliseconds': '毫秒',
  'unit.entries': '条',
  'unit.bytes': '字节',
  'unit.checks': '次检查',
  'unit.days': '天',
  'string.problem': (p) => `应为字符串，实际是${p.value}`,
  'string.fix': (p) => `写成带引号的字符串，例如 ${p.key}: ${p.example}`,
  'list.problem': (p) => `应为字符串列表，实际是${p.value}`,
  'list.fixFromString': (p) => `写成列表：${p.key}: [${p.item}]`,
  'list.fix': (p) => `写成列表，例如 ${p.key}: [${p.example}]`,
  'listItem.fix': (p) => `写成带引号的字符串，例如 ${p.example}`,
  'section.problem': (p) => `应为设置项的映射，实际是${p.value}`,
  'section.fix': (p) => `把它的设置缩进写在 "${p.key}:" 下面，每行一个 "name: value"`,
  'unknown.key': '未知的键，已忽略',
  'unknown.keyDidYouMean': (p) => `未知的键，已忽略；你是想写 "${p.suggestion}" 吗？`,

  'url.noSchemeProblem': (p) => `${p.text} 不是绝对 URL（没有 http:// 或 https://）`,
  'url.addScheme': (p) => `加上协议：https://${p.url}`,
  'url.writeFull': (p) => `写完整的 URL，例如 ${p.example}`,
  'url.invalidProblem': (p) => `${p.text} 不是有效的 URL`,
  'url.schemeProblem': (p) => `${p.text} 使用的协议是 ${p.scheme}，而不是 http 或 https`,
  'url.useHttps': (p) => `使用 https:// URL，例如 ${p.example}`,
  'url.slashesProblem': (p) => `${p.text} 不是以 http:// 或 https:// 开头`,
  'url.writeAs': (p) => `写成 ${p.url}`,
  'url.noHostProblem': (p) => `${p.text} 没有主机名`,
  'url.userProblem': (p) => `${p.text} 含有用户名或密码，它们会被发布在公开的文件中`,
  'url.userFix': '删除 "user:password@" 部分',
  'url.spaceProblem': (p) => `${p.text} 含有空白字符`,
  'url.spaceFix': '删除空格，或把空格编码为 %20',
  'url.queryProblem': (p) => `${p.text} 带有查询串或片段；客户端会把 API 路径拼接在基础 URL 后面`,
  'url.queryFix': (p) => `删除从 "?" 或 "#" 开始的所有内容，例如 ${p.example}`,
  'url.plainHttp': (p) => `${p.text} 使用的是明文 http；https 页面上的客户端无法使用它，流量也不加密：请改用 https://`,

  'file.shown': (p) => `文件 ${p.path}`,
  'file.shownConfig': (p) => `配置文件 ${p.path}`,
  'file.missing': (p) => `${p.shown} 不存在`,
  'file.notRegular': (p) => `${p.shown} 无法使用：${p.reason}`,
  'file.notRegularFix': (p) => `让 ${p.setting} 指向存放${inline(p.what)}的普通文件（指向它的符号链接也可以）`,
  'file.directory': (p) => `${p.shown} 无法使用：它是目录，不是普通文件`,
  'file.directoryFix': (p) => `让 ${p.setting} 指向存放${inline(p.what)}的文件，而不是它所在的目录`,
  'file.tooLarge': (p) => `${p.shown} 太大：${p.reason}`,
  'file.tooLargeFix': (p) => `让 ${p.setting} 指向存放${inline(p.what)}的文件；真正的文件不会接近这么大`,
  'file.slow': (p) => `${p.shown} 没能及时读完：${p.reason}`,
  'file.slowFix': (p) => `把${inline(p.what)}放在本地文件系统上，或者修复它所在的文件系统`,
  'file.denied': (p) => `${p.shown} 无法读取：权限不足`,
  'file.unreadable': (p) => `${p.shown} 无法读取：${p.reason}`,
  'file.configSetting': '配置文件路径',
  'file.configWhat': 'YAML 配置',
  'file.configMissing': '检查 --config 的路径，或者把 examples/ 中的某个文件复制到那里',
  'file.configUnreadable': '让运行服务器的用户能够读取这个文件',
  'file.fromMissing': '检查 --from 的路径',

  'yaml.DUPLICATE_KEY': '同名的键只保留一个',
  'yaml.TAB_AS_INDENT': '用空格缩进；YAML 不允许用制表符缩进',
  'yaml.BAD_INDENT': '同一个映射中的键要用空格对齐到相同的缩进',
  'yaml.MULTIPLE_DOCS': '文件中只保留一个 YAML 文档（删除多余的 --- 行）',
  'yaml.BAD_DQ_ESCAPE': '修正反斜杠转义，或者改用单引号（单引号中的 \\ 没有特殊含义）',
  'yaml.MISSING_CHAR': '补上缺少的右引号或右括号',
  'yaml.RESOURCE_EXHAUSTION': '少用一些别名（*name）',
  'yaml.other': '检查这一行的缩进和引号（含有 ": " 或以 @、* 或 & 开头的值需要加引号）',
};

/** The config's shared words in every language. */
export const CONFIG_TEXTS: Translations<typeof en> = { en, 'zh-CN': zhCN };
