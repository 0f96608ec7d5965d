// Validates `support`: the content of /.well-known/matrix/support (client-server API, spec v1.10).

import { parseServerName } from '../server-name/index.js';
import { describeValue, isMapping, present, readSection, readString, warnUnknownKeys } from './fields.js';
import type { RawMapping } from './fields.js';
import type { ConfigIssues } from './issues.js';
import { CONTACT_KEYS, SUPPORT_KEYS } from './schema.js';
import { suggestKey } from './suggest.js';
import type { ConfigPathSegment, SupportConfig, SupportContact } from './types.js';
import { checkHttpUrl } from './url.js';

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
  if (contacts.length === 0 && present(section, 'support_page') === undefined) {
    if (rawContacts === undefined) {
      issues.error(
        ['support'],
        'required',
        'the support document needs contacts or a support_page',
        'add contacts (role plus matrix_id or email_address) and/or support_page, or remove support to serve no support document',
      );
    } else if (Array.isArray(rawContacts) && rawContacts.length === 0) {
      issues.error(
        ['support', 'contacts'],
        'empty',
        'the contacts list is empty and there is no support_page',
        'add a contact, e.g. - { role: m.role.admin, email_address: admin@example.com }, or set support_page',
      );
    }
  }
  if (issues.errorCount !== before) return null;
  return { contacts, supportPage };
}

function readContacts(issues: ConfigIssues, section: RawMapping): SupportContact[] {
  const raw = present(section, 'contacts');
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    issues.error(
      ['support', 'contacts'],
      'wrong-type',
      `expected a list of contacts, got ${describeValue(raw)}`,
      'write each contact as a list item: - { role: m.role.admin, email_address: admin@example.com }',
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
  if (!isMapping(item)) {
    issues.error(
      path,
      'not-a-mapping',
      `expected a contact (role, matrix_id, email_address), got ${describeValue(item)}`,
      'write the contact as a mapping, e.g. - { role: m.role.admin, matrix_id: "@admin:example.com" }',
    );
    return undefined;
  }
  warnUnknownKeys(issues, item, path, CONTACT_KEYS);
  const before = issues.errorCount;
  const role = readString(issues, item, 'role', path, 'm.role.admin');
  if (role === undefined && present(item, 'role') === undefined) {
    issues.error(
      [...path, 'role'],
      'required',
      'a contact needs a role',
      'add role: m.role.admin (or m.role.security, or a namespaced role such as org.example.role.helpdesk)',
    );
  } else if (role !== undefined) {
    checkRole(issues, role, [...path, 'role']);
  }
  const matrixId = readString(issues, item, 'matrix_id', path, '@admin:example.com');
  if (matrixId !== undefined) checkMatrixId(issues, matrixId, [...path, 'matrix_id']);
  const emailAddress = readString(issues, item, 'email_address', path, 'admin@example.com');
  if (emailAddress !== undefined) checkEmail(issues, emailAddress, [...path, 'email_address']);
  if (present(item, 'matrix_id') === undefined && present(item, 'email_address') === undefined) {
    issues.error(
      path,
      'missing-contact-address',
      'a contact needs a matrix_id or an email_address (or both)',
      'add matrix_id: "@admin:example.com" and/or email_address: admin@example.com',
    );
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
  const namespacedFix =
    'use m.role.admin, m.role.security, or a namespaced role of your own such as org.example.role.helpdesk';
  if (role.startsWith('m.')) {
    const fix = close === undefined ? namespacedFix : `did you mean ${close}?`;
    issues.error(
      path,
      'invalid-role',
      `${JSON.stringify(role)} is not a role of the spec (the m. namespace is reserved; only ${SPEC_SUPPORT_ROLES.join(' and ')} exist)`,
      fix,
    );
  } else if (!role.includes('.') || !NAMESPACED_IDENTIFIER.test(role)) {
    const fix = close === undefined ? namespacedFix : `did you mean ${close}?`;
    issues.error(
      path,
      'invalid-role',
      `${JSON.stringify(role)} is neither a spec role nor a namespaced identifier (lowercase letters, digits, ".", "_", "-", with a dot)`,
      fix,
    );
  }
}

/** `@localpart:server_name`, with the historical localpart grammar (printable ASCII except `:`). */
function checkMatrixId(issues: ConfigIssues, text: string, path: readonly ConfigPathSegment[]): void {
  const fix = 'write a full user ID, e.g. "@admin:example.com" (quoted: YAML reads a leading @ as reserved)';
  if (!text.startsWith('@')) {
    issues.error(
      path,
      'invalid-matrix-id',
      `${JSON.stringify(text)} does not start with @`,
      text.includes(':') ? `write "@${text}"` : fix,
    );
    return;
  }
  const colon = text.indexOf(':');
  if (colon < 0) {
    issues.error(path, 'invalid-matrix-id', `${JSON.stringify(text)} has no :server part`, fix);
    return;
  }
  const localpart = text.slice(1, colon);
  if (localpart === '' || !/^[\x21-\x39\x3b-\x7e]+$/.test(localpart)) {
    issues.error(
      path,
      'invalid-matrix-id',
      `the localpart ${JSON.stringify(localpart)} is empty or has characters a user ID cannot contain`,
      fix,
    );
    return;
  }
  const server = parseServerName(text.slice(colon + 1));
  if (!server.ok) {
    issues.error(
      path,
      'invalid-matrix-id',
      `the server part of ${JSON.stringify(text)} is not a valid server name: ${server.error.message}`,
      fix,
    );
    return;
  }
  if (text.length > MAX_USER_ID_LENGTH) {
    issues.error(
      path,
      'invalid-matrix-id',
      `${JSON.stringify(text)} is longer than the ${MAX_USER_ID_LENGTH} characters a user ID may have`,
      'use a shorter user ID',
    );
  }
}

function checkEmail(issues: ConfigIssues, text: string, path: readonly ConfigPathSegment[]): void {
  if (/^mailto:/i.test(text)) {
    issues.error(
      path,
      'invalid-email',
      `${JSON.stringify(text)} is a mailto: link, not an address`,
      `write the address alone: ${text.slice('mailto:'.length)}`,
    );
    return;
  }
  // Deliberately loose (one @, no spaces or angle brackets): exact RFC 5322 checks reject real addresses.
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(text)) {
    issues.error(
      path,
      'invalid-email',
      `${JSON.stringify(text)} is not an e-mail address`,
      'write it as name@example.com',
    );
  }
}
