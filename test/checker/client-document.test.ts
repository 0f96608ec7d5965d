// End-to-end tests of checkClientDocument and the CORS checks over the lab: real DNS, real TLS, documents good and bad.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkClientDocument,
  CORS_PROBE_ORIGIN,
  type ClientDocumentReport,
  type DocumentCheckOptions,
} from '../../src/checker/client-document.js';
import { checkCorsHeaders } from '../../src/checker/cors.js';
import { createDnsClient } from '../../src/dns/index.js';
import { createAddressPolicy } from '../../src/net/address-policy.js';
import { startLab, type Lab, type LabRequest, type LabResponse } from '../../src/testing/index.js';

const FULL_CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
  'access-control-allow-headers': 'X-Requested-With, Content-Type, Authorization',
};

let lab: Lab;

/** `https://<name>` with the lab's HTTPS port when it is not 443. */
function base(name: string): string {
  return lab.ports.https === 443 ? `https://${name}` : `https://${name}:${lab.ports.https}`;
}

function hostOf(req: LabRequest): string {
  return (req.host ?? '').replace(/:\d+$/, '');
}

/** The document each name serves (by Host header), computed at request time so base URLs carry the lab port. */
function documentFor(host: string): LabResponse {
  const good = {
    'm.homeserver': { base_url: `${base('hs.test')}/` },
    'm.identity_server': { base_url: base('is.test') },
    'im.vector.riot.jitsi': { preferredDomain: 'jitsi.example' },
  };
  switch (host) {
    case 'good.test':
      return { json: good, headers: { ...FULL_CORS, 'cache-control': 'max-age=3600' } };
    case 'redirect.test':
      return { status: 301, redirect: `${base('good.test')}/.well-known/matrix/client` };
    case 'nocors.test':
      return { json: { 'm.homeserver': { base_url: base('hs.test') } } };
    case 'partialcors.test':
      return {
        json: { 'm.homeserver': { base_url: base('hs.test') } },
        headers: { 'access-control-allow-origin': '*', 'access-control-allow-methods': 'get,options' },
      };
    case 'html.test':
      return {
        body: '<!DOCTYPE html>\n<html><body>Welcome to nginx!</body></html>',
        headers: { 'content-type': 'text/html' },
      };
    case 'bom.test':
      return {
        body: Buffer.concat([
          Buffer.from([0xef, 0xbb, 0xbf]),
          Buffer.from(JSON.stringify({ 'm.homeserver': { base_url: base('hs.test') } })),
        ]),
        headers: { 'content-type': 'application/json', ...FULL_CORS },
      };
    case 'textplain.test':
      return {
        body: JSON.stringify({ 'm.homeserver': { base_url: base('hs.test') } }),
        headers: { 'content-type': 'text/plain', ...FULL_CORS },
      };
    case 'error.test':
      return { status: 500, json: { errcode: 'M_UNKNOWN' } };
    case 'empty.test':
      return { body: '', headers: { 'content-type': 'application/json' } };
    case 'array.test':
      return { json: [good] };
    case 'nobase.test':
      return { json: { 'm.homeserver': {} } };
    case 'badurl.test':
      return { json: { 'm.homeserver': { base_url: 'matrix dot example' } } };
    case 'http.test':
      return { json: { 'm.homeserver': { base_url: 'http://hs.test' } } };
    case 'brokenhs.test':
      return { json: { 'm.homeserver': { base_url: base('broken-hs.test') } } };
    case 'notmatrix.test':
      return { json: { 'm.homeserver': { base_url: base('not-matrix.test') } } };
    case 'privatehs.test':
      return { json: { 'm.homeserver': { base_url: base('private-hs.test') } } };
    case 'isdown.test':
      return {
        json: {
          'm.homeserver': { base_url: base('hs.test') },
          'm.identity_server': { base_url: base('is-down.test') },
        },
      };
    case 'isnobase.test':
      return { json: { 'm.homeserver': { base_url: base('hs.test') }, 'm.identity_server': {} } };
    case 'bothbad.test':
      return { json: { 'm.homeserver': { base_url: base('broken-hs.test') }, 'm.identity_server': {} } };
    default:
      return { status: 404, json: { errcode: 'M_NOT_FOUND' } };
  }
}

/** The preflight answer each name gives (names without an entry answer 405, as a GET-only route does). */
function preflightFor(host: string): LabResponse {
  switch (host) {
    case 'good.test':
    case 'bom.test':
    case 'textplain.test':
      return { status: 204, headers: FULL_CORS };
    case 'redirect.test':
      // Web servers redirect whatever the method.
      return { status: 301, redirect: `${base('good.test')}/.well-known/matrix/client` };
    case 'partialcors.test':
      return {
        status: 200,
        headers: {
          'access-control-allow-origin': '*',
          'access-control-allow-methods': '*',
          'access-control-allow-headers': 'content-type',
        },
      };
    default:
      return { status: 405, json: { error: 'method not allowed' } };
  }
}

const DOCUMENT_NAMES = [
  'good.test',
  'redirect.test',
  'nocors.test',
  'partialcors.test',
  'html.test',
  'bom.test',
  'textplain.test',
  'error.test',
  'empty.test',
  'array.test',
  'missing.test',
  'nobase.test',
  'badurl.test',
  'http.test',
  'brokenhs.test',
  'notmatrix.test',
  'privatehs.test',
  'isdown.test',
  'isnobase.test',
  'bothbad.test',
];

beforeAll(async () => {
  lab = await startLab({
    zones: {
      ...Object.fromEntries(DOCUMENT_NAMES.map((name) => [name, { A: ['web'] }])),
      'hs.test': { A: ['hs'] },
      'is.test': { A: ['hs'] },
      'broken-hs.test': { A: ['hs'] },
      'not-matrix.test': { A: ['hs'] },
      'is-down.test': { A: ['hs'] },
      // Loopback outside the lab hosts' own addresses: the policy of these tests denies it.
      'private-hs.test': { A: ['127.0.0.1'] },
    },
    hosts: {
      web: {
        routes: {
          'GET /.well-known/matrix/client': (req) => documentFor(hostOf(req)),
          'OPTIONS /.well-known/matrix/client': (req) => preflightFor(hostOf(req)),
        },
      },
      hs: {
        routes: {
          'GET /_matrix/client/versions': (req) => {
            const host = hostOf(req);
            if (host === 'hs.test') return { json: { versions: ['v1.11', 'v1.12'], unstable_features: {} } };
            if (host === 'not-matrix.test') return { json: { hello: 'world' } };
            return { status: 404, json: { errcode: 'M_UNRECOGNIZED' } };
          },
          'GET /_matrix/identity/v2': (req) =>
            hostOf(req) === 'is.test' ? { json: {} } : { status: 502, body: 'Bad Gateway' },
        },
      },
    },
  });
});

afterAll(async () => {
  await lab?.close();
});

/** Lab options allowing the lab's own host addresses only, so that the deny-list applies to anything else. */
function options(): DocumentCheckOptions {
  const lo = lab.clientOptions();
  const hostNets = Object.values(lab.hosts).map((h) =>
    h.address.includes(':') ? `${h.address}/128` : `${h.address}/32`,
  );
  return {
    dns: createDnsClient({ servers: lo.dnsServers }),
    policy: createAddressPolicy({ allowNetworks: hostNets }),
    port: lab.ports.https,
    ca: lo.ca,
    timeoutMs: 3_000,
  };
}

function codes(report: ClientDocumentReport): string[] {
  return report.problems.map((p) => p.code);
}

describe('checkClientDocument: the spec flow', () => {
  it('SUCCESS for a complete document: versions, identity server, CORS, extras, headers recorded', async () => {
    lab.hosts['web']!.resetCounters();
    const r = await checkClientDocument('good.test', options());
    expect(r).toMatchObject({
      status: 'SUCCESS',
      url: 'https://good.test/.well-known/matrix/client',
      httpStatus: 200,
      contentType: 'application/json',
      cacheControl: 'max-age=3600',
      hasBom: false,
      htmlBody: false,
      cors: { get: [], preflight: { status: 204, missing: [], error: null } },
      homeserver: {
        baseUrl: `${base('hs.test')}/`,
        url: `${base('hs.test')}/_matrix/client/versions`,
        httpStatus: 200,
        versions: ['v1.11', 'v1.12'],
        error: null,
      },
      identityServer: {
        baseUrl: base('is.test'),
        url: `${base('is.test')}/_matrix/identity/v2`,
        httpStatus: 200,
        error: null,
      },
      extras: ['im.vector.riot.jitsi'],
    });
    expect(r.problems).toEqual([]);
    // The GET carried an Origin; the preflight asked for GET, as a browser does.
    const requests = lab.hosts['web']!.requests;
    expect(requests.find((q) => q.method === 'GET')?.headers['origin']).toBe(CORS_PROBE_ORIGIN);
    const preflight = requests.find((q) => q.method === 'OPTIONS');
    expect(preflight?.headers).toMatchObject({ origin: CORS_PROBE_ORIGIN, 'access-control-request-method': 'GET' });
    // The trailing slash of base_url is not doubled.
    expect(lab.hosts['hs']!.requests.map((q) => q.path)).toContain('/_matrix/client/versions');
  });

  it('follows a redirect for the document, and reports the final URL', async () => {
    const r = await checkClientDocument('redirect.test', options());
    expect(r.status).toBe('SUCCESS');
    expect(r.url).toBe('https://good.test/.well-known/matrix/client');
    // The preflight is not redirected (browsers never follow one), so it fails on the 301.
    expect(r.cors.preflight.status).toBe(301);
    expect(codes(r)).toEqual(['CLIENT_PREFLIGHT_FAILED']);
  });

  it('IGNORE for 404, with an info finding only', async () => {
    const r = await checkClientDocument('missing.test', options());
    expect(r).toMatchObject({ status: 'IGNORE', httpStatus: 404, homeserver: null, identityServer: null });
    expect(r.problems.map((p) => [p.code, p.severity])).toEqual([['CLIENT_NOT_FOUND', 'info']]);
  });

  it.each([
    ['error.test', 'CLIENT_HTTP_STATUS'],
    ['empty.test', 'CLIENT_EMPTY_BODY'],
    ['array.test', 'CLIENT_NOT_OBJECT'],
    ['nobase.test', 'CLIENT_MISSING_BASE_URL'],
  ])('FAIL_PROMPT for %s (%s)', async (name, code) => {
    const r = await checkClientDocument(name, options());
    expect(r.status).toBe('FAIL_PROMPT');
    expect(codes(r)).toContain(code);
  });

  it('FAIL_PROMPT for an HTML page, flagged as such', async () => {
    const r = await checkClientDocument('html.test', options());
    expect(r).toMatchObject({ status: 'FAIL_PROMPT', htmlBody: true, contentType: 'text/html', homeserver: null });
    expect(codes(r)).toContain('CLIENT_HTML_BODY');
    expect(codes(r)).not.toContain('CLIENT_INVALID_JSON');
  });

  it('FAIL_PROMPT when the document cannot be fetched at all (NXDOMAIN)', async () => {
    const r = await checkClientDocument('nowhere.test', options());
    expect(r).toMatchObject({
      status: 'FAIL_PROMPT',
      httpStatus: null,
      cors: { get: null, preflight: { status: null, missing: null } },
    });
    expect(r.problems).toEqual([expect.objectContaining({ code: 'CLIENT_FETCH_FAILED', cause: 'DNS_NXDOMAIN' })]);
  });

  it.each([
    ['badurl.test', 'CLIENT_INVALID_BASE_URL', null],
    ['http.test', 'CLIENT_BASE_URL_NOT_HTTPS', null],
    ['brokenhs.test', 'CLIENT_VERSIONS_FAILED', 404],
    ['notmatrix.test', 'CLIENT_VERSIONS_INVALID', 200],
  ])('FAIL_ERROR for %s (%s)', async (name, code, httpStatus) => {
    const r = await checkClientDocument(name, options());
    expect(r.status).toBe('FAIL_ERROR');
    expect(r.homeserver).toMatchObject({ httpStatus, versions: null, error: { code } });
    expect(codes(r)).toContain(code);
  });

  it('FAIL_ERROR when the base_url host resolves to an address the policy denies: base URLs pass the policy too', async () => {
    const r = await checkClientDocument('privatehs.test', options());
    expect(r.status).toBe('FAIL_ERROR');
    expect(r.homeserver?.error).toMatchObject({ code: 'CLIENT_VERSIONS_FAILED', cause: 'ADDRESS_DENIED' });
  });

  it('FAIL_ERROR when the identity server does not answer 200', async () => {
    const r = await checkClientDocument('isdown.test', options());
    expect(r.status).toBe('FAIL_ERROR');
    expect(r.homeserver?.error).toBeNull();
    expect(r.identityServer).toMatchObject({
      baseUrl: base('is-down.test'),
      httpStatus: 502,
      error: { code: 'CLIENT_IDENTITY_FAILED' },
    });
  });

  it('FAIL_PROMPT when m.identity_server has no base_url', async () => {
    const r = await checkClientDocument('isnobase.test', options());
    expect(r.status).toBe('FAIL_PROMPT');
    expect(r.identityServer?.error?.code).toBe('CLIENT_IDENTITY_MISSING_BASE_URL');
  });

  it('keeps the verdict of the first failing step (homeserver before identity server)', async () => {
    const r = await checkClientDocument('bothbad.test', options());
    expect(r.status).toBe('FAIL_ERROR');
    expect(codes(r)).toEqual(expect.arrayContaining(['CLIENT_VERSIONS_FAILED', 'CLIENT_IDENTITY_MISSING_BASE_URL']));
  });
});

describe('checkClientDocument: what web clients need', () => {
  it('flags a document without CORS (error: browsers cannot read it) and a preflight that is refused', async () => {
    const r = await checkClientDocument('nocors.test', options());
    expect(r.status).toBe('SUCCESS');
    expect(r.cors.get).toEqual(checkCorsHeaders({}));
    expect(r.cors.preflight).toMatchObject({ status: 405 });
    expect(r.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'CLIENT_CORS_MISSING', severity: 'error' }),
        expect.objectContaining({ code: 'CLIENT_PREFLIGHT_FAILED', severity: 'warning' }),
      ]),
    );
  });

  it('lists exactly what partial CORS lacks, on the GET and on the preflight', async () => {
    const r = await checkClientDocument('partialcors.test', options());
    expect(r.cors.get).toEqual([
      'Access-Control-Allow-Methods: POST',
      'Access-Control-Allow-Methods: PUT',
      'Access-Control-Allow-Methods: DELETE',
      'Access-Control-Allow-Headers: X-Requested-With',
      'Access-Control-Allow-Headers: Content-Type',
      'Access-Control-Allow-Headers: Authorization',
    ]);
    expect(r.cors.preflight).toMatchObject({
      status: 200,
      missing: ['Access-Control-Allow-Headers: X-Requested-With', 'Access-Control-Allow-Headers: Authorization'],
    });
    const cors = r.problems.find((p) => p.code === 'CLIENT_CORS_MISSING');
    expect(cors?.severity).toBe('warning');
    expect(codes(r)).toContain('CLIENT_PREFLIGHT_CORS_MISSING');
  });

  it('accepts a document with a byte order mark (as browsers do) but warns', async () => {
    const r = await checkClientDocument('bom.test', options());
    expect(r).toMatchObject({ status: 'SUCCESS', hasBom: true });
    expect(r.problems.map((p) => [p.code, p.severity])).toEqual([['CLIENT_BOM', 'warning']]);
  });

  it('warns about a Content-Type other than application/json', async () => {
    const r = await checkClientDocument('textplain.test', options());
    expect(r).toMatchObject({ status: 'SUCCESS', contentType: 'text/plain' });
    expect(r.problems.map((p) => [p.code, p.severity])).toEqual([['CLIENT_CONTENT_TYPE', 'warning']]);
  });
});

describe('checkCorsHeaders', () => {
  it('accepts the spec headers in any case and order, and * for methods and headers', () => {
    expect(checkCorsHeaders(FULL_CORS)).toEqual([]);
    expect(
      checkCorsHeaders({
        'Access-Control-Allow-Origin': '*',
        'ACCESS-CONTROL-ALLOW-METHODS': 'options,delete , put,post,get,patch',
        'access-control-allow-headers': ['authorization', 'content-type, x-requested-with'],
      }),
    ).toEqual([]);
    expect(
      checkCorsHeaders({
        'access-control-allow-origin': '*',
        'access-control-allow-methods': '*',
        'access-control-allow-headers': '*',
      }),
    ).toEqual([]);
  });

  it('requires Allow-Origin to be exactly *', () => {
    const rest = { 'access-control-allow-methods': '*', 'access-control-allow-headers': '*' };
    expect(checkCorsHeaders({ ...rest, 'access-control-allow-origin': 'https://app.element.io' })).toEqual([
      'Access-Control-Allow-Origin: *',
    ]);
    expect(checkCorsHeaders({ ...rest, 'access-control-allow-origin': ['*', '*'] })).toEqual([
      'Access-Control-Allow-Origin: *',
    ]);
    expect(checkCorsHeaders(rest)).toEqual(['Access-Control-Allow-Origin: *']);
  });

  it('lists every missing item when nothing is sent', () => {
    expect(checkCorsHeaders({})).toHaveLength(1 + 5 + 3);
  });
});
