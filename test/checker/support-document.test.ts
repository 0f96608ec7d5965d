// End-to-end tests of checkSupportDocument over the lab: absent, valid and invalid /.well-known/matrix/support documents.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentCheckOptions } from '../../src/checker/client-document.js';
import { checkSupportDocument, type SupportDocumentReport } from '../../src/checker/support-document.js';
import { createDnsClient } from '../../src/dns/index.js';
import { createAddressPolicy } from '../../src/net/address-policy.js';
import { startLab, type Lab, type LabResponse } from '../../src/testing/index.js';

const CORS = { 'access-control-allow-origin': '*' };

/** What each name serves at /.well-known/matrix/support. */
const DOCUMENTS: Record<string, LabResponse> = {
  'good.test': {
    headers: CORS,
    json: {
      contacts: [
        { matrix_id: '@admin:example.org', email_address: 'admin@example.org', role: 'm.role.admin' },
        { email_address: 'security@example.org', role: 'm.role.security' },
        { matrix_id: '@abuse:example.org', role: 'org.example.role.abuse' },
      ],
      support_page: 'https://example.org/support',
    },
  },
  'pageonly.test': { headers: CORS, json: { contacts: [], support_page: 'https://example.org/help' } },
  'nocors.test': { json: { support_page: 'https://example.org/help' } },
  'norole.test': { headers: CORS, json: { contacts: [{ matrix_id: '@admin:example.org' }] } },
  'emptycontacts.test': { headers: CORS, json: { contacts: [] } },
  'nothing.test': { headers: CORS, json: {} },
  'badrole.test': {
    headers: CORS,
    json: {
      contacts: [
        { email_address: 'a@example.org', role: 'm.role.owner' },
        { email_address: 'b@example.org', role: 'Admin!' },
      ],
    },
  },
  'plainrole.test': { headers: CORS, json: { contacts: [{ email_address: 'a@example.org', role: 'admin' }] } },
  'noaddress.test': {
    headers: CORS,
    json: { contacts: [{ role: 'm.role.admin' }], support_page: 'https://example.org' },
  },
  'badaddress.test': {
    headers: CORS,
    json: {
      contacts: [
        { matrix_id: 'admin@example.org', role: 'm.role.admin' },
        { email_address: 'not an email', role: 'm.role.admin' },
      ],
    },
  },
  'badpage.test': { headers: CORS, json: { support_page: 'example.org/support' } },
  'httppage.test': { headers: CORS, json: { support_page: 'http://example.org/support' } },
  'notarray.test': { headers: CORS, json: { contacts: { role: 'm.role.admin', email_address: 'a@example.org' } } },
  'html.test': { body: '<html><body>It works!</body></html>', headers: { 'content-type': 'text/html' } },
  'error.test': { status: 503, body: 'Service Unavailable' },
  'missing.test': { status: 404, json: { errcode: 'M_NOT_FOUND' } },
};

let lab: Lab;

beforeAll(async () => {
  lab = await startLab({
    zones: Object.fromEntries(Object.keys(DOCUMENTS).map((name) => [name, { A: ['web'] }])),
    hosts: {
      web: {
        routes: {
          'GET /.well-known/matrix/support': (req) =>
            DOCUMENTS[(req.host ?? '').replace(/:\d+$/, '')] ?? { status: 404 },
        },
      },
    },
  });
});

afterAll(async () => {
  await lab?.close();
});

function options(): DocumentCheckOptions {
  const lo = lab.clientOptions();
  return {
    dns: createDnsClient({ servers: lo.dnsServers }),
    policy: createAddressPolicy({ allowNetworks: [`${lab.address('web')}/32`] }),
    port: lab.ports.https,
    ca: lo.ca,
    timeoutMs: 3_000,
  };
}

function findings(report: SupportDocumentReport): [string, string][] {
  return report.problems.map((p) => [p.code, p.severity]);
}

describe('checkSupportDocument', () => {
  it('accepts a complete document and lists its contacts', async () => {
    const r = await checkSupportDocument('good.test', options());
    expect(r).toMatchObject({
      status: 'valid',
      url: 'https://good.test/.well-known/matrix/support',
      httpStatus: 200,
      contentType: 'application/json',
      // Only Allow-Origin is served: the rest is listed, but does not matter for a read-only document.
      cors: [
        'Access-Control-Allow-Methods: GET',
        'Access-Control-Allow-Methods: POST',
        'Access-Control-Allow-Methods: PUT',
        'Access-Control-Allow-Methods: DELETE',
        'Access-Control-Allow-Methods: OPTIONS',
        'Access-Control-Allow-Headers: X-Requested-With',
        'Access-Control-Allow-Headers: Content-Type',
        'Access-Control-Allow-Headers: Authorization',
      ],
      supportPage: 'https://example.org/support',
      contacts: [
        {
          index: 0,
          role: 'm.role.admin',
          matrixId: '@admin:example.org',
          emailAddress: 'admin@example.org',
          valid: true,
        },
        { index: 1, role: 'm.role.security', matrixId: null, emailAddress: 'security@example.org', valid: true },
        { index: 2, role: 'org.example.role.abuse', matrixId: '@abuse:example.org', emailAddress: null, valid: true },
      ],
    });
    expect(r.problems).toEqual([]);
  });

  it('accepts a support page with no contacts', async () => {
    const r = await checkSupportDocument('pageonly.test', options());
    expect(r).toMatchObject({ status: 'valid', contacts: [], supportPage: 'https://example.org/help' });
  });

  it('is absent (not a problem: the document is optional) on 404', async () => {
    const r = await checkSupportDocument('missing.test', options());
    expect(r).toMatchObject({ status: 'absent', httpStatus: 404, problems: [] });
  });

  it('is an error on another status or no answer', async () => {
    expect(await checkSupportDocument('error.test', options())).toMatchObject({
      status: 'error',
      httpStatus: 503,
      problems: [expect.objectContaining({ code: 'SUPPORT_HTTP_STATUS' })],
    });
    expect(await checkSupportDocument('nowhere.test', options())).toMatchObject({
      status: 'error',
      httpStatus: null,
      problems: [expect.objectContaining({ code: 'SUPPORT_FETCH_FAILED', cause: 'DNS_NXDOMAIN' })],
    });
  });

  it.each([
    ['norole.test', [['SUPPORT_CONTACT_MISSING_ROLE', 'error']]],
    ['emptycontacts.test', [['SUPPORT_EMPTY', 'error']]],
    ['nothing.test', [['SUPPORT_EMPTY', 'error']]],
    [
      'badrole.test',
      [
        ['SUPPORT_CONTACT_INVALID_ROLE', 'error'],
        ['SUPPORT_CONTACT_INVALID_ROLE', 'error'],
      ],
    ],
    ['noaddress.test', [['SUPPORT_CONTACT_NO_ADDRESS', 'error']]],
    [
      'badaddress.test',
      [
        ['SUPPORT_CONTACT_INVALID_MATRIX_ID', 'error'],
        ['SUPPORT_CONTACT_INVALID_EMAIL', 'error'],
      ],
    ],
    ['badpage.test', [['SUPPORT_PAGE_INVALID', 'error']]],
    [
      'notarray.test',
      [
        ['SUPPORT_CONTACTS_NOT_ARRAY', 'error'],
        ['SUPPORT_EMPTY', 'error'],
      ],
    ],
    [
      'html.test',
      [
        ['SUPPORT_CONTENT_TYPE', 'warning'],
        ['SUPPORT_CORS_MISSING', 'warning'],
        ['SUPPORT_HTML_BODY', 'error'],
      ],
    ],
  ])('finds %s invalid', async (name, expected) => {
    const r = await checkSupportDocument(name, options());
    expect(r.status).toBe('invalid');
    expect(findings(r)).toEqual(expected);
  });

  it('marks the faulty contact, not its neighbours', async () => {
    const r = await checkSupportDocument('badaddress.test', options());
    expect(r.contacts.map((c) => c.valid)).toEqual([false, false]);
    const norole = await checkSupportDocument('norole.test', options());
    expect(norole.contacts).toEqual([
      { index: 0, role: null, matrixId: '@admin:example.org', emailAddress: null, valid: false },
    ]);
  });

  it.each([
    ['plainrole.test', [['SUPPORT_CONTACT_ROLE_NOT_NAMESPACED', 'warning']]],
    ['httppage.test', [['SUPPORT_PAGE_NOT_HTTPS', 'warning']]],
    ['nocors.test', [['SUPPORT_CORS_MISSING', 'warning']]],
  ])('keeps %s valid, with warnings', async (name, expected) => {
    const r = await checkSupportDocument(name, options());
    expect(r.status).toBe('valid');
    expect(findings(r)).toEqual(expected);
  });
});
