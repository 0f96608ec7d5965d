// The words of the client document's checks (validate-client.ts, validate-client-settings.ts) and of `support`.

import type { Catalogue, Translation, Translations } from '../i18n/index.js';

const en = {
  'client.noBaseurl': 'public_baseurl is not set, so no client document is served and this setting has no effect',
  'extras.notMappingProblem': (p: { value: string }) => `expected a mapping of extra keys, got ${p.value}`,
  'extras.notMappingFix':
    'write one namespaced key per line, e.g. im.vector.riot.jitsi: { preferredDomain: jitsi.example.com }',
  'extras.reservedProblem': (p: { key: string }) => `${p.key} may not be set here: the server writes it itself`,
  'extras.reservedHomeserver': 'set public_baseurl instead; it becomes m.homeserver.base_url',
  'extras.reservedIdentityServer': 'set default_identity_server instead; it becomes m.identity_server.base_url',
  'extras.notNamespaced':
    'extra keys of the client document should be namespaced in Java package style (e.g. org.example.setting), per the spec',
  'json.numberProblem': (p: { value: string }) => `${p.value} cannot be written in JSON`,
  'json.numberFix': 'use a finite number, or a string',
  'json.otherProblem': (p: { value: string }) => `${p.value} cannot be written in JSON`,
  'json.otherFix': 'quote it to make it a string',

  // The client settings (validate-client-settings.ts).
  'settings.missing': (p: { key: string; field: string; expected: string }) =>
    `${p.key} needs ${p.field}: ${p.expected}`,
  'settings.wrong': (p: { expected: string; value: string }) => `expected ${p.expected}, got ${p.value}`,
  'expect.object': 'an object',
  'expect.array': 'a list (a JSON array)',
  'expect.string': 'a string',
  'expect.boolean': 'true or false (a JSON boolean, not a string)',
  'expect.https-url': 'an https:// URL',
  'expect.issuer-url': 'an https:// URL without query or fragment',
  'expect.host': 'a host name without scheme or path (e.g. jitsi.example.com)',
  'expect.choice': 'one of the listed values',
  'expect.oneOf': (p: { choices: string }) => `one of ${p.choices}`,
  'fix.shape': (p: { list: boolean; key: string; example: string }) =>
    `write it as ${p.list ? 'a list' : 'a mapping'}, e.g. ${p.key}: ${p.example}`,
  'fix.boolean':
    'write true or false without quotes (not "false", no or off: those are strings here, and clients read a string as true)',
  'fix.httpsUrl': (p: { issuer: boolean; key: string; example: string }) =>
    `write an https:// URL${p.issuer ? ' without ? or #' : ''}, e.g. ${p.key}: ${p.example}`,
  'fix.host': (p: { key: string; example: string }) =>
    `write the host name alone, without https:// or a path, e.g. ${p.key}: ${p.example}`,
  'fix.choice': (p: { expected: string }) => `use ${p.expected}`,
  'fix.string': 'write a string, e.g. type: livekit',
  'fix.other': (p: { expected: string; key: string; example: string }) =>
    `write it as ${p.expected}, e.g. ${p.key}: ${p.example}`,
  'warn.deprecatedE2ee': (p: { older: string; current: string }) =>
    `${p.older} is the deprecated name: write ${p.current} (Element reads it first)`,
  'warn.unstableTile': (p: { unstable: string; stable: string }) =>
    `${p.unstable} is MSC3488's unstable name: write ${p.stable} (Element reads it first)`,
  'warn.retired': (p: { fields: readonly string[] }) =>
    `Element Web no longer reads ${p.fields.join(' and ')}: remove them unless older clients need them`,
  'warn.forceDisable': 'default: true has no effect while force_disable is true (clients disable encryption)',
  'warn.jitsiDisagree': (p: { current: string; older: string }) =>
    `${p.current} and ${p.older} name different Jitsi servers: Element Web uses ${p.current}, Element Android ${p.older}`,

  // support (validate-support.ts).
  'support.nothingProblem': 'the support document needs contacts or a support_page',
  'support.nothingFix':
    'add contacts (role plus matrix_id or email_address) and/or support_page, or remove support to serve no support document',
  'support.emptyProblem': 'the contacts list is empty and there is no support_page',
  'support.emptyFix':
    'add a contact, e.g. - { role: m.role.admin, email_address: admin@example.com }, or set support_page',
  'support.notListProblem': (p: { value: string }) => `expected a list of contacts, got ${p.value}`,
  'support.notListFix': 'write each contact as a list item: - { role: m.role.admin, email_address: admin@example.com }',
  'contact.notMappingProblem': (p: { value: string }) =>
    `expected a contact (role, matrix_id, email_address), got ${p.value}`,
  'contact.notMappingFix':
    'write the contact as a mapping, e.g. - { role: m.role.admin, matrix_id: "@admin:example.com" }',
  'contact.noRoleProblem': 'a contact needs a role',
  'contact.noRoleFix':
    'add role: m.role.admin (or m.role.security, or a namespaced role such as org.example.role.helpdesk)',
  'contact.noAddressProblem': 'a contact needs a matrix_id or an email_address (or both)',
  'contact.noAddressFix': 'add matrix_id: "@admin:example.com" and/or email_address: admin@example.com',
  'role.namespacedFix':
    'use m.role.admin, m.role.security, or a namespaced role of your own such as org.example.role.helpdesk',
  'role.didYouMean': (p: { close: string }) => `did you mean ${p.close}?`,
  'role.reservedProblem': (p: { role: string; roles: string }) =>
    `${p.role} is not a role of the spec (the m. namespace is reserved; only ${p.roles} exist)`,
  'role.rolesJoin': (p: { roles: readonly string[] }) => p.roles.join(' and '),
  'role.notNamespacedProblem': (p: { role: string }) =>
    `${p.role} is neither a spec role nor a namespaced identifier (lowercase letters, digits, ".", "_", "-", with a dot)`,
  'matrixId.fix': 'write a full user ID, e.g. "@admin:example.com" (quoted: YAML reads a leading @ as reserved)',
  'matrixId.noAtProblem': (p: { text: string }) => `${p.text} does not start with @`,
  'matrixId.addAt': (p: { id: string }) => `write "@${p.id}"`,
  'matrixId.noServerProblem': (p: { text: string }) => `${p.text} has no :server part`,
  'matrixId.localpartProblem': (p: { localpart: string }) =>
    `the localpart ${p.localpart} is empty or has characters a user ID cannot contain`,
  'matrixId.serverProblem': (p: { text: string; problem: string }) =>
    `the server part of ${p.text} is not a valid server name: ${p.problem}`,
  'matrixId.tooLongProblem': (p: { text: string; max: number }) =>
    `${p.text} is longer than the ${p.max} characters a user ID may have`,
  'matrixId.tooLongFix': 'use a shorter user ID',
  'email.mailtoProblem': (p: { text: string }) => `${p.text} is a mailto: link, not an address`,
  'email.mailtoFix': (p: { address: string }) => `write the address alone: ${p.address}`,
  'email.invalidProblem': (p: { text: string }) => `${p.text} is not an e-mail address`,
  'email.invalidFix': 'write it as name@example.com',
} satisfies Catalogue;

const zhCN: Translation<typeof en> = {
  'client.noBaseurl': '没有设置 public_baseurl，因此不会提供客户端文件，这项设置不起作用',
  'extras.notMappingProblem': (p) => `应为额外键的映射，实际是${p.value}`,
  'extras.notMappingFix': '每行写一个带命名空间的键，例如 im.vector.riot.jitsi: { preferredDomain: jitsi.example.com }',
  'extras.reservedProblem': (p) => `这里不能设置 ${p.key}：服务器会自己写它`,
  'extras.reservedHomeserver': '改为设置 public_baseurl；它会成为 m.homeserver.base_url',
  'extras.reservedIdentityServer': '改为设置 default_identity_server；它会成为 m.identity_server.base_url',
  'extras.notNamespaced': '按照规范，客户端文件中的额外键应使用 Java 包名风格的命名空间（例如 org.example.setting）',
  'json.numberProblem': (p) => `${p.value} 无法写成 JSON`,
  'json.numberFix': '使用有限的数字，或者字符串',
  'json.otherProblem': (p) => `${p.value}无法写成 JSON`,
  'json.otherFix': '加上引号，让它成为字符串',

  'settings.missing': (p) => `${p.key} 需要 ${p.field}：${p.expected}`,
  'settings.wrong': (p) => `应为${p.expected}，实际是${p.value}`,
  'expect.object': '一个对象',
  'expect.array': '一个列表（JSON 数组）',
  'expect.string': '一个字符串',
  'expect.boolean': ' true 或 false（JSON 布尔值，不是字符串）',
  'expect.https-url': '一个 https:// URL',
  'expect.issuer-url': '一个不带查询串和片段的 https:// URL',
  'expect.host': '一个不带协议和路径的主机名（例如 jitsi.example.com）',
  'expect.choice': '所列的值之一',
  'expect.oneOf': (p) => `以下值之一：${p.choices}`,
  'fix.shape': (p) => `写成${p.list ? '列表' : '映射'}，例如 ${p.key}: ${p.example}`,
  'fix.boolean':
    '写不带引号的 true 或 false（不要写 "false"、no 或 off：它们在这里是字符串，而客户端会把字符串当作 true）',
  'fix.httpsUrl': (p) => `写 https:// URL${p.issuer ? '（不带 ? 或 #）' : ''}，例如 ${p.key}: ${p.example}`,
  'fix.host': (p) => `只写主机名，不要 https:// 或路径，例如 ${p.key}: ${p.example}`,
  'fix.choice': (p) => `使用${p.expected}`,
  'fix.string': '写一个字符串，例如 type: livekit',
  'fix.other': (p) => `写成${p.expected}，例如 ${p.key}: ${p.example}`,
  'warn.deprecatedE2ee': (p) => `${p.older} 是已弃用的名称：请写 ${p.current}（Element 会先读取它）`,
  'warn.unstableTile': (p) => `${p.unstable} 是 MSC3488 的不稳定名称：请写 ${p.stable}（Element 会先读取它）`,
  'warn.retired': (p) => `Element Web 已不再读取 ${p.fields.join(' 和 ')}：除非旧客户端需要，否则请删除`,
  'warn.forceDisable': 'force_disable 为 true 时，default: true 不起作用（客户端会禁用加密）',
  'warn.jitsiDisagree': (p) =>
    `${p.current} 和 ${p.older} 指定了不同的 Jitsi 服务器：Element Web 使用 ${p.current}，Element Android 使用 ${p.older}`,

  'support.nothingProblem': '支持文件需要 contacts 或 support_page',
  'support.nothingFix':
    '添加 contacts（role 加上 matrix_id 或 email_address）和/或 support_page，或者删除 support，不提供支持文件',
  'support.emptyProblem': 'contacts 列表是空的，也没有 support_page',
  'support.emptyFix':
    '添加一个联系人，例如 - { role: m.role.admin, email_address: admin@example.com }，或者设置 support_page',
  'support.notListProblem': (p) => `应为联系人列表，实际是${p.value}`,
  'support.notListFix': '把每个联系人写成列表项：- { role: m.role.admin, email_address: admin@example.com }',
  'contact.notMappingProblem': (p) => `应为联系人（role、matrix_id、email_address），实际是${p.value}`,
  'contact.notMappingFix': '把联系人写成映射，例如 - { role: m.role.admin, matrix_id: "@admin:example.com" }',
  'contact.noRoleProblem': '联系人需要一个 role',
  'contact.noRoleFix':
    '添加 role: m.role.admin（或 m.role.security，或者 org.example.role.helpdesk 这样带命名空间的角色）',
  'contact.noAddressProblem': '联系人需要 matrix_id 或 email_address（或两者都有）',
  'contact.noAddressFix': '添加 matrix_id: "@admin:example.com" 和/或 email_address: admin@example.com',
  'role.namespacedFix':
    '使用 m.role.admin、m.role.security，或者 org.example.role.helpdesk 这样你自己的带命名空间的角色',
  'role.didYouMean': (p) => `你是想写 ${p.close} 吗？`,
  'role.reservedProblem': (p) => `${p.role} 不是规范定义的角色（m. 命名空间是保留的；只有 ${p.roles}）`,
  'role.rolesJoin': (p) => p.roles.join(' 和 '),
  'role.notNamespacedProblem': (p) =>
    `${p.role} 既不是规范定义的角色，也不是带命名空间的标识符（小写字母、数字、"."、"_"、"-"，且含有点）`,
  'matrixId.fix': '写完整的用户 ID，例如 "@admin:example.com"（要加引号：YAML 把开头的 @ 视为保留字符）',
  'matrixId.noAtProblem': (p) => `${p.text} 不是以 @ 开头`,
  'matrixId.addAt': (p) => `写成 "@${p.id}"`,
  'matrixId.noServerProblem': (p) => `${p.text} 没有 :server 部分`,
  'matrixId.localpartProblem': (p) => `本地部分 ${p.localpart} 为空，或含有用户 ID 不能包含的字符`,
  'matrixId.serverProblem': (p) => `${p.text} 的服务器部分不是有效的服务器名：${p.problem}`,
  'matrixId.tooLongProblem': (p) => `${p.text} 超过了用户 ID 最多 ${p.max} 个字符的限制`,
  'matrixId.tooLongFix': '使用更短的用户 ID',
  'email.mailtoProblem': (p) => `${p.text} 是 mailto: 链接，不是地址`,
  'email.mailtoFix': (p) => `只写地址：${p.address}`,
  'email.invalidProblem': (p) => `${p.text} 不是电子邮件地址`,
  'email.invalidFix': '写成 name@example.com',
};

/** The client document's and support's words in every language. */
export const CLIENT_TEXTS: Translations<typeof en> = { en, 'zh-CN': zhCN };
