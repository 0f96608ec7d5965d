// Validates the client settings inside extra_well_known_client_content with the checker's rules, before they are served.

import {
  clientSettingFaults,
  faultExpectation,
  retiredE2eeFields,
  type SettingFault,
} from '../check-report/client-settings-values.js';
import { CLIENT_SETTING_KEYS } from '../check-report/client-settings.js';
import { localize, type Locale, type Localized } from '../i18n/index.js';
import { describeValue, isMapping } from './fields.js';
import type { ConfigIssues } from './issues.js';
import type { ConfigErrorCode, ConfigPathSegment, JsonObject, JsonValue } from './types.js';
import { CLIENT_TEXTS } from './validate-client-texts.js';

type Text = Localized<(typeof CLIENT_TEXTS)['en']>;

/** What a fault expected, in `locale`: English is the checker's own words (`faultExpectation`). */
function expectation(fault: SettingFault, locale: Locale, t: Text): string {
  if (locale === 'en') return faultExpectation(fault);
  if (fault.expected === 'choice' && fault.choices !== undefined)
    return t('expect.oneOf', { choices: fault.choices.map((c) => JSON.stringify(c)).join(', ') });
  return t(`expect.${fault.expected}`);
}

/** An example of each key's value, as YAML inside `extra_well_known_client_content`, for the fixes. */
const EXAMPLES: Readonly<Record<string, string>> = {
  'io.element.e2ee': '{ default: true }',
  'im.vector.riot.e2ee': '{ default: true }',
  'io.element.jitsi': '{ preferredDomain: jitsi.example.com }',
  'im.vector.riot.jitsi': '{ preferredDomain: jitsi.example.com }',
  'org.matrix.msc4143.rtc_foci':
    '[{ type: livekit, livekit_service_url: "https://matrix-rtc.example.com/livekit/jwt" }]',
  'org.matrix.msc2965.authentication': '{ issuer: "https://account.example.com/" }',
  'm.authentication': '{ issuer: "https://account.example.com/" }',
  'm.tile_server': '{ map_style_url: "https://tiles.example.com/style.json" }',
  'org.matrix.msc3488.tile_server': '{ map_style_url: "https://tiles.example.com/style.json" }',
};

/** The config error code of a fault. */
function codeOf(fault: SettingFault): ConfigErrorCode {
  if (fault.missing) return 'required';
  switch (fault.expected) {
    case 'https-url':
    case 'issuer-url':
      return 'invalid-url';
    case 'host':
      return 'invalid-server-name';
    case 'choice':
      return 'invalid-choice';
    default:
      return 'wrong-type';
  }
}

/** What to write instead, for one fault of `key`. */
function fixOf(key: string, fault: SettingFault, locale: Locale, t: Text): string {
  const example = EXAMPLES[key] ?? '{ ... }';
  if (fault.path.length === 0) return t('fix.shape', { list: fault.expected === 'array', key, example });
  switch (fault.expected) {
    case 'boolean':
      // YAML 1.2 (this server) reads yes/no/on/off as strings, where Synapse's YAML 1.1 reads booleans.
      return t('fix.boolean');
    case 'https-url':
    case 'issuer-url':
      return t('fix.httpsUrl', { issuer: fault.expected === 'issuer-url', key, example });
    case 'host':
      return t('fix.host', { key, example });
    case 'choice':
      return t('fix.choice', { expected: expectation(fault, locale, t) });
    case 'string':
      return t('fix.string');
    default:
      return t('fix.other', { expected: expectation(fault, locale, t), key, example });
  }
}

/** Warnings for valid values that clients read differently than the admin probably means. */
function warnAbout(
  issues: ConfigIssues,
  path: readonly ConfigPathSegment[],
  key: string,
  value: JsonValue,
  content: JsonObject,
): void {
  const t = localize(CLIENT_TEXTS, issues.locale);
  const [e2eeCurrent, e2eeOlder] = CLIENT_SETTING_KEYS.e2ee;
  const [jitsiCurrent, jitsiOlder] = CLIENT_SETTING_KEYS.jitsi;
  const [tileStable, tileUnstable] = CLIENT_SETTING_KEYS.tileServer;
  if (key === e2eeOlder && !Object.hasOwn(content, e2eeCurrent))
    issues.warn(path, t('warn.deprecatedE2ee', { older: e2eeOlder, current: e2eeCurrent }));
  if (key === tileUnstable && !Object.hasOwn(content, tileStable))
    issues.warn(path, t('warn.unstableTile', { unstable: tileUnstable, stable: tileStable }));
  if (key === e2eeCurrent || key === e2eeOlder) {
    const retired = retiredE2eeFields(value);
    if (retired.length > 0) issues.warn(path, t('warn.retired', { fields: retired }));
    if (isMapping(value) && value['default'] === true && value['force_disable'] === true)
      issues.warn(path, t('warn.forceDisable'));
  }
  if (key === jitsiCurrent && Object.hasOwn(content, jitsiOlder)) {
    const domain = (v: JsonValue | undefined): unknown => (isMapping(v) ? v['preferredDomain'] : undefined);
    if (domain(value) !== domain(content[jitsiOlder]))
      issues.warn(path, t('warn.jitsiDisagree', { current: jitsiCurrent, older: jitsiOlder }));
  }
}

/**
 * Checks the client settings keys of `extra_well_known_client_content` with the rules the checker reports by
 * (`client-settings-values.ts`): a value clients would misread or ignore (`default: "false"`, a Jitsi domain written as
 * a URL, an http issuer, a foci list that is not a list) is an error naming the key, the problem and the fix, so it is
 * never served; deprecated names, fields Element no longer reads and contradictions are warnings. Other keys pass.
 */
export function validateClientSettingsContent(
  issues: ConfigIssues,
  path: readonly ConfigPathSegment[],
  content: JsonObject,
): void {
  const t = localize(CLIENT_TEXTS, issues.locale);
  for (const [key, value] of Object.entries(content)) {
    const faults = clientSettingFaults(key, value);
    if (faults === null) continue;
    for (const fault of faults) {
      const where = [...path, key, ...fault.path];
      const expected = expectation(fault, issues.locale, t);
      const problem = fault.missing
        ? t('settings.missing', { key, field: String(fault.path[fault.path.length - 1]), expected })
        : t('settings.wrong', { expected, value: describeValue(fault.value, issues.locale) });
      issues.error(where, codeOf(fault), problem, fixOf(key, fault, issues.locale, t));
    }
    if (faults.length === 0) warnAbout(issues, [...path, key], key, value, content);
  }
}
