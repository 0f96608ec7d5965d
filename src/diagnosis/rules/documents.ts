// Rules over the client and support document checks: each problem they report becomes a hint with a concrete fix.

import type { ClientDocumentProblem, ClientDocumentReport, SupportDocumentProblem } from '../../check-report/index.js';
import type { HintId } from '../catalogue.js';
import type { Facts } from '../facts.js';
import type { Finding, Rule } from '../rule.js';
import { baseUrlMatrixPath } from './field-client.js';

/** The spec's CORS headers (client-server API "Web Browser Clients"), as a web server would send them. */
const CORS_LINES =
  'Access-Control-Allow-Origin: *, Access-Control-Allow-Methods: GET, POST, PUT, DELETE, OPTIONS, ' +
  'Access-Control-Allow-Headers: X-Requested-With, Content-Type, Authorization';
const NGINX_CORS =
  'add_header Access-Control-Allow-Origin "*" always; add_header Access-Control-Allow-Methods "GET, POST, PUT, DELETE, OPTIONS" always; ' +
  'add_header Access-Control-Allow-Headers "X-Requested-With, Content-Type, Authorization" always;';

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
function clientHint(p: ClientDocumentProblem, facts: Facts): { id: HintId; fix: string } {
  const url = clientUrl(facts);
  switch (p.code) {
    case 'CLIENT_NOT_FOUND':
      return {
        id: 'client-well-known-missing',
        fix: `Serve ${clientDocument(facts)} at ${url} (with the CORS headers ${CORS_LINES}) so that clients find the homeserver from a user ID.`,
      };
    case 'CLIENT_FETCH_FAILED':
      return {
        id: 'client-fetch-failed',
        fix: `Make ${url} reachable over HTTPS on port 443 with a valid certificate, and serve ${clientDocument(facts)} there.`,
      };
    case 'CLIENT_HTTP_STATUS':
      return {
        id: 'client-http-status',
        fix: `Answer 200 with ${clientDocument(facts)} at ${url}, or 404 if clients should not discover anything.`,
      };
    case 'CLIENT_HTML_BODY':
      return {
        id: 'client-html',
        fix: `Serve the JSON at exactly /.well-known/matrix/client, before any catch-all rule, e.g. nginx: location = /.well-known/matrix/client { default_type application/json; ${NGINX_CORS} return 200 '${clientDocument(facts)}'; }`,
      };
    case 'CLIENT_BOM':
      return {
        id: 'client-bom',
        fix: 'Save the file as UTF-8 without BOM (in Notepad: "UTF-8" rather than "UTF-8 with BOM").',
      };
    case 'CLIENT_EMPTY_BODY':
    case 'CLIENT_INVALID_JSON':
    case 'CLIENT_NOT_OBJECT':
      return { id: 'client-invalid-document', fix: `Serve exactly ${clientDocument(facts)} at ${url}.` };
    case 'CLIENT_MISSING_BASE_URL':
      return { id: 'client-base-url-missing', fix: `Give the homeserver's client URL: ${clientDocument(facts)}.` };
    case 'CLIENT_INVALID_BASE_URL':
    case 'CLIENT_BASE_URL_NOT_HTTPS':
      return {
        id: 'client-base-url-invalid',
        fix: `Write base_url as an https:// URL of the homeserver's client API, e.g. ${clientDocument(facts)}.`,
      };
    case 'CLIENT_VERSIONS_FAILED':
    case 'CLIENT_VERSIONS_INVALID':
      return {
        id: 'client-homeserver-unreachable',
        fix: `base_url must be the URL under which /_matrix/client/ reaches the homeserver: forward /_matrix/ on ${baseUrlSuggestion(facts)} to it (nginx: location /_matrix { proxy_pass http://127.0.0.1:8008; }), or correct base_url.`,
      };
    case 'CLIENT_IDENTITY_MISSING_BASE_URL':
    case 'CLIENT_IDENTITY_INVALID_BASE_URL':
    case 'CLIENT_IDENTITY_FAILED':
      return {
        id: 'client-identity-server-broken',
        fix: 'Give "m.identity_server" a working https base_url (one that answers /_matrix/identity/v2), or remove "m.identity_server" if you use none: clients stop when it fails.',
      };
    case 'CLIENT_CONTENT_TYPE':
      return {
        id: 'client-content-type',
        fix: 'Serve it with Content-Type: application/json (nginx: default_type application/json; in the location block).',
      };
    case 'CLIENT_CORS_MISSING': {
      const blocking =
        facts.client?.cors.get?.some((m) => m.startsWith('Access-Control-Allow-Origin')) ?? p.severity === 'error';
      return {
        id: blocking ? 'client-cors-missing' : 'client-cors-incomplete',
        fix: `Send these headers with ${url}: ${CORS_LINES} (nginx: ${NGINX_CORS}).`,
      };
    }
    case 'CLIENT_PREFLIGHT_FAILED':
    case 'CLIENT_PREFLIGHT_CORS_MISSING':
      return {
        id: 'client-preflight-failed',
        fix: `Answer OPTIONS requests on ${url} with 204 and the CORS headers (nginx: if ($request_method = OPTIONS) { ${NGINX_CORS} return 204; }).`,
      };
    default:
      return { id: 'client-problem', fix: 'See the detail; the client check describes what it expects.' };
  }
}

/** How each support problem code maps to a hint, and the fix to give. */
function supportHint(p: SupportDocumentProblem, facts: Facts): { id: HintId; fix: string } {
  const url = facts.support?.url ?? `https://${facts.host ?? facts.serverName}/.well-known/matrix/support`;
  const example = `{"contacts": [{"matrix_id": "@admin:${facts.serverName}", "email_address": "admin@${facts.host ?? 'example.com'}", "role": "m.role.admin"}]}`;
  switch (p.code) {
    case 'SUPPORT_FETCH_FAILED':
      return {
        id: 'support-fetch-failed',
        fix: `Make ${url} reachable over HTTPS (or answer 404 if you publish no support contacts).`,
      };
    case 'SUPPORT_HTTP_STATUS':
      return {
        id: 'support-http-status',
        fix: `Answer 200 with the document at ${url}, or 404 if you publish no support contacts.`,
      };
    case 'SUPPORT_HTML_BODY':
      return {
        id: 'support-html',
        fix: `Serve the JSON at exactly /.well-known/matrix/support, before any catch-all rule, e.g. ${example}.`,
      };
    case 'SUPPORT_BOM':
      return { id: 'support-bom', fix: 'Save the file as UTF-8 without BOM.' };
    case 'SUPPORT_EMPTY_BODY':
    case 'SUPPORT_INVALID_JSON':
    case 'SUPPORT_NOT_OBJECT':
    case 'SUPPORT_CONTACTS_NOT_ARRAY':
    case 'SUPPORT_EMPTY':
      return {
        id: 'support-invalid-document',
        fix: `Serve a document like ${example} (or with "support_page": "https://..."), or answer 404.`,
      };
    case 'SUPPORT_CONTACT_NOT_OBJECT':
    case 'SUPPORT_CONTACT_MISSING_ROLE':
    case 'SUPPORT_CONTACT_INVALID_ROLE':
    case 'SUPPORT_CONTACT_NO_ADDRESS':
    case 'SUPPORT_CONTACT_INVALID_MATRIX_ID':
    case 'SUPPORT_CONTACT_INVALID_EMAIL':
      return {
        id: 'support-contact-invalid',
        fix: `Give each contact a "role" ("m.role.admin", "m.role.security" or a namespaced one such as "org.example.abuse") and a "matrix_id" and/or "email_address", e.g. ${example}.`,
      };
    case 'SUPPORT_CONTACT_ROLE_NOT_NAMESPACED':
      return {
        id: 'support-role-not-namespaced',
        fix: 'Prefix custom roles with a reversed domain you own, e.g. "org.example.abuse".',
      };
    case 'SUPPORT_PAGE_INVALID':
      return { id: 'support-page-invalid', fix: 'Make "support_page" an https:// URL string, or remove it.' };
    case 'SUPPORT_PAGE_NOT_HTTPS':
      return { id: 'support-page-not-https', fix: 'Link an https:// support page.' };
    case 'SUPPORT_CONTENT_TYPE':
      return { id: 'support-content-type', fix: 'Serve it with Content-Type: application/json.' };
    case 'SUPPORT_CORS_MISSING':
      return {
        id: 'support-cors-missing',
        fix: `Send Access-Control-Allow-Origin: * with ${url} so that web clients can show the contacts (nginx: ${NGINX_CORS}).`,
      };
    default:
      return { id: 'support-problem', fix: 'See the detail; the support check describes what it expects.' };
  }
}

/** A problem message as a sentence: a capital for a leading article, one final full stop. */
function sentence(text: string): string {
  const capital = /^(the|a|an|no)\b/.test(text) ? `${text.charAt(0).toUpperCase()}${text.slice(1)}` : text;
  return capital.endsWith('.') ? capital : `${capital}.`;
}

/** One finding per hint id: problems mapping to the same hint are joined. */
function collect(entries: readonly { id: HintId; fix: string; message: string }[]): Finding[] {
  const byId = new Map<HintId, { fix: string; messages: string[] }>();
  for (const e of entries) {
    const found = byId.get(e.id);
    if (found === undefined) byId.set(e.id, { fix: e.fix, messages: [e.message] });
    else if (!found.messages.includes(e.message)) found.messages.push(e.message);
  }
  return [...byId].map(([id, { fix, messages }]) => ({ id, detail: sentence(messages.join('; ')), fix }));
}

/** Every problem of the client document check, as hints. */
export const clientDocumentHints: Rule = (facts) => {
  const report: ClientDocumentReport | null = facts.client;
  if (report === null) return [];
  // A base URL with a /_matrix path fails its /versions request: client-base-url-has-path says why and what to write.
  const pathExplains = baseUrlMatrixPath(facts) !== null;
  const problems = report.problems.filter(
    (p) => !(pathExplains && (p.code === 'CLIENT_VERSIONS_FAILED' || p.code === 'CLIENT_VERSIONS_INVALID')),
  );
  return collect(problems.map((p) => ({ ...clientHint(p, facts), message: p.message })));
};

/** Every problem of the support document check, as hints. */
export const supportDocumentHints: Rule = (facts) => {
  const report = facts.support;
  if (report === null) return [];
  return collect(report.problems.map((p) => ({ ...supportHint(p, facts), message: p.message })));
};

/** The rules of this file, in order. */
export const documentRules: readonly Rule[] = [clientDocumentHints, supportDocumentHints];
