// The top-level keys of the client document besides the base URLs: which clients know, and the others as information.

import {
  CLIENT_SETTING_KEYS,
  OTHER_KNOWN_CLIENT_KEYS,
  type ClientSettingKey,
} from '../../check-report/client-settings.js';
import { jsonTypeWord } from '../../check-report/client-settings-values.js';
import { REMOTE_LIST_LIMIT, REMOTE_TEXT_LIMITS, boundRemoteText } from '../../remote-text.js';
import { CLIENT_SETTING_MESSAGES as M } from './messages.js';
import { describeJson, type SettingProblems } from './faults.js';
import { quote } from './request.js';

/** The keys of the discovery flow itself (client-server API "Well-known URIs"), checked by the document check. */
const DISCOVERY_KEYS: readonly string[] = ['m.homeserver', 'm.identity_server'];

/** Every settings key the check knows by name. */
export const KNOWN_CLIENT_SETTING_KEYS: ReadonlySet<string> = new Set<string>([
  ...Object.values(CLIENT_SETTING_KEYS).flat(),
  ...OTHER_KNOWN_CLIENT_KEYS,
]);

/**
 * Lists the keys besides `m.homeserver` and `m.identity_server` (the first {@link REMOTE_LIST_LIMIT}), and reports
 * the unknown ones together as information: the spec allows any key, namespaced in Java package style. A known key
 * of OTHER_KNOWN_CLIENT_KEYS that is not an object is a wrong type (the other known keys' types are their checks').
 */
export function classifyKeys(
  document: Readonly<Record<string, unknown>>,
  problems: SettingProblems,
): ClientSettingKey[] {
  const names = Object.keys(document).filter((k) => !DISCOVERY_KEYS.includes(k));
  const unknown = names.filter((k) => !KNOWN_CLIENT_SETTING_KEYS.has(k));
  if (unknown.length > 0) {
    const shown = unknown.slice(0, 8).map((k) => quote(k));
    const notNamespaced = unknown.filter((k) => !k.includes('.')).slice(0, 8);
    problems.add(
      'CLIENT_SETTING_UNKNOWN',
      'info',
      M.unknownKeys({
        keys:
          unknown.length > shown.length
            ? `${shown.join(', ')} and ${unknown.length - shown.length} more`
            : shown.join(', '),
        count: unknown.length,
        notNamespaced: notNamespaced.map((k) => quote(k)).join(', '),
      }),
    );
  }
  for (const key of OTHER_KNOWN_CLIENT_KEYS) {
    const value = document[key];
    if (Object.hasOwn(document, key) && jsonTypeWord(value) !== 'object')
      problems.add(
        'CLIENT_SETTING_WRONG_TYPE',
        'warning',
        M.wrongType({ key, got: describeJson(value), expected: 'an object' }),
      );
  }
  return names.slice(0, REMOTE_LIST_LIMIT).map((name) => ({
    name: boundRemoteText(name, REMOTE_TEXT_LIMITS.name),
    type: jsonTypeWord(document[name]),
    known: KNOWN_CLIENT_SETTING_KEYS.has(name),
  }));
}
