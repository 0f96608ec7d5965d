// The words of the monitor's checks (validate-monitor.ts): the watched names, the channels, their URLs and secrets.

import type { Catalogue, Translation, Translations } from '../i18n/index.js';
import { inline } from './config-texts.js';

const en = {
  'statePath.problem': 'the state file path is empty (or holds a NUL character)',
  'statePath.fix':
    'write a file path, e.g. /var/lib/matrix-delegation/monitor-state.json, or remove state_path for the default',
  'servers.missingProblem': 'the monitor has no server names to watch',
  'servers.missingFix': 'add servers: [example.org], the server names (the part after the colon in user IDs) to check',
  'servers.emptyProblem': 'the list of watched server names is empty',
  'servers.emptyFix': 'add at least one name, e.g. servers: [example.org], or remove the monitor section',
  'servers.tooManyProblem': (p: { count: number; max: number }) =>
    `${p.count} names is more than the ${p.max} one instance watches`,
  'servers.tooManyFix': 'split the names between instances sharing one Redis (cache_store: redis), or watch fewer',
  'servers.invalidProblem': (p: { value: string; problem: string }) =>
    `${p.value} is not a valid server name: ${p.problem}`,
  'servers.urlFix': 'write the server name alone, without scheme or path, e.g. example.org',
  'servers.invalidFix': 'write a server name such as example.org or example.org:8448',
  'servers.twice': (p: { value: string }) => `${p.value} is listed twice; it is checked once`,
  'notify.none':
    'no notify channel: changes of state are only logged and shown on /api/monitor and /metrics; add notify: with webhook, email or matrix',
  'notify.noChannel': 'no channel configured: changes of state are only logged and shown on /api/monitor and /metrics',
  'webhook.noUrlProblem': 'the webhook has no URL',
  'webhook.noUrlFix':
    'add url: "https://hooks.example.org/matrix" (the address that receives a JSON POST per notification)',
  'email.noServerProblem': 'e-mail notifications need the SMTP server',
  'email.noServerFix': (p: { example: string }) =>
    `add smtp_url: "${p.example}" (smtp:// with STARTTLS, or smtps:// for TLS from the start, usually port 465)`,
  'email.userTwiceProblem': 'the user name is given twice: in smtp_url and in username',
  'email.userTwiceFix': 'keep username and remove the user part from smtp_url',
  'email.password': 'the SMTP password',
  'email.noUserProblem': 'a password is set but no user name to log in with',
  'email.noUserFix': 'add username: monitor@example.org (the SMTP account)',
  'email.noPasswordProblem': (p: { user: string }) => `the SMTP user ${p.user} has no password`,
  'email.noPasswordFix':
    'add password_file: /etc/matrix-delegation/smtp-password (a file holding only the password), or password_env: SMTP_PASSWORD',
  'email.noRecipientProblem': 'e-mail notifications need at least one recipient',
  'email.recipientFix': 'add to: [admin@example.org]',
  'email.noRecipientsProblem': 'the list of recipients is empty',
  'email.noSenderProblem': 'e-mail notifications need a sender address',
  'email.noSenderFix': (p: { key: string }) => `add ${p.key}: "matrix-delegation <monitor@example.org>"`,
  'email.invalidProblem': (p: { text: string }) => `${p.text} is not an e-mail address`,
  'email.invalidFix': 'write it as name@example.org, or "Name <name@example.org>"',
  'matrix.noHomeserverProblem': "Matrix notifications need the bot's homeserver",
  'matrix.noHomeserverFix': (p: { example: string }) =>
    `add homeserver: "${p.example}" (its client-server API base URL)`,
  'matrix.token': "the bot's access token",
  'matrix.noRoomProblem': 'Matrix notifications need the room to post to',
  'matrix.noRoomFix':
    'add room_id: "!abc:example.org" (Room settings > Advanced in Element; the bot must be in the room)',
  'room.fix': 'write the room ID, e.g. "!abc:example.org" (quoted: YAML reads a leading ! as a tag)',
  'room.aliasProblem': (p: { text: string }) => `${p.text} is a room alias, not a room ID`,
  'room.aliasFix': 'use the room ID shown in Room settings > Advanced (it starts with !)',
  'room.invalidProblem': (p: { text: string }) =>
    `${p.text} is not a room ID (! then letters, digits and punctuation, at most 255 characters)`,
  'url.notAbsoluteProblem': (p: { schemes: string }) => `the value is not an absolute URL (${p.schemes}://host...)`,
  'url.addScheme': (p: { scheme: string }) => `add the scheme: ${p.scheme}://...`,
  'url.writeFull': (p: { example: string }) => `write a full URL, e.g. ${p.example}`,
  'url.passwordProblem': (p: { url: string }) =>
    `the URL ${p.url} holds a password, which would sit in the config file`,
  'url.passwordFixUser':
    'remove the password from the URL and put it in a file named by password_file (or an environment variable named by password_env)',
  'url.passwordFix': 'remove the user name and password from the URL',
  'url.schemeProblem': (p: { url: string; scheme: string; schemes: string }) =>
    `the URL ${p.url} uses the scheme ${p.scheme}, not ${p.schemes}`,
  'url.writeAs': (p: { example: string }) => `write it as ${p.example}`,
  'url.noHostProblem': 'the URL has no host name',
  'url.userProblem': (p: { url: string }) =>
    `the URL ${p.url} holds a user name, and with it credentials that would sit in the config file`,
  'url.userFix': 'remove the "user@" part',
  'url.spaceProblem': (p: { url: string }) => `the URL ${p.url}... contains white space`,
  'url.spaceFix': 'percent-encode spaces as %20',
  'url.queryProblem': (p: { url: string }) =>
    `the URL ${p.url}... has a query or fragment, which this setting does not take`,
  'url.queryFix': (p: { example: string }) =>
    `remove everything from "?" or "#" on (a token belongs in its own file), e.g. ${p.example}`,
  'url.smtpPathProblem': (p: { url: string }) => `the SMTP URL ${p.url} has a path, which SMTP does not use`,
  'url.smtpPathFix': (p: { example: string }) => `write only the host and port, e.g. ${p.example}`,
  'secret.twiceProblem': (p: { what: string; fileKey: string; envKey: string }) =>
    `${p.what} is given twice: ${p.fileKey} and ${p.envKey}`,
  'secret.twiceFix': (p: { fileKey: string; envKey: string }) =>
    `keep one of them: ${p.fileKey} (a file holding only the secret) or ${p.envKey} (the name of an environment variable)`,
  'secret.missingProblem': (p: { what: string }) => `${p.what} is missing`,
  'secret.missingFix': (p: { fileKey: string; envKey: string }) =>
    `add ${p.fileKey}: /etc/matrix-delegation/bot-token (a file holding only the token, readable by the server's account), or ${p.envKey}: MATRIX_TOKEN`,
  'secret.fileMissing': (p: { what: string }) => `correct the path, or create the file holding only ${p.what}`,
  'secret.fileUnreadable': 'make the file readable by the user running the server (and by no one else)',
  'secret.envNameProblem': 'the value is not the name of an environment variable',
  'secret.envNameFix':
    'write the variable name, e.g. SMTP_PASSWORD (letters, digits and _, not starting with a digit), not its value',
  'secret.envUnset': (p: { name: string }) => `the environment variable ${p.name} is not set`,
  'secret.envEmpty': (p: { name: string }) => `the environment variable ${p.name} is empty`,
  'secret.envFix': (p: { name: string; what: string }) =>
    `set ${p.name} to ${p.what} in the server's environment (systemd: Environment= or EnvironmentFile=)`,
  'secret.sourceFile': (p: { path: string }) => `the file ${p.path}`,
  'secret.sourceEnv': (p: { name: string }) => `the environment variable ${p.name}`,
  'secret.emptyProblem': (p: { source: string }) => `${p.source} is empty`,
  'secret.emptyFix': (p: { what: string }) => `put ${p.what} in it, alone on one line`,
  'secret.linesProblem': (p: { source: string }) => `${p.source} holds more than one line, or control characters`,
  'secret.linesFix': (p: { what: string }) => `keep only ${p.what} in it, on one line`,
} satisfies Catalogue;

const zhCN: Translation<typeof en> = {
  'statePath.problem': '状态文件路径为空（或含有 NUL 字符）',
  'statePath.fix':
    '写一个文件路径，例如 /var/lib/matrix-delegation/monitor-state.json，或者删除 state_path 以使用默认值',
  'servers.missingProblem': '监控没有要关注的服务器名',
  'servers.missingFix': '添加 servers: [example.org]，即要检查的服务器名（用户 ID 中冒号后面的部分）',
  'servers.emptyProblem': '要关注的服务器名列表是空的',
  'servers.emptyFix': '至少添加一个名字，例如 servers: [example.org]，或者删除 monitor 部分',
  'servers.tooManyProblem': (p) => `${p.count} 个名字超过了一个实例能关注的上限 ${p.max}`,
  'servers.tooManyFix': '把这些名字分给共享同一个 Redis（cache_store: redis）的多个实例，或者少关注一些',
  'servers.invalidProblem': (p) => `${p.value} 不是有效的服务器名：${p.problem}`,
  'servers.urlFix': '只写服务器名，不要协议和路径，例如 example.org',
  'servers.invalidFix': '写 example.org 或 example.org:8448 这样的服务器名',
  'servers.twice': (p) => `${p.value} 列出了两次；只会检查一次`,
  'notify.none':
    '没有通知渠道：状态变化只会写入日志，并显示在 /api/monitor 和 /metrics 上；请添加 notify:，使用 webhook、email 或 matrix',
  'notify.noChannel': '没有配置渠道：状态变化只会写入日志，并显示在 /api/monitor 和 /metrics 上',
  'webhook.noUrlProblem': 'webhook 没有 URL',
  'webhook.noUrlFix': '添加 url: "https://hooks.example.org/matrix"（每条通知都会向这个地址发送一个 JSON POST 请求）',
  'email.noServerProblem': '电子邮件通知需要 SMTP 服务器',
  'email.noServerFix': (p) =>
    `添加 smtp_url: "${p.example}"（smtp:// 使用 STARTTLS；smtps:// 一开始就使用 TLS，通常是 465 端口）`,
  'email.userTwiceProblem': '用户名写了两次：smtp_url 中一次，username 中一次',
  'email.userTwiceFix': '保留 username，删除 smtp_url 中的用户名部分',
  'email.password': 'SMTP 密码',
  'email.noUserProblem': '设置了密码，但没有用于登录的用户名',
  'email.noUserFix': '添加 username: monitor@example.org（SMTP 账号）',
  'email.noPasswordProblem': (p) => `SMTP 用户 ${p.user} 没有密码`,
  'email.noPasswordFix':
    '添加 password_file: /etc/matrix-delegation/smtp-password（只包含密码的文件），或者 password_env: SMTP_PASSWORD',
  'email.noRecipientProblem': '电子邮件通知至少需要一个收件人',
  'email.recipientFix': '添加 to: [admin@example.org]',
  'email.noRecipientsProblem': '收件人列表是空的',
  'email.noSenderProblem': '电子邮件通知需要发件人地址',
  'email.noSenderFix': (p) => `添加 ${p.key}: "matrix-delegation <monitor@example.org>"`,
  'email.invalidProblem': (p) => `${p.text} 不是电子邮件地址`,
  'email.invalidFix': '写成 name@example.org，或者 "Name <name@example.org>"',
  'matrix.noHomeserverProblem': 'Matrix 通知需要机器人所在的 homeserver',
  'matrix.noHomeserverFix': (p) => `添加 homeserver: "${p.example}"（它的客户端-服务器 API 基础 URL）`,
  'matrix.token': '机器人的访问令牌',
  'matrix.noRoomProblem': 'Matrix 通知需要发送消息的房间',
  'matrix.noRoomFix': '添加 room_id: "!abc:example.org"（在 Element 的“房间设置 > 高级”中查看；机器人必须在房间里）',
  'room.fix': '写房间 ID，例如 "!abc:example.org"（要加引号：YAML 把开头的 ! 当作标签）',
  'room.aliasProblem': (p) => `${p.text} 是房间别名，不是房间 ID`,
  'room.aliasFix': '使用“房间设置 > 高级”中显示的房间 ID（以 ! 开头）',
  'room.invalidProblem': (p) => `${p.text} 不是房间 ID（! 后跟字母、数字和标点，最多 255 个字符）`,
  'url.notAbsoluteProblem': (p) => `这个值不是绝对 URL（${p.schemes}://host...）`,
  'url.addScheme': (p) => `加上协议：${p.scheme}://...`,
  'url.writeFull': (p) => `写完整的 URL，例如 ${p.example}`,
  'url.passwordProblem': (p) => `URL ${p.url} 中含有密码，它会留在配置文件里`,
  'url.passwordFixUser': '从 URL 中删除密码，把它放进 password_file 指定的文件（或 password_env 指定的环境变量）',
  'url.passwordFix': '从 URL 中删除用户名和密码',
  'url.schemeProblem': (p) => `URL ${p.url} 使用的协议是 ${p.scheme}，而不是 ${p.schemes}`,
  'url.writeAs': (p) => `写成 ${p.example}`,
  'url.noHostProblem': 'URL 没有主机名',
  'url.userProblem': (p) => `URL ${p.url} 中含有用户名，连同凭据一起会留在配置文件里`,
  'url.userFix': '删除 "user@" 部分',
  'url.spaceProblem': (p) => `URL ${p.url}... 含有空白字符`,
  'url.spaceFix': '把空格编码为 %20',
  'url.queryProblem': (p) => `URL ${p.url}... 带有查询串或片段，而这项设置不接受它们`,
  'url.queryFix': (p) => `删除从 "?" 或 "#" 开始的所有内容（令牌应放在单独的文件中），例如 ${p.example}`,
  'url.smtpPathProblem': (p) => `SMTP URL ${p.url} 带有路径，而 SMTP 不使用路径`,
  'url.smtpPathFix': (p) => `只写主机名和端口，例如 ${p.example}`,
  'secret.twiceProblem': (p) => `${p.what}写了两次：${p.fileKey} 和 ${p.envKey}`,
  'secret.twiceFix': (p) => `只保留其中一个：${p.fileKey}（只包含该机密的文件）或 ${p.envKey}（环境变量的名字）`,
  'secret.missingProblem': (p) => `缺少${inline(p.what)}`,
  'secret.missingFix': (p) =>
    `添加 ${p.fileKey}: /etc/matrix-delegation/bot-token（只包含令牌的文件，服务器的账号能够读取），或者 ${p.envKey}: MATRIX_TOKEN`,
  'secret.fileMissing': (p) => `修正路径，或者创建只包含${inline(p.what)}的文件`,
  'secret.fileUnreadable': '让运行服务器的用户能够读取这个文件（其他人都不能读取）',
  'secret.envNameProblem': '这个值不是环境变量的名字',
  'secret.envNameFix': '写变量的名字，例如 SMTP_PASSWORD（字母、数字和 _，不以数字开头），而不是它的值',
  'secret.envUnset': (p) => `环境变量 ${p.name} 没有设置`,
  'secret.envEmpty': (p) => `环境变量 ${p.name} 是空的`,
  'secret.envFix': (p) =>
    `在服务器的环境中把 ${p.name} 设为${inline(p.what)}（systemd：Environment= 或 EnvironmentFile=）`,
  'secret.sourceFile': (p) => `文件 ${p.path}`,
  'secret.sourceEnv': (p) => `环境变量 ${p.name}`,
  'secret.emptyProblem': (p) => `${p.source} 是空的`,
  'secret.emptyFix': (p) => `把${inline(p.what)}单独写在一行里放进去`,
  'secret.linesProblem': (p) => `${p.source} 中有多行内容，或含有控制字符`,
  'secret.linesFix': (p) => `其中只保留${inline(p.what)}，写在一行里`,
};

/** The monitor checks' words in every language. */
export const MONITOR_TEXTS: Translations<typeof en> = { en, 'zh-CN': zhCN };
