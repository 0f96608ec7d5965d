// Validates the client settings inside extra_well_known_client_content with the checker's rules, before they are served.

import {
  clientSettingFaults,
  faultExpectation,
  retiredE2eeFields,
  type SettingFault,
} from '../check-report/client-settings-values.js';
import { CLIENT_SETTING_KEYS } from '../check-report/client-settings.js';
import { describeValue, isMapping } from './fields.js';
import type { ConfigIssues } from './issues.js';
import type { ConfigErrorCode, ConfigPathSegment, JsonObject, JsonValue } from './types.js';

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
function fixOf(key: string, fault: SettingFault): string {
  const example = EXAMPLES[key] ?? '{ ... }';
  if (fault.path.length === 0)
    return `write it as ${fault.expected === 'array' ? 'a list' : 'a mapping'}, e.g. ${key}: ${example}`;
  switch (fault.expected) {
    case 'boolean':
      // YAML 1.2 (this server) reads yes/no/on/off as strings, where Synapse's YAML 1.1 reads booleans.
      return 'write true or false without quotes (not "false", no or off: those are strings here, and clients read a string as true)';
    case 'https-url':
    case 'issuer-url':
      return `write an https:// URL${fault.expected === 'issuer-url' ? ' without ? or #' : ''}, e.g. ${key}: ${example}`;
    case 'host':
      return `write the host name alone, without https:// or a path, e.g. ${key}: ${example}`;
    case 'choice':
      return `use ${faultExpectation(fault)}`;
    case 'string':
      return 'write a string, e.g. type: livekit';
    default:
      return `write it as ${faultExpectation(fault)}, e.g. ${key}: ${example}`;
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
  const [e2eeCurrent, e2eeOlder] = CLIENT_SETTING_KEYS.e2ee;
  const [jitsiCurrent, jitsiOlder] = CLIENT_SETTING_KEYS.jitsi;
  const [tileStable, tileUnstable] = CLIENT_SETTING_KEYS.tileServer;
  if (key === e2eeOlder && !Object.hasOwn(content, e2eeCurrent))
    issues.warn(path, `${e2eeOlder} is the deprecated name: write ${e2eeCurrent} (Element reads it first)`);
  if (key === tileUnstable && !Object.hasOwn(content, tileStable))
    issues.warn(path, `${tileUnstable} is MSC3488's unstable name: write ${tileStable} (Element reads it first)`);
  if (key === e2eeCurrent || key === e2eeOlder) {
    const retired = retiredE2eeFields(value);
    if (retired.length > 0)
      issues.warn(
        path,
        `Element Web no longer reads ${retired.join(' and ')}: remove them unless older clients need them`,
      );
    if (isMapping(value) && value['default'] === true && value['force_disable'] === true)
      issues.warn(path, 'default: true has no effect while force_disable is true (clients disable encryption)');
  }
  if (key === jitsiCurrent && Object.hasOwn(content, jitsiOlder)) {
    const domain = (v: JsonValue | undefined): unknown => (isMapping(v) ? v['preferredDomain'] : undefined);
    if (domain(value) !== domain(content[jitsiOlder]))
      issues.warn(
        path,
        `${jitsiCurrent} and ${jitsiOlder} name different Jitsi servers: Element Web uses ${jitsiCurrent}, Element Android ${jitsiOlder}`,
      );
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
  for (const [key, value] of Object.entries(content)) {
    const faults = clientSettingFaults(key, value);
    if (faults === null) continue;
    for (const fault of faults) {
      const where = [...path, key, ...fault.path];
      const problem = fault.missing
        ? `${key} needs ${String(fault.path[fault.path.length - 1])}: ${faultExpectation(fault)}`
        : `expected ${faultExpectation(fault)}, got ${describeValue(fault.value)}`;
      issues.error(where, codeOf(fault), problem, fixOf(key, fault));
    }
    if (faults.length === 0) warnAbout(issues, [...path, key], key, value, content);
  }
}
