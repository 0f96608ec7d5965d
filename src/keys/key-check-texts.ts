// The key checks' problem sentences (key response, signatures, base64, canonical JSON), in English and Simplified Chinese.

import { localize, type Catalogue, type Translation, type Translations } from '../i18n/index.js';

/**
 * The sentences the key checks write into a `KeyCheckError.message` (and the reasons nested in them), one message per
 * form. The checks write their English through these messages (`keyCheckEnglish`), so the report's English stays
 * what it was, and the diagnosis reads a sentence back into its values and says it again in another language
 * (src/diagnosis/rules/key-problem-words.ts). Every value arrives as text, already formatted as the English shows it
 * (a JSON-quoted name, an ISO date, a count): a translation shows it unchanged.
 *
 * Keys: `value.*` describe a JSON value (nested in other sentences as `value`); `response.*`, `serverName.*`,
 * `validUntil.*`, `verifyKeys.*`, `oldVerifyKeys.*` are `inspectServerKeys`'s; `key.*` one key's (`checkKey`);
 * `signature.*` the signature check's (`verifyJsonSignatureWith`, nested in `key.signature` as `problem`);
 * `base64.*` `parseBase64`'s (nested in `key.notBase64` as `reason`); `canonical.*` canonical JSON's (nested in
 * `signature.notCanonical` as `reason`).
 */
const en = {
  // A JSON value, as the key checks describe it (src/keys/key-response.ts `describe`).
  'value.missing': 'missing',
  'value.null': 'null',
  'value.array': 'an array',
  'value.string': (p: { text: string }) => `the string ${p.text}`,
  'value.number': (p: { number: string }) => `the number ${p.number}`,
  // `an object`: the article follows the type's name (typeof gives `object`, `boolean`, ...).
  'value.type': (p: { type: string }) => `${/^[aeiou]/.test(p.type) ? 'an' : 'a'} ${p.type}`,

  // The response as a whole (inspectServerKeys).
  'response.notObject': (p: { value: string }) => `the key response is ${p.value}, not a JSON object`,
  'response.tooManyKeys': (p: { total: string; max: string }) =>
    `the response holds ${p.total} ed25519 keys; only the first ${p.max} were checked ` +
    '(a homeserver publishes one current key and a few old ones)',
  'serverName.invalid': (p: { value: string }) => `"server_name" is ${p.value}; it must be the server name as a string`,
  'serverName.mismatch': (p: { claimed: string; expected: string }) =>
    `"server_name" is ${p.claimed} but the keys were requested for ${p.expected}; ` +
    'the homeserver must be configured with the delegating server name, not the host it runs on',
  'validUntil.invalid': (p: { value: string }) =>
    `"valid_until_ts" is ${p.value}; it must be an integer timestamp in milliseconds`,
  'validUntil.past': (p: { until: string; now: string }) =>
    `"valid_until_ts" (${p.until}) is not in the future (now ${p.now}); other servers will refetch the keys`,
  'verifyKeys.invalid': (p: { value: string }) =>
    `"verify_keys" is ${p.value}; it must be an object of key id -> {"key": base64}`,
  'verifyKeys.empty': '"verify_keys" has no ed25519 key (it is empty); Matrix servers sign with ed25519 keys',
  'verifyKeys.others': (p: { ids: string }) =>
    `"verify_keys" has no ed25519 key (it has only ${p.ids}); Matrix servers sign with ed25519 keys`,
  'oldVerifyKeys.invalid': (p: { value: string }) =>
    `"old_verify_keys" is ${p.value}; when present it must be an object`,

  // One key of verify_keys or old_verify_keys (checkKey); `section` is the member, `keyId` the id as kept.
  'key.badId': (p: { id: string }) =>
    `${p.id} is not a valid key id: after "ed25519:" the spec allows only letters, digits and "_"`,
  'key.notObject': (p: { section: string; keyId: string; value: string }) =>
    `"${p.section}.${p.keyId}": it is ${p.value}; it must be {"key": "<unpadded base64>"}`,
  'key.keyNotString': (p: { section: string; keyId: string; value: string }) =>
    `"${p.section}.${p.keyId}": its "key" is ${p.value}; it must be {"key": "<unpadded base64>"}`,
  'key.notBase64': (p: { section: string; keyId: string; reason: string }) =>
    `"${p.section}.${p.keyId}": the key is not valid base64 (${p.reason})`,
  'key.length': (p: { section: string; keyId: string; bytes: string }) =>
    `"${p.section}.${p.keyId}": the key is ${p.bytes} bytes; an ed25519 public key is 32 bytes`,
  'key.noServerName': (p: { section: string; keyId: string }) =>
    `"${p.section}.${p.keyId}": the signature cannot be looked up because "server_name" is missing`,
  'key.signature': (p: { section: string; keyId: string; problem: string }) =>
    `"${p.section}.${p.keyId}": ${p.problem}`,

  // The signature check (spec appendix "Checking for a Signature"), src/keys/ed25519.ts.
  'signature.notObject': 'the signed document is not a JSON object',
  'signature.none': 'the document has no "signatures" member',
  'signature.signaturesNotObject': '"signatures" is not a JSON object',
  'signature.noEntry': (p: { name: string }) => `"signatures" has no entry for ${p.name} (it is empty)`,
  'signature.noEntryOthers': (p: { name: string; others: string }) =>
    `"signatures" has no entry for ${p.name} (it has signatures by ${p.others})`,
  'signature.entryNotObject': (p: { serverName: string }) => `"signatures.${p.serverName}" is not a JSON object`,
  'signature.notEd25519': (p: { keyId: string }) => `${p.keyId} is not an ed25519 key id`,
  'signature.missing': (p: { name: string; keyId: string }) => `${p.name} did not sign the document with ${p.keyId}`,
  'signature.keyNotBase64': (p: { keyId: string }) => `the public key of ${p.keyId} is not valid base64`,
  'signature.keyLength': (p: { keyId: string; bytes: string }) =>
    `the public key of ${p.keyId} is ${p.bytes} bytes; an ed25519 key is 32`,
  'signature.notString': (p: { keyId: string }) => `the signature by ${p.keyId} is not a string`,
  'signature.notBase64': (p: { keyId: string }) => `the signature by ${p.keyId} is not valid base64`,
  'signature.length': (p: { keyId: string; bytes: string }) =>
    `the signature by ${p.keyId} is ${p.bytes} bytes; an ed25519 signature is 64`,
  'signature.notCanonical': (p: { reason: string }) =>
    `the document cannot be encoded as canonical JSON, so its signature cannot be checked (${p.reason})`,
  'signature.mismatch': (p: { keyId: string }) => `the signature by ${p.keyId} does not match the document`,

  // parseBase64 (spec appendix "Unpadded Base64"), src/keys/base64.ts.
  'base64.notString': (p: { type: string }) => `expected a base64 string, got ${p.type}`,
  'base64.mixed': 'the text mixes the standard (+ /) and URL-safe (- _) base64 alphabets',
  'base64.character': (p: { character: string }) =>
    `the text contains ${p.character}, which is not in the base64 alphabet`,
  'base64.padding': 'the "=" padding does not complete the text to a multiple of 4 characters',
  'base64.length': (p: { length: string }) =>
    `a base64 text cannot be ${p.length} characters long (length modulo 4 is 1)`,

  // canonicalJson (spec appendix "Canonical JSON"), src/keys/canonical-json.ts; `path` is a JSON path ($.a[0]).
  'canonical.tooDeep': 'canonical JSON: the value is nested too deeply to encode',
  'canonical.circular': (p: { path: string }) => `canonical JSON: ${p.path} is a circular reference`,
  'canonical.notJsonValue': (p: { path: string; type: string }) =>
    `canonical JSON: ${p.path} is ${p.type}, which is not a JSON value`,
  'canonical.notFinite': (p: { path: string; number: string }) =>
    `canonical JSON: ${p.path} is ${p.number}, which JSON cannot represent`,
  'canonical.float': (p: { path: string; number: string }) =>
    `canonical JSON: ${p.path} is ${p.number}, not an integer (canonical JSON allows no floats)`,
  'canonical.range': (p: { path: string; number: string }) =>
    `canonical JSON: ${p.path} is ${p.number}, outside the canonical JSON range [-(2^53)+1, 2^53-1]`,
  'canonical.sparse': (p: { path: string }) => `canonical JSON: ${p.path} is a hole in a sparse array`,
  'canonical.notPlainNamed': (p: { path: string; name: string }) =>
    `canonical JSON: ${p.path} is a ${p.name}, not a plain JSON object`,
  'canonical.notPlain': (p: { path: string }) => `canonical JSON: ${p.path} is an object, not a plain JSON object`,
  'canonical.loneSurrogate': (p: { path: string; unit: string; index: string }) =>
    `canonical JSON: ${p.path} contains a lone surrogate U+${p.unit} at index ${p.index}, which UTF-8 cannot encode`,
} satisfies Catalogue;

/** The JavaScript type names `value.type` can carry, in Chinese (the name itself is shown too). */
const TYPE_NAMES_ZH: Readonly<Record<string, string>> = {
  boolean: '布尔值',
  object: '对象',
  number: '数字',
  string: '字符串',
  undefined: '未定义值',
  function: '函数',
  symbol: '符号',
  bigint: '大整数',
};

/**
 * The Chinese messages. A `value` arrives said in Chinese as a predicate (`缺失`, `是 null`, `是字符串 "x"`), so the
 * sentences around it put no verb before it; a `reason` or `problem` arrives said in Chinese too.
 */
const zhCN: Translation<typeof en> = {
  'value.missing': '缺失',
  'value.null': '是 null',
  'value.array': '是数组',
  'value.string': (p) => `是字符串 ${p.text}`,
  'value.number': (p) => `是数字 ${p.number}`,
  'value.type': (p) => {
    const name = TYPE_NAMES_ZH[p.type];
    return name === undefined ? `是 ${p.type} 类型的值` : `是${name}（${p.type}）`;
  },

  'response.notObject': (p) => `密钥响应${p.value}，而不是 JSON 对象`,
  'response.tooManyKeys': (p) =>
    `响应中有 ${p.total} 个 ed25519 密钥，只检查了前 ${p.max} 个（homeserver 通常只发布一个当前密钥和少量旧密钥）`,
  'serverName.invalid': (p) => `"server_name" ${p.value}；它必须是字符串形式的服务器名`,
  'serverName.mismatch': (p) =>
    `"server_name" 是 ${p.claimed}，但请求的是 ${p.expected} 的密钥；` +
    'homeserver 的 server_name 必须配置为发起委托的服务器名，而不是它所运行的主机名',
  'validUntil.invalid': (p) => `"valid_until_ts" ${p.value}；它必须是以毫秒为单位的整数时间戳`,
  'validUntil.past': (p) => `"valid_until_ts"（${p.until}）已经过去（当前时间 ${p.now}）；其他服务器会重新获取这些密钥`,
  'verifyKeys.invalid': (p) => `"verify_keys" ${p.value}；它必须是从密钥 ID 到 {"key": base64} 的对象`,
  'verifyKeys.empty': '"verify_keys" 中没有 ed25519 密钥（它是空的）；Matrix 服务器用 ed25519 密钥签名',
  'verifyKeys.others': (p) => `"verify_keys" 中没有 ed25519 密钥（只有 ${p.ids}）；Matrix 服务器用 ed25519 密钥签名`,
  'oldVerifyKeys.invalid': (p) => `"old_verify_keys" ${p.value}；如果提供，它必须是对象`,

  'key.badId': (p) => `${p.id} 不是合法的密钥 ID：规范只允许 "ed25519:" 之后出现字母、数字和 "_"`,
  'key.notObject': (p) => `"${p.section}.${p.keyId}"：它${p.value}；它必须是 {"key": "<无填充的 base64>"}`,
  'key.keyNotString': (p) => `"${p.section}.${p.keyId}"：它的 "key" ${p.value}；它必须是 {"key": "<无填充的 base64>"}`,
  'key.notBase64': (p) => `"${p.section}.${p.keyId}"：密钥不是有效的 base64（${p.reason}）`,
  'key.length': (p) => `"${p.section}.${p.keyId}"：密钥长 ${p.bytes} 字节，而 ed25519 公钥是 32 字节`,
  'key.noServerName': (p) => `"${p.section}.${p.keyId}"：缺少 "server_name"，因此无法查找签名`,
  'key.signature': (p) => `"${p.section}.${p.keyId}"：${p.problem}`,

  'signature.notObject': '被签名的文档不是 JSON 对象',
  'signature.none': '文档中没有 "signatures" 成员',
  'signature.signaturesNotObject': '"signatures" 不是 JSON 对象',
  'signature.noEntry': (p) => `"signatures" 中没有 ${p.name} 的条目（它是空的）`,
  'signature.noEntryOthers': (p) => `"signatures" 中没有 ${p.name} 的条目（只有 ${p.others} 的签名）`,
  'signature.entryNotObject': (p) => `"signatures.${p.serverName}" 不是 JSON 对象`,
  'signature.notEd25519': (p) => `${p.keyId} 不是 ed25519 密钥 ID`,
  'signature.missing': (p) => `${p.name} 没有用 ${p.keyId} 为文档签名`,
  'signature.keyNotBase64': (p) => `${p.keyId} 的公钥不是有效的 base64`,
  'signature.keyLength': (p) => `${p.keyId} 的公钥长 ${p.bytes} 字节，而 ed25519 公钥是 32 字节`,
  'signature.notString': (p) => `${p.keyId} 的签名不是字符串`,
  'signature.notBase64': (p) => `${p.keyId} 的签名不是有效的 base64`,
  'signature.length': (p) => `${p.keyId} 的签名长 ${p.bytes} 字节，而 ed25519 签名是 64 字节`,
  'signature.notCanonical': (p) => `文档无法编码为规范 JSON（canonical JSON），因此无法检查签名（${p.reason}）`,
  'signature.mismatch': (p) => `${p.keyId} 的签名与文档不符`,

  'base64.notString': (p) => `应为 base64 字符串，实际是 ${p.type}`,
  'base64.mixed': '文本混用了标准（+ /）和 URL 安全（- _）两种 base64 字母表',
  'base64.character': (p) => `文本含有 ${p.character}，它不在 base64 字母表中`,
  'base64.padding': '"=" 填充没有把文本补足到 4 的倍数个字符',
  'base64.length': (p) => `base64 文本的长度不能是 ${p.length} 个字符（长度除以 4 余 1）`,

  'canonical.tooDeep': '规范 JSON：值嵌套太深，无法编码',
  'canonical.circular': (p) => `规范 JSON：${p.path} 是循环引用`,
  'canonical.notJsonValue': (p) => `规范 JSON：${p.path} 是 ${p.type}，不是 JSON 值`,
  'canonical.notFinite': (p) => `规范 JSON：${p.path} 是 ${p.number}，JSON 无法表示`,
  'canonical.float': (p) => `规范 JSON：${p.path} 是 ${p.number}，不是整数（规范 JSON 不允许浮点数）`,
  'canonical.range': (p) => `规范 JSON：${p.path} 是 ${p.number}，超出了规范 JSON 的范围 [-(2^53)+1, 2^53-1]`,
  'canonical.sparse': (p) => `规范 JSON：${p.path} 是稀疏数组中的空位`,
  'canonical.notPlainNamed': (p) => `规范 JSON：${p.path} 是 ${p.name}，不是普通的 JSON 对象`,
  'canonical.notPlain': (p) => `规范 JSON：${p.path} 是对象，但不是普通的 JSON 对象`,
  'canonical.loneSurrogate': (p) =>
    `规范 JSON：${p.path} 在索引 ${p.index} 处含有孤立的代理项 U+${p.unit}，UTF-8 无法编码`,
};

/** The key checks' sentences in every language. */
export const KEY_CHECK_TEXTS: Translations<typeof en> = { en, 'zh-CN': zhCN };

/**
 * The key checks' sentences in English, as the checks write them into the report (`keyCheckEnglish('key.length',
 * { section, keyId, bytes })`): one source for the report's words and the translations' reading of them.
 */
export const keyCheckEnglish = localize(KEY_CHECK_TEXTS, 'en');
