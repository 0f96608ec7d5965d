// Validates `support`: the content of /.well-known/matrix/support (client-server API, spec v1.10).

import { localize, type Localized } from '../i18n/index.js';
import { parseServerName, serverNameProblem } from '../server-name/index.js';
import { describeValue, isMapping, present, readSection, readString, warnUnknownKeys } from './fields.js';
import type { RawMapping } from './fields.js';
import type { ConfigIssues } from './issues.js';
import { CONTACT_KEYS, SUPPORT_KEYS } from './schema.js';
import { suggestKey } from './suggest.js';
import type { ConfigPathSegment, SupportConfig, SupportContact } from './types.js';
import { checkHttpUrl } from './url.js';
import { CLIENT_TEXTS } from './validate-client-texts.js';

/** The support checks' words in the issues' language. */
function texts(issues: ConfigIssues): Localized<(typeof CLIENT_TEXTS)['en']> {
  return localize(CLIENT_TEXTS, issues.locale);
}

/** The roles the spec defines for support contacts. */
export const SPEC_SUPPORT_ROLES: readonly string[] = ['m.role.admin', 'm.role.security'];

/** Spec appendix "Common Namespaced Identifier Grammar": 1-255 of `[a-z0-9._-]`, starting with a letter. */
const NAMESPACED_IDENTIFIER = /^[a-z][a-z0-9._-]{0,254}$/;

/** The spec appendix "User Identifiers" limit on a whole user ID. */
const MAX_USER_ID_LENGTH = 255;

/** Validates `support`; null when it is absent or has errors. */
export function validateSupport(issues: ConfigIssues, root: RawMapping): SupportConfig | null {
  const section = readSection(issues, root, 'support', [], SUPPORT_KEYS);
  if (section === undefined) return null;
  const before = issues.errorCount;

  let supportPage: string | null = null;
  const pageText = readString(issues, section, 'support_page', ['support'], 'https://example.com/support');
  if (pageText !== undefined) {
    supportPage =
      checkHttpUrl(issues, ['support', 'support_page'], pageText, {
        example: 'https://example.com/support',
        baseUrl: false,
      }) ?? null;
  }
  const contacts = readContacts(issues, section);

  // The spec: "at least one of contacts or support_page" must be present; an empty contacts list says nothing.
  const rawContacts = present(section, 'contacts');
  const t = texts(issues);
  if (contacts.length === 0 && present(section, 'support_page') === undefined) {
    if (rawContacts === undefined) {
      issues.error(['support'], 'required', t('support.nothingProblem'), t('support.nothingFix'));
    } else if (Array.isArray(rawContacts) && rawContacts.length === 0) {
      issues.error(['support', 'contacts'], 'empty', t('support.emptyProblem'), t('support.emptyFix'));
    }
  }
  if (issues.errorCount !== before) return null;
  return { contacts, supportPage };
}

function readContacts(issues: ConfigIssues, section: RawMapping): SupportContact[] {
  const raw = present(section, 'contacts');
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    const t = texts(issues);
    issues.error(
      ['support', 'contacts'],
      'wrong-type',
      t('support.notListProblem', { value: describeValue(raw, issues.locale) }),
      t('support.notListFix'),
    );
    return [];
  }
  const contacts: SupportContact[] = [];
  raw.forEach((item: unknown, index) => {
    const contact = readContact(issues, item, ['support', 'contacts', index]);
    if (contact !== undefined) contacts.push(contact);
  });
  return contacts;
}

function readContact(
  issues: ConfigIssues,
  item: unknown,
  path: readonly ConfigPathSegment[],
): SupportContact | undefined {
  const t = texts(issues);
  if (!isMapping(item)) {
    issues.error(
      path,
      'not-a-mapping',
      t('contact.notMappingProblem', { value: describeValue(item, issues.locale) }),
      t('contact.notMappingFix'),
    );
    return undefined;
  }
  warnUnknownKeys(issues, item, path, CONTACT_KEYS);
  const before = issues.errorCount;
  const role = readString(issues, item, 'role', path, 'm.role.admin');
  if (role === undefined && present(item, 'role') === undefined) {
    issues.error([...path, 'role'], 'required', t('contact.noRoleProblem'), t('contact.noRoleFix'));
  } else if (role !== undefined) {
    checkRole(issues, role, [...path, 'role']);
  }
  const matrixId = readString(issues, item, 'matrix_id', path, '@admin:example.com');
  if (matrixId !== undefined) checkMatrixId(issues, matrixId, [...path, 'matrix_id']);
  const emailAddress = readString(issues, item, 'email_address', path, 'admin@example.com');
  if (emailAddress !== undefined) checkEmail(issues, emailAddress, [...path, 'email_address']);
  if (present(item, 'matrix_id') === undefined && present(item, 'email_address') === undefined) {
    issues.error(path, 'missing-contact-address', t('contact.noAddressProblem'), t('contact.noAddressFix'));
  }
  if (issues.errorCount !== before || role === undefined) return undefined;
  return {
    role,
    ...(matrixId === undefined ? {} : { matrixId }),
    ...(emailAddress === undefined ? {} : { emailAddress }),
  };
}

/** The spec's roles, or a namespaced role of the admin's own (spec: "Unspecified roles are permitted through the use of Namespaced Identifiers"). */
function checkRole(issues: ConfigIssues, role: string, path: readonly ConfigPathSegment[]): void {
  if (SPEC_SUPPORT_ROLES.includes(role)) return;
  // `admin` for `m.role.admin`, `m.role.admn` for `m.role.admin`.
  const close = SPEC_SUPPORT_ROLES.includes(`m.role.${role}`) ? `m.role.${role}` : suggestKey(role, SPEC_SUPPORT_ROLES);
  const t = texts(issues);
  const fix = close === undefined ? t('role.namespacedFix') : t('role.didYouMean', { close });
  if (role.startsWith('m.')) {
    issues.error(
      path,
      'invalid-role',
      t('role.reservedProblem', {
        role: JSON.stringify(role),
        roles: t('role.rolesJoin', { roles: SPEC_SUPPORT_ROLES }),
      }),
      fix,
    );
  } else if (!role.includes('.') || !NAMESPACED_IDENTIFIER.test(role)) {
    issues.error(path, 'invalid-role', t('role.notNamespacedProblem', { role: JSON.stringify(role) }), fix);
  }
}

/** `@localpart:server_name`, with the historical localpart grammar (printable ASCII except `:`). */
function checkMatrixId(issues: ConfigIssues, text: string, path: readonly ConfigPathSegment[]): void {
  const t = texts(issues);
  const shown = JSON.stringify(text);
  const fix = t('matrixId.fix');
  if (!text.startsWith('@')) {
    issues.error(
      path,
      'invalid-matrix-id',
      t('matrixId.noAtProblem', { text: shown }),
      text.includes(':') ? t('matrixId.addAt', { id: text }) : fix,
    );
    return;
  }
  const colon = text.indexOf(':');
  if (colon < 0) {
    issues.error(path, 'invalid-matrix-id', t('matrixId.noServerProblem', { text: shown }), fix);
    return;
  }
  const localpart = text.slice(1, colon);
  if (localpart === '' || !/^[\x21-\x39\x3b-\x7e]+$/.test(localpart)) {
    issues.error(
      path,
      'invalid-matrix-id',
      t('matrixId.localpartProblem', { localpart: JSON.stringify(localpart) }),
      fix,
    );
    return;
  }
  const server = parseServerName(text.slice(colon + 1));
  if (!server.ok) {
    issues.error(
      path,
      'invalid-matrix-id',
      t('matrixId.serverProblem', { text: shown, problem: serverNameProblem(server.error, issues.locale) }),
      fix,
    );
    return;
  }
  if (text.length > MAX_USER_ID_LENGTH) {
    issues.error(
      path,
      'invalid-matrix-id',
      t('matrixId.tooLongProblem', { text: shown, max: MAX_USER_ID_LENGTH }),
      t('matrixId.tooLongFix'),
    );
  }
}

function checkEmail(issues: ConfigIssues, text: string, path: readonly ConfigPathSegment[]): void {
  const t = texts(issues);
  if (/^mailto:/i.test(text)) {
    issues.error(
      path,
      'invalid-email',
      t('email.mailtoProblem', { text: JSON.stringify(text) }),
      t('email.mailtoFix', { address: text.slice('mailto:'.length) }),
    );
    return;
  }
  // Deliberately loose (one @, no spaces or angle brackets): exact RFC 5322 checks reject real addresses.
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(text)) {
    issues.error(
      path,
      'invalid-email',
      t('email.invalidProblem', { text: JSON.stringify(text) }),
      t('email.invalidFix'),
    );
  }
}
