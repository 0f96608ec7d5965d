// Validates the client document's keys: public_baseurl, default_identity_server, extra_well_known_client_content.

import { localize } from '../i18n/index.js';
import { describeValue, isMapping, present, readString } from './fields.js';
import type { RawMapping } from './fields.js';
import type { ConfigIssues } from './issues.js';
import type { ConfigPathSegment, JsonObject, JsonValue } from './types.js';
import { checkHttpUrl } from './url.js';
import { validateClientSettingsContent } from './validate-client-settings.js';
import { CLIENT_TEXTS } from './validate-client-texts.js';

/** The validated client-document settings. */
export interface ClientSettings {
  readonly publicBaseurl: string | null;
  readonly defaultIdentityServer: string | null;
  readonly extraWellKnownClientContent: JsonObject;
}

/**
 * Keys of the client document that Synapse fills itself and refuses in `extra_well_known_client_content`
 * (spec client-server API "Well-known URIs": `m.homeserver` is required, `m.identity_server` optional).
 */
const RESERVED_CLIENT_KEYS: Readonly<Record<string, 'extras.reservedHomeserver' | 'extras.reservedIdentityServer'>> = {
  'm.homeserver': 'extras.reservedHomeserver',
  'm.identity_server': 'extras.reservedIdentityServer',
};

/** Validates the three client-document keys; a key with an error is returned as unset. */
export function validateClientSettings(issues: ConfigIssues, root: RawMapping): ClientSettings {
  const baseurlText = readString(issues, root, 'public_baseurl', [], 'https://matrix.example.com/');
  let publicBaseurl: string | null = null;
  if (baseurlText !== undefined) {
    const checked = checkHttpUrl(issues, ['public_baseurl'], baseurlText, {
      example: 'https://matrix.example.com/',
      baseUrl: true,
    });
    // Synapse adds the trailing slash; clients must accept both forms (spec "Well-known URIs" step 5.3).
    if (checked !== undefined) publicBaseurl = checked.endsWith('/') ? checked : `${checked}/`;
  }

  const identityText = readString(issues, root, 'default_identity_server', [], 'https://vector.im');
  let defaultIdentityServer: string | null = null;
  if (identityText !== undefined) {
    defaultIdentityServer =
      checkHttpUrl(issues, ['default_identity_server'], identityText, {
        example: 'https://vector.im',
        baseUrl: true,
      }) ?? null;
  }

  const extraWellKnownClientContent = readExtras(issues, root);
  if (
    publicBaseurl === null &&
    (defaultIdentityServer !== null || Object.keys(extraWellKnownClientContent).length > 0)
  ) {
    const which = defaultIdentityServer !== null ? 'default_identity_server' : 'extra_well_known_client_content';
    issues.warn([which], localize(CLIENT_TEXTS, issues.locale)('client.noBaseurl'));
  }
  return { publicBaseurl, defaultIdentityServer, extraWellKnownClientContent };
}

function readExtras(issues: ConfigIssues, root: RawMapping): JsonObject {
  const raw = present(root, 'extra_well_known_client_content');
  const path = ['extra_well_known_client_content'];
  if (raw === undefined) return {};
  const t = localize(CLIENT_TEXTS, issues.locale);
  if (!isMapping(raw)) {
    issues.error(
      path,
      'not-a-mapping',
      t('extras.notMappingProblem', { value: describeValue(raw, issues.locale) }),
      t('extras.notMappingFix'),
    );
    return {};
  }
  const result: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(raw)) {
    // Own members only: `RESERVED_CLIENT_KEYS['toString']` would find Object.prototype's and refuse a harmless key.
    const reserved = Object.hasOwn(RESERVED_CLIENT_KEYS, key) ? RESERVED_CLIENT_KEYS[key] : undefined;
    if (reserved !== undefined) {
      issues.error([...path, key], 'forbidden-key', t('extras.reservedProblem', { key }), t(reserved));
      continue;
    }
    if (!key.includes('.')) {
      issues.warn([...path, key], t('extras.notNamespaced'));
    }
    const json = toJson(issues, value, [...path, key]);
    if (json !== undefined) setOwn(result, key, json);
  }
  // The settings clients read (E2EE, Jitsi, calls, sign-in, maps) by the checker's rules: refused before being served.
  validateClientSettingsContent(issues, path, result);
  return result;
}

/**
 * Checks that a YAML value can be written as JSON and returns it as a fresh, frozen JSON value: YAML can
 * express NaN, infinities and (with tags) other types that JSON cannot carry.
 */
export function toJson(
  issues: ConfigIssues,
  value: unknown,
  path: readonly ConfigPathSegment[],
): JsonValue | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  const t = localize(CLIENT_TEXTS, issues.locale);
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    issues.error(path, 'not-json', t('json.numberProblem', { value: String(value) }), t('json.numberFix'));
    return undefined;
  }
  if (Array.isArray(value)) {
    const items: JsonValue[] = [];
    let ok = true;
    value.forEach((item: unknown, index) => {
      const json = toJson(issues, item, [...path, index]);
      if (json === undefined) ok = false;
      else items.push(json);
    });
    return ok ? Object.freeze(items) : undefined;
  }
  if (isMapping(value)) {
    const object: Record<string, JsonValue> = {};
    let ok = true;
    for (const [key, item] of Object.entries(value)) {
      const json = toJson(issues, item, [...path, key]);
      if (json === undefined) ok = false;
      else setOwn(object, key, json);
    }
    return ok ? Object.freeze(object) : undefined;
  }
  issues.error(
    path,
    'not-json',
    t('json.otherProblem', { value: describeValue(value, issues.locale) }),
    t('json.otherFix'),
  );
  return undefined;
}

/** Assigns an own, enumerable property, also for the key `__proto__` (which plain assignment would not create). */
function setOwn(target: Record<string, JsonValue>, key: string, value: JsonValue): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
