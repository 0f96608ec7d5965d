// Says the key checks' sentences (a key problem, an endpoint's answer) again in the hint's language.

import { ENDPOINT_ANSWER_TEXTS, ENDPOINT_BODY_TEXTS } from '../../check-report/endpoint-answer-texts.js';
import type { Locale } from '../../i18n/index.js';
import { KEY_CHECK_TEXTS } from '../../keys/key-check-texts.js';
import { REMOTE_TEXT_LIMITS } from '../../remote-text.js';
import { readEndpointAnswer } from './endpoints-texts.js';
import { sayAgain, sentenceReader, unreadWords, type ReadBack } from './read-back.js';

type KeyTexts = (typeof KEY_CHECK_TEXTS)['en'];
type KeyForm = keyof KeyTexts & string;

/** Reads any sentence of the key checks' catalogue (src/keys/key-check-texts.ts) back into its values. */
const readKeyCheck = sentenceReader(KEY_CHECK_TEXTS.en, {
  'value.missing': [],
  'value.null': [],
  'value.array': [],
  'value.string': ['text'],
  'value.number': ['number'],
  'value.type': ['type'],
  'response.notObject': ['value'],
  'response.tooManyKeys': ['total', 'max'],
  'serverName.invalid': ['value'],
  'serverName.mismatch': ['claimed', 'expected'],
  'validUntil.invalid': ['value'],
  'validUntil.past': ['until', 'now'],
  'verifyKeys.invalid': ['value'],
  'verifyKeys.empty': [],
  'verifyKeys.others': ['ids'],
  'oldVerifyKeys.invalid': ['value'],
  'key.badId': ['id'],
  'key.notObject': ['section', 'keyId', 'value'],
  'key.keyNotString': ['section', 'keyId', 'value'],
  'key.notBase64': ['section', 'keyId', 'reason'],
  'key.length': ['section', 'keyId', 'bytes'],
  'key.noServerName': ['section', 'keyId'],
  'key.signature': ['section', 'keyId', 'problem'],
  'signature.notObject': [],
  'signature.none': [],
  'signature.signaturesNotObject': [],
  'signature.noEntry': ['name'],
  'signature.noEntryOthers': ['name', 'others'],
  'signature.entryNotObject': ['serverName'],
  'signature.notEd25519': ['keyId'],
  'signature.missing': ['name', 'keyId'],
  'signature.keyNotBase64': ['keyId'],
  'signature.keyLength': ['keyId', 'bytes'],
  'signature.notString': ['keyId'],
  'signature.notBase64': ['keyId'],
  'signature.length': ['keyId', 'bytes'],
  'signature.notCanonical': ['reason'],
  'signature.mismatch': ['keyId'],
  'base64.notString': ['type'],
  'base64.mixed': [],
  'base64.character': ['character'],
  'base64.padding': [],
  'base64.length': ['length'],
  'canonical.tooDeep': [],
  'canonical.circular': ['path'],
  'canonical.notJsonValue': ['path', 'type'],
  'canonical.notFinite': ['path', 'number'],
  'canonical.float': ['path', 'number'],
  'canonical.range': ['path', 'number'],
  'canonical.sparse': ['path'],
  'canonical.notPlainNamed': ['path', 'name'],
  'canonical.notPlain': ['path'],
  'canonical.loneSurrogate': ['path', 'unit', 'index'],
});

/** The forms of one family of the catalogue, in its order (the order they are tried in: specific ones first). */
function family(prefixes: readonly string[]): KeyForm[] {
  return (Object.keys(KEY_CHECK_TEXTS.en) as KeyForm[]).filter((k) => prefixes.some((p) => k.startsWith(p)));
}

/** What a problem of the key checks may be (`key.signature`, the generic `<key>: <problem>`, comes last). */
const PROBLEMS = family(['response.', 'serverName.', 'validUntil.', 'verifyKeys.', 'oldVerifyKeys.', 'key.']);
const VALUES = family(['value.']);

/** The sentences nested in a form's placeholder, by form and placeholder: read back and said again too. */
const NESTED: { readonly [K in KeyForm]?: Readonly<Record<string, readonly KeyForm[]>> } = {
  'response.notObject': { value: VALUES },
  'serverName.invalid': { value: VALUES },
  'validUntil.invalid': { value: VALUES },
  'verifyKeys.invalid': { value: VALUES },
  'oldVerifyKeys.invalid': { value: VALUES },
  'key.notObject': { value: VALUES },
  'key.keyNotString': { value: VALUES },
  'key.notBase64': { reason: family(['base64.']) },
  'key.signature': { problem: family(['signature.']) },
  'signature.notCanonical': { reason: family(['canonical.']) },
};

/** A key check's sentence read back: its form, its values, and the sentences nested in them, read back too. */
export interface KeySentence extends ReadBack<KeyTexts> {
  readonly key: KeyForm;
  readonly nested: Readonly<Record<string, KeySentence>>;
}

function readAs(sentence: string, forms: readonly KeyForm[]): KeySentence | null {
  for (const form of forms) {
    const read = readKeyCheck(sentence, [form]);
    if (read === null) continue;
    const nested: Record<string, KeySentence> = {};
    const inner = Object.entries(NESTED[form] ?? {});
    for (const [name, innerForms] of inner) {
      const part = readAs(read.params[name] ?? '', innerForms);
      if (part === null) break;
      nested[name] = part;
    }
    // A nested sentence no form writes: try the next form (the generic `<key>: <problem>` may not fit).
    if (Object.keys(nested).length === inner.length) return { key: form, params: read.params, nested };
  }
  return null;
}

/**
 * A key problem's message (`KeysReport.problems[].message`, `KeyCheckError.message`) read back through the key checks'
 * catalogue, nested sentences included; null when no form writes it again byte for byte (a message of another layer,
 * a timeout, or one cut by the report's bounds: a sentence longer than `REMOTE_TEXT_LIMITS.message` was cut).
 */
export function readKeyProblem(message: string): KeySentence | null {
  if (message.length > REMOTE_TEXT_LIMITS.message) return null;
  return readAs(message, PROBLEMS);
}

/** A sentence read back, said in `locale`: its nested sentences first, then the sentence with them. */
export function sayKeySentence(sentence: KeySentence, locale: Locale): string {
  const params: Record<string, string> = { ...sentence.params };
  for (const [name, inner] of Object.entries(sentence.nested)) params[name] = sayKeySentence(inner, locale);
  return sayAgain(KEY_CHECK_TEXTS, locale, { key: sentence.key, params });
}

/** Reads an endpoint's body that is not JSON, as check-address.ts writes it (its status: `readEndpointAnswer`). */
const readEndpointBody = sentenceReader(ENDPOINT_BODY_TEXTS.en, { version: ['reason'], keys: ['reason'] });

/**
 * What an endpoint's answer or a key problem says, in `locale` (`en`: the message as it is). Reads the message as an
 * endpoint status (`the key endpoint answered HTTP 502`), a body that is not JSON, or a key check's sentence;
 * `otherwise` says a message none of them writes (another layer's, e.g. a connection error): by default the check's
 * words, marked.
 */
export function keyProblemWords(
  message: string,
  endpoint: 'version' | 'keys',
  locale: Locale,
  otherwise: (message: string, locale: Locale) => string = unreadWords,
): string {
  if (locale === 'en') return message;
  const status = readEndpointAnswer(message, [endpoint]);
  if (status !== null) return sayAgain(ENDPOINT_ANSWER_TEXTS, locale, status);
  const body = readEndpointBody(message, [endpoint]);
  if (body !== null) return sayAgain(ENDPOINT_BODY_TEXTS, locale, body);
  const problem = endpoint === 'keys' ? readKeyProblem(message) : null;
  return problem === null ? otherwise(message, locale) : sayKeySentence(problem, locale);
}
