// The check's words for what the version and key endpoints answered (AddressReport.version.error, keys.problems).

import { localize, type Catalogue, type Translation, type Translations } from '../i18n/index.js';

/**
 * An endpoint's status other than 200, as src/checker/check-address.ts writes it into `version.error` and
 * `keys.problems` (the report's English, through {@link endpointAnswerEnglish}); the diagnosis reads it back and says
 * it again in another language (src/diagnosis/rules/endpoints-texts.ts).
 */
const statusEn = {
  version: (p: { status: string }) => `the version endpoint answered HTTP ${p.status}`,
  keys: (p: { status: string }) => `the key endpoint answered HTTP ${p.status}`,
} satisfies Catalogue;

const statusZh: Translation<typeof statusEn> = {
  version: (p) => `版本端点返回 HTTP ${p.status}`,
  keys: (p) => `密钥端点返回 HTTP ${p.status}`,
};

/** An endpoint's status other than 200, in every language. */
export const ENDPOINT_ANSWER_TEXTS: Translations<typeof statusEn> = { en: statusEn, 'zh-CN': statusZh };

/**
 * A 200 answer whose body is not JSON. `reason` is JSON.parse's own message (V8's English, not ours): another
 * language says what happened and quotes it marked as the system's text (系统原文, CONTRIBUTING "Languages").
 */
const bodyEn = {
  version: (p: { reason: string }) => `the version endpoint did not answer JSON: ${p.reason}`,
  keys: (p: { reason: string }) => `the key response is not JSON: ${p.reason}`,
} satisfies Catalogue;

const bodyZh: Translation<typeof bodyEn> = {
  version: (p) => `版本端点返回的不是 JSON（系统原文：${p.reason}）`,
  keys: (p) => `密钥响应不是 JSON（系统原文：${p.reason}）`,
};

/** A 200 answer that is not JSON, in every language. */
export const ENDPOINT_BODY_TEXTS: Translations<typeof bodyEn> = { en: bodyEn, 'zh-CN': bodyZh };

/** An endpoint's status in the report's English: `endpointAnswerEnglish('keys', { status: '502' })`. */
export const endpointAnswerEnglish = localize(ENDPOINT_ANSWER_TEXTS, 'en');

/** A body that is not JSON in the report's English: `endpointBodyEnglish('keys', { reason })`. */
export const endpointBodyEnglish = localize(ENDPOINT_BODY_TEXTS, 'en');
