// The well-known documents and their headers: m.server rules, Synapse's client document, spec support document, CORS.

import { describe, expect, it } from 'vitest';
import { checkCorsHeaders } from '../../src/checker/cors.js';
import { formatConfigErrors, parseConfig } from '../../src/config/index.js';
import type { ServeConfig } from '../../src/config/index.js';
import {
  CORS_HEADERS,
  WELL_KNOWN_PATHS,
  buildClientDocument,
  buildServerDocument,
  buildSupportDocument,
  clientDocumentHeaders,
  preflightHeaders,
  prepareWellKnownDocuments,
  serverDocumentHeaders,
  supportDocumentHeaders,
} from '../../src/config/documents.js';

function config(yaml: string): ServeConfig {
  const result = parseConfig(yaml);
  if (!result.ok) throw new Error(formatConfigErrors(result.errors));
  return result.config;
}

/** The CORS headers of spec client-server API "Web Browser Clients", written out here rather than imported. */
const SPEC_CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
  'access-control-allow-headers': 'X-Requested-With, Content-Type, Authorization',
};

describe('buildServerDocument', () => {
  it.each([
    // Synapse's serve_server_wellknown: the server name's host with port 443...
    ['server_name: example.com\nserve_server_wellknown: true\n', 'example.com:443'],
    // ...or the server name's own port when it has one.
    ['server_name: example.com:8448\nserve_server_wellknown: true\n', 'example.com:8448'],
    ['server_name: "[2001:db8::1]"\nserve_server_wellknown: true\n', '[2001:db8::1]:443'],
    ['server_name: 192.0.2.1:8000\nserve_server_wellknown: true\n', '192.0.2.1:8000'],
    // delegation_target wins over serve_server_wellknown.
    [
      'server_name: example.com\nserve_server_wellknown: true\ndelegation_target: synapse.example.com:8443\n',
      'synapse.example.com:8443',
    ],
    ['server_name: example.com\ndelegation_target: synapse.example.com\n', 'synapse.example.com'],
  ])('%j -> %s', (yaml, expected) => {
    expect(buildServerDocument(config(yaml))).toEqual({ 'm.server': expected });
  });

  it('is null (the path answers 404) without delegation_target or serve_server_wellknown', () => {
    expect(buildServerDocument(config('server_name: example.com\npublic_baseurl: https://example.com/\n'))).toBeNull();
  });
});

describe('buildClientDocument', () => {
  it('is null without public_baseurl, as in Synapse', () => {
    expect(buildClientDocument(config('server_name: example.com\nserve_server_wellknown: true\n'))).toBeNull();
  });

  it('puts m.homeserver and m.identity_server first, then the extras, which may hold any JSON value', () => {
    const document = buildClientDocument(
      config(`server_name: example.com
public_baseurl: https://matrix.example.com
default_identity_server: https://id.example.com
extra_well_known_client_content:
  org.example.list: [1, 'two', null]
  org.example.flag: false
  org.example.nested: { a: { b: 1.5 } }
`),
    );
    expect(document).toEqual({
      'm.homeserver': { base_url: 'https://matrix.example.com/' },
      'm.identity_server': { base_url: 'https://id.example.com' },
      'org.example.list': [1, 'two', null],
      'org.example.flag': false,
      'org.example.nested': { a: { b: 1.5 } },
    });
    expect(Object.keys(document ?? {})).toEqual([
      'm.homeserver',
      'm.identity_server',
      'org.example.list',
      'org.example.flag',
      'org.example.nested',
    ]);
  });

  it('omits m.identity_server when no default identity server is set', () => {
    expect(
      buildClientDocument(config('server_name: example.com\npublic_baseurl: https://matrix.example.com/\n')),
    ).toEqual({
      'm.homeserver': { base_url: 'https://matrix.example.com/' },
    });
  });

  it('never lets an extra key replace m.homeserver, even from a config built by hand', () => {
    const handmade = {
      publicBaseurl: 'https://matrix.example.com/',
      defaultIdentityServer: null,
      extraWellKnownClientContent: { 'm.homeserver': { base_url: 'https://evil.example/' }, 'org.example.x': 1 },
    };
    expect(buildClientDocument(handmade)).toEqual({
      'm.homeserver': { base_url: 'https://matrix.example.com/' },
      'org.example.x': 1,
    });
  });
});

describe('buildSupportDocument', () => {
  it('is null without a support section', () => {
    expect(buildSupportDocument(config('server_name: example.com\nserve_server_wellknown: true\n'))).toBeNull();
  });

  it('uses the spec field names and leaves out absent fields', () => {
    const yaml = `server_name: example.com
support:
  contacts:
    - { role: m.role.admin, matrix_id: '@admin:example.com' }
    - { role: org.example.role.helpdesk, email_address: help@example.com }
`;
    expect(buildSupportDocument(config(yaml))).toEqual({
      contacts: [
        { matrix_id: '@admin:example.com', role: 'm.role.admin' },
        { email_address: 'help@example.com', role: 'org.example.role.helpdesk' },
      ],
    });
  });

  it('may hold only a support page (contacts are optional when support_page is set)', () => {
    const document = buildSupportDocument(
      config('server_name: example.com\nsupport: { contacts: [], support_page: https://example.com/help }\n'),
    );
    expect(document).toEqual({ support_page: 'https://example.com/help' });
  });
});

describe('headers', () => {
  const base = config(
    'server_name: example.com\nserve_server_wellknown: true\npublic_baseurl: https://m.example.com/\n',
  );

  it('the server document: JSON, 24 h by default, CORS', () => {
    expect(serverDocumentHeaders(base)).toEqual({
      'content-type': 'application/json',
      'cache-control': 'max-age=86400',
      ...SPEC_CORS,
    });
  });

  it("the client document: JSON, Synapse's no-cache by default, the spec's CORS headers", () => {
    expect(clientDocumentHeaders(base)).toEqual({
      'content-type': 'application/json',
      'cache-control': 'no-cache, no-store, must-revalidate',
      ...SPEC_CORS,
    });
  });

  it('the support document: JSON, 1 h by default, CORS', () => {
    expect(supportDocumentHeaders(base)).toEqual({
      'content-type': 'application/json',
      'cache-control': 'max-age=3600',
      ...SPEC_CORS,
    });
  });

  it('follow the cache settings', () => {
    const tuned = config(`server_name: example.com
serve_server_wellknown: true
cache: { server_max_age_seconds: 3600, client_cache_control: 'max-age=300, public', support_max_age_seconds: 0 }
`);
    expect(serverDocumentHeaders(tuned)['cache-control']).toBe('max-age=3600');
    expect(clientDocumentHeaders(tuned)['cache-control']).toBe('max-age=300, public');
    expect(supportDocumentHeaders(tuned)['cache-control']).toBe('max-age=0');
  });

  it("passes the checker's own CORS check, for every document and the preflight", () => {
    for (const headers of [
      serverDocumentHeaders(base),
      clientDocumentHeaders(base),
      supportDocumentHeaders(base),
      preflightHeaders(),
    ]) {
      expect(checkCorsHeaders(headers)).toEqual([]);
    }
  });

  it('a preflight answer carries exactly the CORS headers', () => {
    expect(preflightHeaders()).toEqual(SPEC_CORS);
    expect(CORS_HEADERS).toEqual(SPEC_CORS);
  });
});

describe('prepareWellKnownDocuments', () => {
  it('serialises each served document once, with a matching Content-Length, and null for the rest', () => {
    const docs = prepareWellKnownDocuments(
      config(`server_name: example.com
delegation_target: synapse.example.com:443
public_baseurl: https://matrix.example.com/
extra_well_known_client_content: { org.example.greeting: 'grüße, 你好' }
`),
    );
    expect(docs.support).toBeNull();
    expect(docs.server?.path).toBe(WELL_KNOWN_PATHS.server);
    expect(docs.server?.body.toString('utf8')).toBe('{"m.server":"synapse.example.com:443"}');
    expect(docs.server?.headers['content-length']).toBe('38');

    const client = docs.client;
    expect(client?.path).toBe('/.well-known/matrix/client');
    expect(JSON.parse(client?.body.toString('utf8') ?? 'null')).toEqual({
      'm.homeserver': { base_url: 'https://matrix.example.com/' },
      'org.example.greeting': 'grüße, 你好',
    });
    // Content-Length counts bytes: the non-ASCII text makes it longer than the string length.
    const text = client?.body.toString('utf8') ?? '';
    expect(Number(client?.headers['content-length'])).toBe(Buffer.byteLength(text));
    expect(Number(client?.headers['content-length'])).toBeGreaterThan(text.length);
    expect(client?.headers['access-control-allow-origin']).toBe('*');
  });

  it('the prepared documents are frozen', () => {
    const docs = prepareWellKnownDocuments(config('server_name: example.com\nserve_server_wellknown: true\n'));
    expect(Object.isFrozen(docs.server)).toBe(true);
    expect(Object.isFrozen(docs.server?.headers)).toBe(true);
  });
});
