// The command line's own messages (usage errors, commander's errors, batch and watch lines, prompts) in every language.

import type { Locale } from '../i18n/locale.js';
import { localize } from '../i18n/messages.js';
import type { Catalogue, Formatters, MessageParams, Translation } from '../i18n/messages.js';

/** `1 name`, `2 names`: English counts as the batch summary has always written them. */
const counted = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

const en = {
  // --- commander's errors (commander-errors.ts reads its English text and says it again in the language) ---------
  unknownOption: (p: { option: string }) => `unknown option '${p.option}'`,
  unknownCommand: (p: { command: string }) => `unknown command '${p.command}'`,
  didYouMean: (p: { candidates: readonly string[] }) =>
    p.candidates.length > 1
      ? `(Did you mean one of ${p.candidates.join(', ')}?)`
      : `(Did you mean ${p.candidates.join('')}?)`,
  missingArgument: (p: { argument: string }) => `missing required argument '${p.argument}'`,
  optionMissingArgument: (p: { option: string }) => `option '${p.option}' argument missing`,
  missingMandatoryOption: (p: { option: string }) => `required option '${p.option}' not specified`,
  conflictingOption: (p: { option: string; other: string }) =>
    `option '${p.option}' cannot be used with option '${p.other}'`,
  excessArguments: (p: { command: string | null; expected: number; received: number }) =>
    `too many arguments${p.command === null ? '' : ` for '${p.command}'`}. Expected ${counted(p.expected, 'argument')} but got ${p.received}.`,
  invalidOptionValue: (p: { option: string; value: string; reason: string }) =>
    `option '${p.option}' argument '${p.value}' is invalid. ${p.reason}`,
  invalidArgumentValue: (p: { argument: string; value: string; reason: string }) =>
    `command-argument value '${p.value}' is invalid for argument '${p.argument}'. ${p.reason}`,
  allowedChoices: (p: { choices: readonly string[] }) => `Allowed choices are ${p.choices.join(', ')}.`,
  seeHelp: '(run with --help for usage)',

  // --- our checks of the flags --------------------------------------------------------------------------------------
  unknownLanguage: (p: { value: string; languages: readonly string[] }, f: Formatters) =>
    `unknown language "${p.value}": give ${f.list(p.languages, 'or')}`,
  wholeNumber: (p: { flag: string; min: number; max: number; value: string }) =>
    `${p.flag} takes a whole number from ${p.min} to ${p.max}, not "${p.value}"`,
  port: (p: { flag: string; value: string }) => `${p.flag} takes a port from 1 to 65535, not "${p.value}"`,
  cacheStoreUrl: (p: { value: string }) =>
    `--cache-store takes a Redis URL, redis://host:port[/db] (or rediss:// for TLS), not "${p.value}"`,

  // --- check ------------------------------------------------------------------------------------------------------
  jsonAndFormat: (p: { format: string }) => `--json and --format ${p.format} contradict each other: give one of them`,
  nameAndFrom: 'give either a server name or --from FILE, not both',
  missingName: 'missing server name (or --from FILE)',
  fromPrintsJsonLines: '--from prints JSON Lines: use --format json (the default there) or --format federation-tester',
  noStdin: '--from -: there is no standard input to read',
  unreadableList: (p: { path: string; why: string }) => `--from ${p.path}: cannot read it (${p.why})`,
  checkOverran: (p: { serverName: string; budgetMs: number }) =>
    `the check of ${p.serverName} did not finish within ${p.budgetMs} ms (--timeout-ms)`,
  batchSummary: (p: { checked: number; ok: number; failing: number; errors: number; duration: string }) =>
    `checked ${counted(p.checked, 'name')} in ${p.duration}: ${p.ok} OK, ${p.failing} failing, ${counted(p.errors, 'error')}`,
  progressCounted: (p: { done: number }) => `checked ${p.done}`,
  progressCounts: (p: { ok: number; failing: number; errors: number; running: number; seconds: string }) =>
    `ok ${p.ok}  failing ${p.failing}  errors ${p.errors}  running ${p.running}  ${p.seconds} s`,

  // --- request ----------------------------------------------------------------------------------------------------
  originWithKey: '--origin and --signing-key go together: the key signs as the origin server',
  dataWithDataFile: '--data and --data-file cannot be used together',
  unreadableData: (p: { source: string; why: string }) => `cannot read ${p.source}: ${p.why}`,
  dataNotJson: (p: { source: string; why: string }) => `${p.source} is not JSON: ${p.why}`,
  httpError: (p: { serverName: string; status: number; path: string }) =>
    `${p.serverName} answered ${p.status} for ${p.path}`,

  // --- plan -------------------------------------------------------------------------------------------------------
  missingFlag: (p: { flag: string }) => `missing ${p.flag} (run in a terminal to be asked for it)`,
  noAnswer: (p: { flag: string }) => `no answer for ${p.flag}`,
  askServerName: 'Server name (the part after ":" in user IDs, e.g. example.com): ',
  askHomeserver: 'Homeserver URL (e.g. https://matrix.example.com): ',

  // --- config -----------------------------------------------------------------------------------------------------
  documentsInline: (p: { target: string }) => `the ${p.target} snippet writes the documents inline; no file to write`,
  wroteFile: (p: { path: string; bytes: number }) => `wrote ${p.path} (${p.bytes} bytes)`,

  // --- serve ------------------------------------------------------------------------------------------------------
  serving: (p: { url: string }) => `matrix-delegation serving on ${p.url}`,

  // --- watch ------------------------------------------------------------------------------------------------------
  watchWhat: 'give the server names to watch (or --config with monitor.servers)',
  watchNoMonitor: (p: { config: string }) => `${p.config} has no monitor section: give the server names to watch`,
  watchOk: (p: { summary: string }) => `ok: ${p.summary}`,
  watchFailing: (p: { count: number; summary: string }) => `FAILING (${p.count} in a row): ${p.summary}`,
  watchNotify: (p: { kind: string; subject: string }) => `NOTIFY ${p.kind}: ${p.subject}`,
} satisfies Catalogue;

const zhCN: Translation<typeof en> = {
  unknownOption: (p) => `未知选项 '${p.option}'`,
  unknownCommand: (p) => `未知命令 '${p.command}'`,
  didYouMean: (p) => `（你是否想输入 ${p.candidates.join('、')}？）`,
  missingArgument: (p) => `缺少必需的参数 '${p.argument}'`,
  optionMissingArgument: (p) => `选项 '${p.option}' 缺少取值`,
  missingMandatoryOption: (p) => `缺少必需的选项 '${p.option}'`,
  conflictingOption: (p) => `选项 '${p.option}' 不能与选项 '${p.other}' 同时使用`,
  excessArguments: (p) =>
    `${p.command === null ? '' : `命令 '${p.command}' 的`}参数过多：应为 ${p.expected} 个，实际给出了 ${p.received} 个。`,
  invalidOptionValue: (p) => `选项 '${p.option}' 的取值 '${p.value}' 无效。${p.reason}`,
  invalidArgumentValue: (p) => `参数 '${p.argument}' 的取值 '${p.value}' 无效。${p.reason}`,
  allowedChoices: (p) => `可选的取值为 ${p.choices.join('、')}。`,
  seeHelp: '（运行 --help 查看用法）',

  unknownLanguage: (p) => `不支持的语言 "${p.value}"：请使用 ${p.languages.join(' 或 ')}`,
  wholeNumber: (p) => `${p.flag} 应为 ${p.min} 到 ${p.max} 之间的整数，而不是 "${p.value}"`,
  port: (p) => `${p.flag} 应为 1 到 65535 之间的端口号，而不是 "${p.value}"`,
  cacheStoreUrl: (p) =>
    `--cache-store 应为 Redis URL，即 redis://host:port[/db]（使用 TLS 时为 rediss://），而不是 "${p.value}"`,

  jsonAndFormat: (p) => `--json 与 --format ${p.format} 相互矛盾：请只给出其中一个`,
  nameAndFrom: '请给出服务器名或 --from FILE 之一，不能两者都给',
  missingName: '缺少服务器名（或 --from FILE）',
  fromPrintsJsonLines: '--from 输出的是 JSON Lines：请使用 --format json（此时的默认值）或 --format federation-tester',
  noStdin: '--from -：没有可读取的标准输入',
  unreadableList: (p) => `--from ${p.path}：无法读取（${p.why}）`,
  checkOverran: (p) => `对 ${p.serverName} 的检查未能在 ${p.budgetMs} ms 内完成（--timeout-ms）`,
  batchSummary: (p) =>
    `已检查 ${p.checked} 个服务器名，用时 ${p.duration}：${p.ok} 个正常，${p.failing} 个不正常，${p.errors} 个出错`,
  progressCounted: (p) => `已检查 ${p.done}`,
  progressCounts: (p) => `正常 ${p.ok}  不正常 ${p.failing}  出错 ${p.errors}  进行中 ${p.running}  ${p.seconds} 秒`,

  originWithKey: '--origin 与 --signing-key 必须一起给出：签名密钥以 origin 服务器的身份签名',
  dataWithDataFile: '--data 与 --data-file 不能同时使用',
  unreadableData: (p) => `无法读取 ${p.source}：${p.why}`,
  dataNotJson: (p) => `${p.source} 不是 JSON：${p.why}`,
  httpError: (p) => `${p.serverName} 对 ${p.path} 的响应是 ${p.status}`,

  missingFlag: (p) => `缺少 ${p.flag}（在终端中运行时会询问）`,
  noAnswer: (p) => `没有输入 ${p.flag} 的值`,
  askServerName: '服务器名（用户 ID 中 ":" 之后的部分，例如 example.com）：',
  askHomeserver: 'homeserver 的 URL（例如 https://matrix.example.com）：',

  documentsInline: (p) => `${p.target} 配置片段已内嵌文档内容，无需写入文件`,
  wroteFile: (p) => `已写入 ${p.path}（${p.bytes} 字节）`,

  serving: (p) => `matrix-delegation 正在 ${p.url} 上提供服务`,

  watchWhat: '请给出要监视的服务器名（或用 --config 指定含 monitor.servers 的配置）',
  watchNoMonitor: (p) => `${p.config} 中没有 monitor 部分：请给出要监视的服务器名`,
  watchOk: (p) => `正常：${p.summary}`,
  watchFailing: (p) => `不正常（连续 ${p.count} 次）：${p.summary}`,
  watchNotify: (p) => `通知 ${p.kind}：${p.subject}`,
};

/** The command line's messages in every language (see CONTRIBUTING, "Languages"). */
export const CLI_TEXTS = { en, 'zh-CN': zhCN };

/** The English catalogue's type: its keys and their parameters. */
export type CliTexts = typeof en;

/**
 * One message of the command line in `locale`.
 *
 * @example
 * ```ts
 * cliText('zh-CN', 'missingName'); // '缺少服务器名（或 --from FILE）'
 * ```
 */
export function cliText<K extends keyof CliTexts & string>(
  locale: Locale,
  key: K,
  ...params: MessageParams<CliTexts[K]>
): string {
  return localize(CLI_TEXTS, locale)(key, ...params);
}
