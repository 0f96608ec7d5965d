// The rules for the values of the client settings keys, pure: what the checker reports and the config refuses.

import { parseServerName } from '../server-name/index.js';
import { SECURE_BACKUP_SETUP_METHODS } from './client-settings.js';

/** What a setting's field must be. */
export type SettingExpectation =
  | 'object'
  | 'array'
  | 'string'
  | 'boolean'
  /** An absolute `https://` URL with a host and no user name or password. */
  | 'https-url'
  /** An `https-url` without query or fragment (an OAuth 2.0 issuer identifier, RFC 8414 §2). */
  | 'issuer-url'
  /** A host name, optionally with a port, without scheme or path (`jitsi.example.com`). */
  | 'host'
  /** One of `choices`. */
  | 'choice';

/** Words for each expectation, as a sentence ends: "`default` must be {words}". One place for every reader. */
export const SETTING_EXPECTATION_WORDS: Readonly<Record<SettingExpectation, string>> = Object.freeze({
  object: 'an object',
  array: 'a list (a JSON array)',
  string: 'a string',
  boolean: 'true or false (a JSON boolean, not a string)',
  'https-url': 'an https:// URL',
  'issuer-url': 'an https:// URL without query or fragment',
  host: 'a host name without scheme or path (e.g. jitsi.example.com)',
  choice: 'one of the listed values',
});

/** One thing wrong with a setting's value. */
export interface SettingFault {
  /** Where inside the key's value: `[]` for the value itself, `['default']`, `['secure_backup_setup_methods', 1]`. */
  readonly path: readonly (string | number)[];
  /** The field is required and absent. */
  readonly missing: boolean;
  readonly expected: SettingExpectation;
  /** The allowed values, for `choice`. */
  readonly choices?: readonly string[];
  /** The value found (undefined when missing). */
  readonly value: unknown;
}

/** The JSON type of a value, one word: `object`, `array`, `string`, `number`, `boolean` or `null`. */
export function jsonTypeWord(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Why `text` is not an https URL clients can use, or null. `issuer` adds RFC 8414's no query, no fragment. */
export function httpsUrlFault(text: string, issuer = false): 'not-url' | 'not-https' | 'has-query' | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'not-url';
  }
  // WHATWG URL parsing forgives "https:host" and "https:\\host"; the clients reading the text may not.
  if (url.protocol !== 'https:' || !/^https:\/\//i.test(text)) return 'not-https';
  if (url.hostname === '' || url.username !== '' || url.password !== '') return 'not-url';
  if (issuer && (url.search !== '' || url.hash !== '' || text.includes('?') || text.includes('#'))) return 'has-query';
  return null;
}

/** True for a host name or IP literal with an optional port (the server-name grammar), as a Jitsi domain is written. */
export function isHostName(text: string): boolean {
  return parseServerName(text).ok;
}

/** Collects the faults of one object's fields. */
class Faults {
  readonly list: SettingFault[] = [];

  add(path: readonly (string | number)[], expected: SettingExpectation, value: unknown, missing = false): void {
    this.list.push({ path, missing, expected, value });
  }

  /** A field that, when present, must be a boolean. */
  optionalBoolean(object: Readonly<Record<string, unknown>>, field: string): void {
    if (Object.hasOwn(object, field) && typeof object[field] !== 'boolean') this.add([field], 'boolean', object[field]);
  }

  /** A field that must be an https URL (`required`: also present). */
  url(
    object: Readonly<Record<string, unknown>>,
    field: string,
    required: boolean,
    expected: 'https-url' | 'issuer-url' = 'https-url',
  ): void {
    const value = object[field];
    if (!Object.hasOwn(object, field)) {
      if (required) this.add([field], expected, undefined, true);
      return;
    }
    if (typeof value !== 'string' || httpsUrlFault(value, expected === 'issuer-url') !== null)
      this.add([field], expected, value);
  }
}

/**
 * `io.element.e2ee` (and `im.vector.riot.e2ee`): an object whose `default`, `force_disable` and
 * `secure_backup_required` are booleans and whose `secure_backup_setup_methods` lists `key` and/or `passphrase`
 * (Element Web `docs/e2ee.md`). Element compares `default === false`: the string "false" leaves encryption on.
 */
export function e2eeFaults(value: unknown): SettingFault[] {
  const faults = new Faults();
  if (!isObject(value)) {
    faults.add([], 'object', value);
    return faults.list;
  }
  for (const field of ['default', 'force_disable', 'secure_backup_required']) faults.optionalBoolean(value, field);
  if (Object.hasOwn(value, 'secure_backup_setup_methods')) {
    const methods = value['secure_backup_setup_methods'];
    if (!Array.isArray(methods)) faults.add(['secure_backup_setup_methods'], 'array', methods);
    else
      methods.forEach((method: unknown, index) => {
        if (typeof method !== 'string' || !SECURE_BACKUP_SETUP_METHODS.includes(method))
          faults.list.push({
            path: ['secure_backup_setup_methods', index],
            missing: false,
            expected: 'choice',
            choices: SECURE_BACKUP_SETUP_METHODS,
            value: method,
          });
      });
  }
  return faults.list;
}

/** The fields of an E2EE setting that Element Web no longer reads (its `docs/e2ee.md`, "Removal of old settings"). */
export function retiredE2eeFields(value: unknown): string[] {
  if (!isObject(value)) return [];
  return ['secure_backup_required', 'secure_backup_setup_methods'].filter((f) => Object.hasOwn(value, f));
}

/**
 * `io.element.jitsi` / `im.vector.riot.jitsi`: `preferredDomain`, the host of a Jitsi Meet server (Element builds
 * `https://<preferredDomain>/...` from it and compares it with URL host names), and `useFor1To1Calls`, a boolean.
 */
export function jitsiFaults(value: unknown): SettingFault[] {
  const faults = new Faults();
  if (!isObject(value)) {
    faults.add([], 'object', value);
    return faults.list;
  }
  const domain = value['preferredDomain'];
  if (!Object.hasOwn(value, 'preferredDomain')) faults.add(['preferredDomain'], 'host', undefined, true);
  else if (typeof domain !== 'string' || !isHostName(domain)) faults.add(['preferredDomain'], 'host', domain);
  faults.optionalBoolean(value, 'useFor1To1Calls');
  return faults.list;
}

/**
 * `org.matrix.msc4143.rtc_foci`: a list of objects with a `type` string; a `livekit` focus has a
 * `livekit_service_url`, the https base URL of its LiveKit JWT service (MSC4195). Other types are allowed as they are.
 */
export function rtcFociFaults(value: unknown): SettingFault[] {
  const faults = new Faults();
  if (!Array.isArray(value)) {
    faults.add([], 'array', value);
    return faults.list;
  }
  value.forEach((focus: unknown, index) => {
    if (!isObject(focus)) {
      faults.add([index], 'object', focus);
      return;
    }
    if (typeof focus['type'] !== 'string')
      faults.add([index, 'type'], 'string', focus['type'], !Object.hasOwn(focus, 'type'));
    else if (focus['type'] === 'livekit') {
      const url = focus['livekit_service_url'];
      if (!Object.hasOwn(focus, 'livekit_service_url'))
        faults.add([index, 'livekit_service_url'], 'https-url', undefined, true);
      else if (typeof url !== 'string' || httpsUrlFault(url) !== null)
        faults.add([index, 'livekit_service_url'], 'https-url', url);
    }
  });
  return faults.list;
}

/**
 * `org.matrix.msc2965.authentication`: `issuer`, the OpenID provider's https issuer identifier without query or
 * fragment, and optionally `account`, an https URL of its account page (MSC2965, first form).
 */
export function authenticationFaults(value: unknown): SettingFault[] {
  const faults = new Faults();
  if (!isObject(value)) {
    faults.add([], 'object', value);
    return faults.list;
  }
  faults.url(value, 'issuer', true, 'issuer-url');
  faults.url(value, 'account', false);
  return faults.list;
}

/** `m.tile_server` / `org.matrix.msc3488.tile_server`: `map_style_url`, the https URL of a MapLibre style (MSC3488). */
export function tileServerFaults(value: unknown): SettingFault[] {
  const faults = new Faults();
  if (!isObject(value)) {
    faults.add([], 'object', value);
    return faults.list;
  }
  faults.url(value, 'map_style_url', true);
  return faults.list;
}

/** The faults of any settings key whose value the rules know (see `CLIENT_SETTING_KEYS`), or null for another key. */
export function clientSettingFaults(key: string, value: unknown): SettingFault[] | null {
  switch (key) {
    case 'io.element.e2ee':
    case 'im.vector.riot.e2ee':
      return e2eeFaults(value);
    case 'io.element.jitsi':
    case 'im.vector.riot.jitsi':
      return jitsiFaults(value);
    case 'org.matrix.msc4143.rtc_foci':
      return rtcFociFaults(value);
    case 'org.matrix.msc2965.authentication':
    case 'm.authentication':
      return authenticationFaults(value);
    case 'm.tile_server':
    case 'org.matrix.msc3488.tile_server':
      return tileServerFaults(value);
    default:
      return null;
  }
}

/** A fault's field for a sentence: `io.element.e2ee.default`, `org.matrix.msc4143.rtc_foci[0].type`. */
export function faultField(key: string, fault: SettingFault): string {
  let text = key;
  for (const segment of fault.path) text += typeof segment === 'number' ? `[${segment}]` : `.${segment}`;
  return text;
}

/** What a fault expects, in words (`true or false (...)`, `one of "key", "passphrase"`). */
export function faultExpectation(fault: SettingFault): string {
  if (fault.expected === 'choice' && fault.choices !== undefined)
    return `one of ${fault.choices.map((c) => JSON.stringify(c)).join(', ')}`;
  return SETTING_EXPECTATION_WORDS[fault.expected];
}
