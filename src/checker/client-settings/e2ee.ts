// Checks io.element.e2ee (and its deprecated name): field types and values, retired fields, contradictions.

import { isDeepStrictEqual } from 'node:util';
import { CLIENT_SETTING_KEYS, type E2eeSettingReport } from '../../check-report/client-settings.js';
import { e2eeFaults, retiredE2eeFields } from '../../check-report/client-settings-values.js';
import { boundRemoteStringList } from '../../remote-text.js';
import { CLIENT_SETTING_MESSAGES as M } from './messages.js';
import { reportFaults, type SettingProblems } from './faults.js';

const [CURRENT, OLDER] = CLIENT_SETTING_KEYS.e2ee;

function bool(value: unknown): boolean | null {
  return typeof value === 'boolean' ? value : null;
}

/**
 * The E2EE setting as Element reads it (`getE2EEWellKnown`: `io.element.e2ee` when it is set, else
 * `im.vector.riot.e2ee`), with its problems; null when neither key is in the document. Needs no request.
 */
export function checkE2ee(
  document: Readonly<Record<string, unknown>>,
  problems: SettingProblems,
): E2eeSettingReport | null {
  const hasCurrent = Object.hasOwn(document, CURRENT);
  const hasOlder = Object.hasOwn(document, OLDER);
  if (!hasCurrent && !hasOlder) return null;
  // Element tests the current key for truthiness before falling back: `false` or `null` there reads the older key.
  const key = hasCurrent && Boolean(document[CURRENT]) ? CURRENT : hasOlder ? OLDER : CURRENT;
  const value = document[key];
  const usable = reportFaults(key, e2eeFaults(value), 'CLIENT_E2EE_INVALID', problems);
  if (key === OLDER && !hasCurrent)
    problems.add('CLIENT_E2EE_OLDER_KEY', 'info', M.e2eeOlderKeyOnly({ older: OLDER, current: CURRENT }));
  else if (hasCurrent && hasOlder && !isDeepStrictEqual(document[CURRENT], document[OLDER]))
    problems.add('CLIENT_E2EE_OLDER_KEY', 'info', M.e2eeBothKeys({ older: OLDER, current: CURRENT }));
  if (!usable || typeof value !== 'object' || value === null || Array.isArray(value))
    return { key, default: null, forceDisable: null, secureBackupRequired: null, secureBackupSetupMethods: null };

  const fields = value as Readonly<Record<string, unknown>>;
  const retired = retiredE2eeFields(fields);
  if (retired.length > 0)
    problems.add(
      'CLIENT_E2EE_RETIRED_SETTINGS',
      'info',
      M.e2eeRetired({ key, fields: retired.map((f) => `"${f}"`).join(' and ') }),
    );
  if (fields['default'] === true && fields['force_disable'] === true)
    problems.add('CLIENT_E2EE_CONTRADICTORY', 'warning', M.e2eeContradictory({ key }));
  const methods = fields['secure_backup_setup_methods'];
  return {
    key,
    default: bool(fields['default']),
    forceDisable: bool(fields['force_disable']),
    secureBackupRequired: bool(fields['secure_backup_required']),
    secureBackupSetupMethods:
      Array.isArray(methods) && methods.every((m) => typeof m === 'string') ? boundRemoteStringList(methods) : null,
  };
}
