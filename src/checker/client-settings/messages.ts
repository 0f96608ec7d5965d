// The words of the client settings check's problems: the catalogue's English (src/check-report/), by finding.

import type { Catalogue } from '../../i18n/index.js';
import {
  CLIENT_SETTING_PIECES,
  CLIENT_SETTING_PROBLEM_TEXTS,
} from '../../check-report/client-setting-problem-texts.js';

/**
 * The catalogue's sentences (src/check-report/client-setting-problem-texts.ts): the diagnosis reads the report's
 * sentences back with this same object and says them in another language (CONTRIBUTING "Languages").
 */
const say = CLIENT_SETTING_PROBLEM_TEXTS.en;

/**
 * What the client settings check says it found, in English: each message is the catalogue's, so the reader and the
 * writer cannot drift apart; where one finding has several forms (one key or many, a field missing or wrong) the
 * message here chooses the form. Values arrive already quoted and bounded. The pieces of a value (a request's
 * failure, a preflight's answer) are `CLIENT_SETTING_PIECES`.
 */
export const CLIENT_SETTING_MESSAGES = {
  wrongType: say.wrongType,
  unknownKeys: (p: { keys: string; count: number; notNamespaced: string }): string => {
    const { keys, notNamespaced } = p;
    if (p.count === 1) return notNamespaced === '' ? say.unknownOne({ keys }) : say.unknownOneNamespace(p);
    const count = String(p.count);
    return notNamespaced === ''
      ? say.unknownMany({ count, keys })
      : say.unknownManyNamespace({ count, keys, notNamespaced });
  },
  fieldInvalid: (p: { field: string; got: string; expected: string; missing: boolean }): string =>
    p.missing
      ? say.fieldMissing({ field: p.field, expected: p.expected })
      : say.fieldInvalid({ field: p.field, got: p.got, expected: p.expected }),
  e2eeOlderKeyOnly: say.e2eeOlderKeyOnly,
  e2eeBothKeys: say.e2eeBothKeys,
  e2eeRetired: say.e2eeRetired,
  e2eeContradictory: say.e2eeContradictory,
  jitsiUnreachable: say.jitsiUnreachable,
  jitsiNotJitsi: say.jitsiNotJitsi,
  jitsiKeysDisagree: say.jitsiKeysDisagree,
  livekitUnreachable: say.livekitUnreachable,
  livekitCors: say.livekitCors,
  livekitLegacyOnly: say.livekitLegacyOnly,
  transportsMissing: say.transportsMissing,
  transportsDisagree: say.transportsDisagree,
  issuerUnreachable: say.issuerUnreachable,
  issuerMismatch: say.issuerMismatch,
  issuerCors: say.issuerCors,
  metadataMissing: say.metadataMissing,
  metadataDisagrees: say.metadataDisagrees,
  tileServerUnstableKey: say.tileServerUnstableKey,
  tileServerBroken: say.tileServerBroken,
  tileServerCors: say.tileServerCors,
  // Pieces of the messages above.
  ...CLIENT_SETTING_PIECES,
} as const satisfies Catalogue;
