// Rules over the client and support document checks: each problem they report becomes a hint with a concrete fix.

import type { ClientDocumentProblem, ClientDocumentReport, SupportDocumentProblem } from '../../check-report/index.js';
import { localize, type Locale, type Localized } from '../../i18n/index.js';
import type { HintId } from '../catalogue.js';
import type { Facts } from '../facts.js';
import type { Finding, Rule } from '../rule.js';
import { documentProblemWords } from './document-words.js';
import { unreadWords } from './read-back.js';
import { DOCUMENT_TEXTS } from './documents-texts.js';
import { baseUrlMatrixPath } from './field-client.js';

type Texts = Localized<(typeof DOCUMENT_TEXTS)['en']>;

/** The base URL clients should be given: the delegated host (or the server name's host) over https. */
function baseUrlSuggestion(facts: Facts): string {
  const base = facts.client?.homeserver?.baseUrl;
  if (typeof base === 'string' && /^https:\/\//.test(base)) return base;
  const host = facts.delegated?.kind === 'dns' ? facts.delegated.host : (facts.host ?? 'matrix.example.com');
  return `https://${host}`;
}

function clientDocument(facts: Facts): string {
  return `{"m.homeserver": {"base_url": "${baseUrlSuggestion(facts)}"}}`;
}

function clientUrl(facts: Facts): string {
  return facts.client?.url ?? `https://${facts.host ?? facts.serverName}/.well-known/matrix/client`;
}

/** How each client problem code maps to a hint, and the fix to give. */
function clientHint(p: ClientDocumentProblem, facts: Facts, t: Texts): { id: HintId; fix: string } {
  const url = clientUrl(facts);
  const document = clientDocument(facts);
  switch (p.code) {
    case 'CLIENT_NOT_FOUND':
      return { id: 'client-well-known-missing', fix: t('client-well-known-missing', { document, url }) };
    case 'CLIENT_FETCH_FAILED':
      return { id: 'client-fetch-failed', fix: t('client-fetch-failed', { document, url }) };
    case 'CLIENT_HTTP_STATUS':
      return { id: 'client-http-status', fix: t('client-http-status', { document, url }) };
    case 'CLIENT_HTML_BODY':
      return { id: 'client-html', fix: t('client-html', { document }) };
    case 'CLIENT_BOM':
      return { id: 'client-bom', fix: t('client-bom') };
    case 'CLIENT_EMPTY_BODY':
    case 'CLIENT_INVALID_JSON':
    case 'CLIENT_NOT_OBJECT':
      return { id: 'client-invalid-document', fix: t('client-invalid-document', { document, url }) };
    case 'CLIENT_MISSING_BASE_URL':
      return { id: 'client-base-url-missing', fix: t('client-base-url-missing', { document }) };
    case 'CLIENT_INVALID_BASE_URL':
    case 'CLIENT_BASE_URL_NOT_HTTPS':
      return { id: 'client-base-url-invalid', fix: t('client-base-url-invalid', { document }) };
    case 'CLIENT_VERSIONS_FAILED':
    case 'CLIENT_VERSIONS_INVALID':
      return {
        id: 'client-homeserver-unreachable',
        fix: t('client-homeserver-unreachable', { base: baseUrlSuggestion(facts) }),
      };
    case 'CLIENT_IDENTITY_MISSING_BASE_URL':
    case 'CLIENT_IDENTITY_INVALID_BASE_URL':
    case 'CLIENT_IDENTITY_FAILED':
      return { id: 'client-identity-server-broken', fix: t('client-identity-server-broken') };
    case 'CLIENT_CONTENT_TYPE':
      return { id: 'client-content-type', fix: t('client-content-type') };
    case 'CLIENT_CORS_MISSING': {
      const blocking =
        facts.client?.cors.get?.some((m) => m.startsWith('Access-Control-Allow-Origin')) ?? p.severity === 'error';
      return { id: blocking ? 'client-cors-missing' : 'client-cors-incomplete', fix: t('client-cors', { url }) };
    }
    case 'CLIENT_PREFLIGHT_FAILED':
    case 'CLIENT_PREFLIGHT_CORS_MISSING':
      return { id: 'client-preflight-failed', fix: t('client-preflight-failed', { url }) };
    default:
      return { id: 'client-problem', fix: t('client-problem') };
  }
}

/** How each support problem code maps to a hint, and the fix to give. */
function supportHint(p: SupportDocumentProblem, facts: Facts, t: Texts): { id: HintId; fix: string } {
  const url = facts.support?.url ?? `https://${facts.host ?? facts.serverName}/.well-known/matrix/support`;
  const example = `{"contacts": [{"matrix_id": "@admin:${facts.serverName}", "email_address": "admin@${facts.host ?? 'example.com'}", "role": "m.role.admin"}]}`;
  switch (p.code) {
    case 'SUPPORT_FETCH_FAILED':
      return { id: 'support-fetch-failed', fix: t('support-fetch-failed', { url }) };
    case 'SUPPORT_HTTP_STATUS':
      return { id: 'support-http-status', fix: t('support-http-status', { url }) };
    case 'SUPPORT_HTML_BODY':
      return { id: 'support-html', fix: t('support-html', { example }) };
    case 'SUPPORT_BOM':
      return { id: 'support-bom', fix: t('support-bom') };
    case 'SUPPORT_EMPTY_BODY':
    case 'SUPPORT_INVALID_JSON':
    case 'SUPPORT_NOT_OBJECT':
    case 'SUPPORT_CONTACTS_NOT_ARRAY':
    case 'SUPPORT_EMPTY':
      return { id: 'support-invalid-document', fix: t('support-invalid-document', { example }) };
    case 'SUPPORT_CONTACT_NOT_OBJECT':
    case 'SUPPORT_CONTACT_MISSING_ROLE':
    case 'SUPPORT_CONTACT_INVALID_ROLE':
    case 'SUPPORT_CONTACT_NO_ADDRESS':
    case 'SUPPORT_CONTACT_INVALID_MATRIX_ID':
    case 'SUPPORT_CONTACT_INVALID_EMAIL':
      return { id: 'support-contact-invalid', fix: t('support-contact-invalid', { example }) };
    case 'SUPPORT_CONTACT_ROLE_NOT_NAMESPACED':
      return { id: 'support-role-not-namespaced', fix: t('support-role-not-namespaced') };
    case 'SUPPORT_PAGE_INVALID':
      return { id: 'support-page-invalid', fix: t('support-page-invalid') };
    case 'SUPPORT_PAGE_NOT_HTTPS':
      return { id: 'support-page-not-https', fix: t('support-page-not-https') };
    case 'SUPPORT_CONTENT_TYPE':
      return { id: 'support-content-type', fix: t('support-content-type') };
    case 'SUPPORT_CORS_MISSING':
      return { id: 'support-cors-missing', fix: t('support-cors-missing', { url }) };
    default:
      return { id: 'support-problem', fix: t('support-problem') };
  }
}

/**
 * A problem's sentence in `locale`: as the check wrote it in English; in another language said again from the values
 * read back out of it (shown as it is, marked, when it cannot be read back).
 */
function problemSentence(
  problem: { readonly code: string; readonly message: string; readonly cause?: string | null },
  kind: 'client' | 'support',
  locale: Locale,
): string {
  if (locale === 'en') return problem.message;
  return (
    documentProblemWords(kind, problem.code, problem.message, problem.cause ?? null, locale) ??
    unreadWords(problem.message, locale)
  );
}

/** One finding per hint id: problems mapping to the same hint are joined. */
function collect(entries: readonly { id: HintId; fix: string; message: string }[], t: Texts): Finding[] {
  const byId = new Map<HintId, { fix: string; messages: string[] }>();
  for (const e of entries) {
    const found = byId.get(e.id);
    if (found === undefined) byId.set(e.id, { fix: e.fix, messages: [e.message] });
    else if (!found.messages.includes(e.message)) found.messages.push(e.message);
  }
  return [...byId].map(([id, { fix, messages }]) => ({ id, detail: t('detail', { sentences: messages }), fix }));
}

/** Every problem of the client document check, as hints. */
export const clientDocumentHints: Rule = (facts) => {
  const report: ClientDocumentReport | null = facts.client;
  if (report === null) return [];
  const t = localize(DOCUMENT_TEXTS, facts.locale);
  // A base URL with a /_matrix path fails its /versions request: client-base-url-has-path says why and what to write.
  const pathExplains = baseUrlMatrixPath(facts) !== null;
  const problems = report.problems.filter(
    (p) => !(pathExplains && (p.code === 'CLIENT_VERSIONS_FAILED' || p.code === 'CLIENT_VERSIONS_INVALID')),
  );
  return collect(
    problems.map((p) => ({ ...clientHint(p, facts, t), message: problemSentence(p, 'client', facts.locale) })),
    t,
  );
};

/** Every problem of the support document check, as hints. */
export const supportDocumentHints: Rule = (facts) => {
  const report = facts.support;
  if (report === null) return [];
  const t = localize(DOCUMENT_TEXTS, facts.locale);
  return collect(
    report.problems.map((p) => ({
      ...supportHint(p, facts, t),
      message: problemSentence(p, 'support', facts.locale),
    })),
    t,
  );
};

/** The rules of this file, in order. */
export const documentRules: readonly Rule[] = [clientDocumentHints, supportDocumentHints];
