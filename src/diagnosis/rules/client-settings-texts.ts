// Reads the client settings check's problem sentences back, and the settings hints' own words (the catalogue of the
// sentences, English and Chinese, is src/check-report/client-setting-problem-texts.ts, through which the check writes).

import type { ClientSettingProblemCode } from '../../check-report/index.js';
import {
  CLIENT_SETTING_PIECES,
  CLIENT_SETTING_PROBLEM_TEXTS as SENTENCES,
} from '../../check-report/client-setting-problem-texts.js';
import type { Catalogue, Translation, Translations } from '../../i18n/index.js';
import { zh } from '../text.js';
import { sentenceReader, type PlaceholderNames } from './read-back.js';
import { errorWords } from './error-words.js';

const en = SENTENCES.en;

/** A request's failure as the check words it (`failureOf`, `notJson`, `notStyle`), in Chinese. */
function failureZh(detail: string): string {
  const status = /^HTTP (\d+) instead of 200$/.exec(detail);
  if (status?.[1] !== undefined) return zh`返回 HTTP ${status[1]}，而不是 200`;
  if (detail === CLIENT_SETTING_PIECES.notJson) return '响应不是 JSON 对象';
  if (detail === CLIENT_SETTING_PIECES.notStyle)
    return '响应是 JSON，但不是 MapLibre 样式（没有带 "sources" 和 "layers" 的 "version": 8）';
  // A network failure: the fetch's error sentence said again (Node's words in it marked as such).
  return errorWords(null, detail, 'zh-CN');
}

const zhSource = SENTENCES['zh-CN'];

/** The catalogue's Chinese, a request's failure (`detail`) said in Chinese before the sentence shows it. */
const zhCN: Translation<typeof en> = {
  ...zhSource,
  jitsiUnreachable: (p) => zhSource.jitsiUnreachable({ ...p, detail: failureZh(p.detail) }),
  livekitUnreachable: (p) => zhSource.livekitUnreachable({ ...p, detail: failureZh(p.detail) }),
  issuerUnreachable: (p) => zhSource.issuerUnreachable({ ...p, detail: failureZh(p.detail) }),
  tileServerBroken: (p) => zhSource.tileServerBroken({ ...p, detail: failureZh(p.detail) }),
};

const PLACEHOLDERS: { readonly [K in keyof typeof en]: PlaceholderNames<(typeof en)[K]> } = {
  wrongType: ['key', 'got', 'expected'],
  unknownOne: ['keys'],
  unknownOneNamespace: ['keys', 'notNamespaced'],
  unknownMany: ['count', 'keys'],
  unknownManyNamespace: ['count', 'keys', 'notNamespaced'],
  fieldMissing: ['field', 'expected'],
  fieldInvalid: ['field', 'got', 'expected'],
  e2eeOlderKeyOnly: ['older', 'current'],
  e2eeBothKeys: ['older', 'current'],
  e2eeRetired: ['key', 'fields'],
  e2eeContradictory: ['key'],
  jitsiUnreachable: ['domain', 'detail'],
  jitsiNotJitsi: ['url', 'status'],
  jitsiKeysDisagree: ['current', 'currentDomain', 'older', 'olderDomain'],
  livekitUnreachable: ['url', 'detail'],
  livekitCors: ['url', 'answers'],
  livekitLegacyOnly: ['url'],
  transportsMissing: ['key', 'base'],
  transportsDisagree: ['wellKnown', 'homeserver'],
  issuerUnreachable: ['url', 'detail'],
  issuerMismatch: ['url', 'served', 'configured'],
  issuerCors: ['url', 'allowOrigin'],
  metadataMissing: ['key', 'base'],
  metadataDisagrees: ['url', 'served', 'configured'],
  tileServerUnstableKey: ['unstable', 'stable'],
  tileServerBroken: ['url', 'detail'],
  tileServerCors: ['url', 'allowOrigin'],
};

type Sentence = keyof typeof en;

const FIELD: readonly Sentence[] = ['fieldMissing', 'fieldInvalid'];

/** The sentences each problem code is written with. */
const FORMS: Readonly<Record<ClientSettingProblemCode, readonly Sentence[]>> = {
  CLIENT_SETTING_WRONG_TYPE: ['wrongType'],
  CLIENT_SETTING_UNKNOWN: ['unknownManyNamespace', 'unknownMany', 'unknownOneNamespace', 'unknownOne'],
  CLIENT_E2EE_INVALID: FIELD,
  CLIENT_E2EE_OLDER_KEY: ['e2eeOlderKeyOnly', 'e2eeBothKeys'],
  CLIENT_E2EE_RETIRED_SETTINGS: ['e2eeRetired'],
  CLIENT_E2EE_CONTRADICTORY: ['e2eeContradictory'],
  CLIENT_JITSI_INVALID: FIELD,
  CLIENT_JITSI_UNREACHABLE: ['jitsiUnreachable'],
  CLIENT_JITSI_NOT_JITSI: ['jitsiNotJitsi'],
  CLIENT_JITSI_KEYS_DISAGREE: ['jitsiKeysDisagree'],
  CLIENT_RTC_FOCI_INVALID: FIELD,
  CLIENT_RTC_LIVEKIT_UNREACHABLE: ['livekitUnreachable'],
  CLIENT_RTC_LIVEKIT_CORS: ['livekitCors'],
  CLIENT_RTC_LIVEKIT_LEGACY_ONLY: ['livekitLegacyOnly'],
  CLIENT_RTC_TRANSPORTS_MISSING: ['transportsMissing'],
  CLIENT_RTC_TRANSPORTS_DISAGREE: ['transportsDisagree'],
  CLIENT_AUTH_INVALID: FIELD,
  CLIENT_AUTH_ISSUER_UNREACHABLE: ['issuerUnreachable'],
  CLIENT_AUTH_ISSUER_MISMATCH: ['issuerMismatch'],
  CLIENT_AUTH_ISSUER_CORS: ['issuerCors'],
  CLIENT_AUTH_METADATA_MISSING: ['metadataMissing'],
  CLIENT_AUTH_METADATA_DISAGREES: ['metadataDisagrees'],
  CLIENT_TILE_SERVER_INVALID: FIELD,
  CLIENT_TILE_SERVER_BROKEN: ['tileServerBroken'],
  CLIENT_TILE_SERVER_CORS: ['tileServerCors'],
  CLIENT_TILE_SERVER_UNSTABLE_KEY: ['tileServerUnstableKey'],
};

/**
 * The client settings check's sentences in every language: `en` is the very catalogue the check writes with, the
 * Chinese says a request's failure inside a sentence in Chinese too.
 */
export const CLIENT_SETTING_PROBLEM_TEXTS = { en, 'zh-CN': zhCN } satisfies Translations<typeof en>;

const read = sentenceReader(en, PLACEHOLDERS);

/** A settings problem's sentence read back into its form and values, or null when it is worded otherwise. */
export function readClientSettingProblem(code: string, message: string): ReturnType<typeof read> {
  const forms = (FORMS as Readonly<Record<string, readonly Sentence[]>>)[code];
  return forms === undefined ? null : read(message, forms);
}

/** A problem sentence as a sentence: a capital for a leading article or quote, one final full stop. */
function englishSentence(text: string): string {
  const capital = /^(the|a|an|both|no)\b/.test(text) ? `${text.charAt(0).toUpperCase()}${text.slice(1)}` : text;
  return capital.endsWith('.') ? capital : `${capital}.`;
}

/** What the client settings hints say around the check's sentences. */
const hintEn = {
  /** The problems' sentences of one hint as its detail. */
  detail: (p: { sentences: readonly string[] }) => p.sentences.map(englishSentence).join(' '),
  /** The fix of a hint without one of its own. */
  other: 'See the detail: the client settings check describes what it expects.',
} satisfies Catalogue;

const hintZh: Translation<typeof hintEn> = {
  detail: (p) => p.sentences.map((s) => (/[。.]$/.test(s) ? s : `${s}。`)).join(''),
  other: '请看详情：客户端设置检查说明了它期望的内容。',
};

/** The client settings hints' own words in every language. */
export const CLIENT_SETTING_HINT_TEXTS = { en: hintEn, 'zh-CN': hintZh };
