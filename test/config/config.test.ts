// The serve config: every validation error names its key, all errors at once, warnings, YAML syntax errors, defaults.

import { describe, expect, it } from 'vitest';
import { isMatrixDelegationError } from '../../src/errors.js';
import {
  CONFIG_DEFAULTS,
  DEFAULT_CONFIG_YAML,
  SYNAPSE_IGNORED_KEYS,
  TOP_LEVEL_KEYS,
  formatConfigErrors,
  loadConfig,
  loadDefaultConfig,
  parseConfig,
  parseConfigOrThrow,
  validateConfig,
} from '../../src/config/index.js';
import type { ConfigErrorCode, ConfigResult } from '../../src/config/index.js';

/** A valid base: a server name plus a client document, so "serves nothing" never fires. */
const BASE = 'server_name: example.com\npublic_baseurl: https://matrix.example.com/\n';

function errorsOf(result: ConfigResult): { key: string; code: string }[] {
  if (result.ok) throw new Error(`expected errors, got a valid config (warnings: ${result.warnings.join('; ')})`);
  return result.errors.map(({ key, code }) => ({ key, code }));
}

function okOf(result: ConfigResult): Extract<ConfigResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected a valid config, got:\n${formatConfigErrors(result.errors)}`);
  return result;
}

describe('every validation error names its key', () => {
  // [description, YAML, expected key, expected code]. The YAML is appended to a valid server_name line, unless
  // it starts with the comment "#standalone".
  const cases: ReadonlyArray<readonly [string, string, string, ConfigErrorCode]> = [
    ['empty file', '#standalone\n', '(root)', 'required'],
    ['a list instead of a mapping', '#standalone\n- server_name\n- example.com\n', '(root)', 'not-a-mapping'],
    ['server_name missing', '#standalone\npublic_baseurl: https://matrix.example.com/\n', 'server_name', 'required'],
    [
      'server_name with a service-name port',
      '#standalone\nserver_name: example.com:http\n',
      'server_name',
      'invalid-server-name',
    ],
    ['server_name as a URL', '#standalone\nserver_name: https://example.com/\n', 'server_name', 'invalid-server-name'],
    ['server_name is a number', '#standalone\nserver_name: 8448\n', 'server_name', 'wrong-type'],
    ['listeners is a mapping', 'listeners: { port: 80 }\n', 'listeners', 'wrong-type'],
    ['listeners is empty', 'listeners: []\n', 'listeners', 'empty'],
    ['port 0', 'listeners: [{ port: 0 }]\n', 'listeners[0].port', 'out-of-range'],
    ['port 70000', 'listeners: [{ port: 70000 }]\n', 'listeners[0].port', 'out-of-range'],
    ['port quoted', 'listeners: [{ port: "8080" }]\n', 'listeners[0].port', 'wrong-type'],
    ['port missing', "listeners: [{ bind_addresses: ['127.0.0.1'] }]\n", 'listeners[0].port', 'required'],
    ['listener not a mapping', 'listeners: [8080]\n', 'listeners[0]', 'not-a-mapping'],
    [
      'bind address is a host name',
      'listeners: [{ port: 80, bind_addresses: [localhost] }]\n',
      'listeners[0].bind_addresses[0]',
      'invalid-address',
    ],
    [
      'bind address in brackets',
      "listeners: [{ port: 80, bind_addresses: ['[::1]'] }]\n",
      'listeners[0].bind_addresses[0]',
      'invalid-address',
    ],
    ['bind addresses empty', 'listeners: [{ port: 80, bind_addresses: [] }]\n', 'listeners[0].bind_addresses', 'empty'],
    [
      'bind addresses a string',
      'listeners: [{ port: 80, bind_addresses: 127.0.0.1 }]\n',
      'listeners[0].bind_addresses',
      'wrong-type',
    ],
    ['tls not a boolean', 'listeners: [{ port: 80, tls: maybe }]\n', 'listeners[0].tls', 'wrong-type'],
    ['same port twice', 'listeners: [{ port: 80 }, { port: 80 }]\n', 'listeners[1].port', 'duplicate-listener'],
    ['only a metrics listener', 'listeners: [{ port: 9000, type: metrics }]\n', 'listeners', 'empty'],
    ['serve_server_wellknown not a boolean', 'serve_server_wellknown: maybe\n', 'serve_server_wellknown', 'wrong-type'],
    [
      'delegation_target as a URL',
      'delegation_target: https://synapse.example.com\n',
      'delegation_target',
      'invalid-server-name',
    ],
    [
      'delegation_target port too large',
      'delegation_target: synapse.example.com:99999\n',
      'delegation_target',
      'invalid-server-name',
    ],
    [
      'delegation_target with a path',
      'delegation_target: synapse.example.com/\n',
      'delegation_target',
      'invalid-server-name',
    ],
    ['public_baseurl without scheme', 'public_baseurl: matrix.example.com\n', 'public_baseurl', 'invalid-url'],
    [
      'public_baseurl host:port without scheme',
      'public_baseurl: matrix.example.com:8008\n',
      'public_baseurl',
      'invalid-url',
    ],
    ['public_baseurl ftp', 'public_baseurl: ftp://matrix.example.com/\n', 'public_baseurl', 'invalid-url'],
    [
      'public_baseurl with a query',
      'public_baseurl: https://matrix.example.com/?a=b\n',
      'public_baseurl',
      'invalid-url',
    ],
    [
      'public_baseurl with credentials',
      'public_baseurl: https://user:pw@matrix.example.com/\n',
      'public_baseurl',
      'invalid-url',
    ],
    [
      'default_identity_server without scheme',
      'default_identity_server: vector.im\n',
      'default_identity_server',
      'invalid-url',
    ],
    [
      'extras set m.homeserver',
      'extra_well_known_client_content: { m.homeserver: { base_url: https://x.example/ } }\n',
      'extra_well_known_client_content["m.homeserver"]',
      'forbidden-key',
    ],
    [
      'extras set m.identity_server',
      'extra_well_known_client_content: { m.identity_server: { base_url: https://x.example/ } }\n',
      'extra_well_known_client_content["m.identity_server"]',
      'forbidden-key',
    ],
    ['extras a list', 'extra_well_known_client_content: [jitsi]\n', 'extra_well_known_client_content', 'not-a-mapping'],
    [
      'extras hold NaN',
      'extra_well_known_client_content: { org.example.x: { ratio: .nan } }\n',
      'extra_well_known_client_content["org.example.x"].ratio',
      'not-json',
    ],
    ['support empty', 'support: {}\n', 'support', 'required'],
    ['support a string', 'support: yes\n', 'support', 'not-a-mapping'],
    ['support contacts empty, no page', 'support: { contacts: [] }\n', 'support.contacts', 'empty'],
    [
      'contact without role',
      'support: { contacts: [{ email_address: admin@example.com }] }\n',
      'support.contacts[0].role',
      'required',
    ],
    [
      'contact with an unknown m. role',
      'support: { contacts: [{ role: m.role.owner, email_address: a@example.com }] }\n',
      'support.contacts[0].role',
      'invalid-role',
    ],
    [
      'contact with a bare role',
      'support: { contacts: [{ role: helpdesk, email_address: a@example.com }] }\n',
      'support.contacts[0].role',
      'invalid-role',
    ],
    [
      'contact with an uppercase namespaced role',
      'support: { contacts: [{ role: Org.Example.Help, email_address: a@example.com }] }\n',
      'support.contacts[0].role',
      'invalid-role',
    ],
    [
      'contact without address',
      'support: { contacts: [{ role: m.role.admin }] }\n',
      'support.contacts[0]',
      'missing-contact-address',
    ],
    [
      'matrix_id without @',
      "support: { contacts: [{ role: m.role.admin, matrix_id: 'admin:example.com' }] }\n",
      'support.contacts[0].matrix_id',
      'invalid-matrix-id',
    ],
    [
      'matrix_id with empty localpart',
      "support: { contacts: [{ role: m.role.admin, matrix_id: '@:example.com' }] }\n",
      'support.contacts[0].matrix_id',
      'invalid-matrix-id',
    ],
    [
      'matrix_id without server',
      "support: { contacts: [{ role: m.role.admin, matrix_id: '@admin' }] }\n",
      'support.contacts[0].matrix_id',
      'invalid-matrix-id',
    ],
    [
      'matrix_id with a bad server',
      "support: { contacts: [{ role: m.role.admin, matrix_id: '@admin:exa_mple.com' }] }\n",
      'support.contacts[0].matrix_id',
      'invalid-matrix-id',
    ],
    [
      'email as mailto link',
      'support: { contacts: [{ role: m.role.admin, email_address: "mailto:a@example.com" }] }\n',
      'support.contacts[0].email_address',
      'invalid-email',
    ],
    [
      'email without @',
      'support: { contacts: [{ role: m.role.admin, email_address: admin }] }\n',
      'support.contacts[0].email_address',
      'invalid-email',
    ],
    [
      'support_page without scheme',
      'support: { support_page: example.com/support }\n',
      'support.support_page',
      'invalid-url',
    ],
    ['tester.enabled a number', 'tester: { enabled: 1 }\n', 'tester.enabled', 'wrong-type'],
    ['negative rate limit', 'tester: { rate_limit_per_minute: -1 }\n', 'tester.rate_limit_per_minute', 'out-of-range'],
    ['zero concurrency', 'tester: { max_in_flight: 0 }\n', 'tester.max_in_flight', 'out-of-range'],
    ['fractional timeout', 'tester: { timeout_ms: 1500.5 }\n', 'tester.timeout_ms', 'wrong-type'],
    ['bad CIDR', "tester: { allow_networks: ['10.0.0.0/40'] }\n", 'tester.allow_networks[0]', 'invalid-cidr'],
    ['networks as a string', "tester: { allow_networks: '10.0.0.0/8' }\n", 'tester.allow_networks', 'wrong-type'],
    ['DNS server by name', 'tester: { dns_servers: [dns.google] }\n', 'tester.dns_servers[0]', 'invalid-dns-server'],
    [
      'CA file missing',
      'tester: { ca_file: /nonexistent/matrix-delegation/ca.pem }\n',
      'tester.ca_file',
      'file-missing',
    ],
    ['negative max-age', 'cache: { server_max_age_seconds: -5 }\n', 'cache.server_max_age_seconds', 'out-of-range'],
    [
      'support max-age a string',
      'cache: { support_max_age_seconds: an hour }\n',
      'cache.support_max_age_seconds',
      'wrong-type',
    ],
    [
      'empty Cache-Control',
      "cache: { client_cache_control: '' }\n",
      'cache.client_cache_control',
      'invalid-header-value',
    ],
    [
      'Cache-Control with a line break',
      'cache: { client_cache_control: "no-cache\\r\\nX-Evil: 1" }\n',
      'cache.client_cache_control',
      'invalid-header-value',
    ],
    ['unknown log level', 'logging: { level: verbose }\n', 'logging.level', 'invalid-choice'],
    ['metrics.enabled a string', 'metrics: { enabled: sure }\n', 'metrics.enabled', 'wrong-type'],
    ['metrics a boolean', 'metrics: true\n', 'metrics', 'not-a-mapping'],
  ];

  it.each(cases)('%s -> %s (%s)', (_description, yaml, key, code) => {
    const result = parseConfig(yaml.startsWith('#standalone') ? yaml : `server_name: example.com\n${yaml}`);
    expect(errorsOf(result)).toEqual([{ key, code }]);
    if (!result.ok) {
      const [error] = result.errors;
      expect(error?.problem.length).toBeGreaterThan(10);
      expect(error?.fix.length).toBeGreaterThan(5);
    }
  });

  it('locates the error on the line of its key', () => {
    const result = parseConfig(`${BASE}listeners:\n  - port: 8080\n  - port: 70000\n`);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]).toMatchObject({ key: 'listeners[1].port', line: 5, column: 5 });
  });

  it('a missing key gets the position of its parent, a missing top-level key none', () => {
    const nested = parseConfig(`${BASE}listeners:\n  - tls: false\n`);
    if (nested.ok) throw new Error('expected an error');
    expect(nested.errors[0]).toMatchObject({ key: 'listeners[0].port', line: 4 });
    const top = parseConfig('public_baseurl: https://matrix.example.com/\n');
    if (top.ok) throw new Error('expected an error');
    expect(top.errors[0]?.line).toBeUndefined();
  });

  it('a listener with tls: true and no files names both keys', () => {
    expect(errorsOf(parseConfig(`${BASE}listeners: [{ port: 443, tls: true }]\n`))).toEqual([
      { key: 'tls_certificate_path', code: 'required' },
      { key: 'tls_private_key_path', code: 'required' },
    ]);
  });
});

describe('all errors are collected at once', () => {
  it('reports one error per problem, across sections, in a single result', () => {
    const yaml = [
      'server_name: "example.com:"',
      'listeners:',
      '  - port: 0',
      '  - port: 8080',
      '    bind_addresses: [localhost]',
      'public_baseurl: ftp://matrix.example.com',
      'extra_well_known_client_content:',
      '  m.homeserver: { base_url: https://elsewhere.example/ }',
      'support:',
      '  contacts:',
      '    - role: admin',
      '      email_address: admin@example.com',
      'tester:',
      '  max_in_flight: 0',
      'logging:',
      '  level: loud',
    ].join('\n');
    const result = parseConfig(yaml);
    expect(errorsOf(result)).toEqual([
      { key: 'server_name', code: 'invalid-server-name' },
      { key: 'listeners[0].port', code: 'out-of-range' },
      { key: 'listeners[1].bind_addresses[0]', code: 'invalid-address' },
      { key: 'public_baseurl', code: 'invalid-url' },
      { key: 'extra_well_known_client_content["m.homeserver"]', code: 'forbidden-key' },
      { key: 'support.contacts[0].role', code: 'invalid-role' },
      { key: 'tester.max_in_flight', code: 'out-of-range' },
      { key: 'logging.level', code: 'invalid-choice' },
    ]);
    if (!result.ok) {
      // Each is located on its own line of the file.
      expect(result.errors.map((e) => e.line)).toEqual([1, 3, 5, 6, 8, 11, 14, 16]);
    }
  });

  it('formatConfigErrors lists every error with key, line and fix', () => {
    const result = parseConfig(`${BASE}listeners: [{ port: 70000 }]\nlogging: { level: loud }\n`);
    if (result.ok) throw new Error('expected errors');
    const text = formatConfigErrors(result.errors, 'serve.yaml');
    expect(text.split('\n')[0]).toBe('serve.yaml: 2 errors, the server cannot start:');
    expect(text).toContain('listeners[0].port (line 3, column 15): ');
    expect(text).toContain('logging.level (line 4, column 12): ');
    expect(text.match(/^ {4}fix: /gm)).toHaveLength(2);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('the throwing wrapper raises INVALID_CONFIG carrying the errors', () => {
    let thrown: unknown;
    try {
      parseConfigOrThrow('server_name: "bad name"\nlisteners: []\n', { sourceName: 'x.yaml' });
    } catch (error) {
      thrown = error;
    }
    expect(isMatrixDelegationError(thrown, 'INVALID_CONFIG')).toBe(true);
    if (isMatrixDelegationError(thrown)) {
      expect(thrown.message).toContain('x.yaml: 2 errors');
      expect((thrown.detail?.['errors'] as unknown[]).length).toBe(2);
    }
  });
});

describe('YAML syntax errors', () => {
  it('names the line and column of a syntax error', () => {
    const result = parseConfig('server_name: example.com\nlisteners:\n  - port: [8080\n');
    if (result.ok) throw new Error('expected a syntax error');
    expect(result.errors[0]).toMatchObject({ key: '(yaml)', code: 'yaml-syntax' });
    expect(result.errors[0]?.line).toBeGreaterThanOrEqual(3);
  });

  it('refuses a duplicate key, pointing at the second one', () => {
    const result = parseConfig(
      'server_name: example.com\npublic_baseurl: https://a.example/\nserver_name: example.org\n',
    );
    if (result.ok) throw new Error('expected an error');
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ key: '(yaml)', code: 'yaml-syntax', line: 3, column: 1 });
  });

  it('refuses tab indentation with a fix that says so', () => {
    const result = parseConfig('server_name: example.com\ntester:\n\tenabled: true\n');
    if (result.ok) throw new Error('expected an error');
    expect(result.errors[0]?.line).toBe(3);
    expect(result.errors[0]?.fix).toMatch(/spaces/);
  });

  it('stops alias bombs', () => {
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 0; i < 8; i++)
      lines.push(
        `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(97 + i)}`)
          .join(', ')}]`,
      );
    const result = parseConfig(`server_name: example.com\n${lines.join('\n')}\n`);
    expect(errorsOf(result)).toEqual([{ key: '(yaml)', code: 'yaml-syntax' }]);
    if (!result.ok) expect(result.errors[0]?.problem).toMatch(/alias/i);
  });
});

describe('warnings', () => {
  const warningsOf = (yaml: string): string[] => okOf(parseConfig(yaml)).warnings;

  it('warns about an unknown key with its line, and keeps going', () => {
    expect(warningsOf(`${BASE}frobnicate: true\n`)).toEqual(['frobnicate (line 3): unknown key, ignored']);
  });

  it.each([
    ['serve_server_wellknow: true', 'serve_server_wellknow', 'serve_server_wellknown'],
    ['publicBaseurl: https://x.example/', 'publicBaseurl', 'public_baseurl'],
    ['delegation-target: x.example', 'delegation-target', 'delegation_target'],
    ['tls_certficate_path: /x.pem', 'tls_certficate_path', 'tls_certificate_path'],
  ])('suggests the key a typo was meant as: %s', (line, typo, meant) => {
    expect(warningsOf(`${BASE}${line}\n`)).toEqual([
      `${typo} (line 3): unknown key, ignored; did you mean "${meant}"?`,
    ]);
  });

  it('suggests nested keys too', () => {
    expect(warningsOf(`${BASE}tester:\n  enabeld: true\n`)).toEqual([
      'tester.enabeld (line 4): unknown key, ignored; did you mean "enabled"?',
    ]);
    expect(warningsOf(`${BASE}listeners:\n  - port: 80\n    bind_adresses: ['::1']\n`)).toEqual([
      'listeners[0].bind_adresses (line 5): unknown key, ignored; did you mean "bind_addresses"?',
    ]);
  });

  it('a misspelt required key turns into the fix of the "missing" error', () => {
    const result = parseConfig('server_nmae: example.com\npublic_baseurl: https://matrix.example.com/\n');
    if (result.ok) throw new Error('expected an error');
    expect(result.errors).toEqual([
      expect.objectContaining({ key: 'server_name', code: 'required', fix: 'rename "server_nmae" to "server_name"' }),
    ]);
    expect(result.warnings).toEqual(['server_nmae (line 1): unknown key, ignored; did you mean "server_name"?']);
  });

  it("ignores Synapse's own homeserver.yaml keys quietly, listing them apart", () => {
    const yaml = `${BASE}database:\n  name: psycopg2\nmedia_store_path: /var/lib/synapse/media\nreport_stats: false\n`;
    const result = okOf(parseConfig(yaml));
    expect(result.warnings).toEqual([]);
    expect(result.ignoredSynapseKeys).toEqual(['database', 'media_store_path', 'report_stats']);
  });

  it('never ignores quietly a key this server reads', () => {
    expect(TOP_LEVEL_KEYS.filter((key) => SYNAPSE_IGNORED_KEYS.has(key))).toEqual([]);
  });

  it('reads a Synapse-style listener list: extra listener keys are quiet, other listener types are skipped with a note', () => {
    const yaml = `${BASE}listeners:
  - port: 8008
    tls: false
    type: http
    x_forwarded: true
    bind_addresses: ['::1', '127.0.0.1']
    resources:
      - names: [client, federation]
        compress: false
  - port: 9000
    type: metrics
`;
    const result = okOf(parseConfig(yaml));
    expect(result.config.listeners).toEqual([
      { port: 8008, bindAddresses: ['::1', '127.0.0.1'], tls: false, xForwarded: true },
    ]);
    expect(result.warnings).toEqual([
      'listeners[1].type (line 13): a listener of type "metrics" is not served by this server; skipped',
    ]);
  });

  it('says that serve_server_wellknown is ignored when delegation_target is set', () => {
    const warnings = warningsOf(`${BASE}serve_server_wellknown: true\ndelegation_target: synapse.example.com:443\n`);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^serve_server_wellknown \(line 3\): ignored: delegation_target/);
  });

  it('says that a server document has no effect for a server name with a port or an IP address (resolution steps 1-2)', () => {
    const withPort = warningsOf('server_name: example.com:8448\nserve_server_wellknown: true\n');
    expect(withPort).toHaveLength(1);
    expect(withPort[0]).toMatch(/^serve_server_wellknown .*explicit port \(8448\)/);
    const ip = warningsOf('server_name: 192.0.2.10\ndelegation_target: synapse.example.com\n');
    expect(ip).toHaveLength(1);
    expect(ip[0]).toMatch(/^delegation_target .*IP address/);
  });

  it('warns when nothing at all would be served', () => {
    const warnings = warningsOf('server_name: example.com\n');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/serves nothing/);
  });

  it('warns about client settings that have no effect without public_baseurl', () => {
    const warnings = warningsOf(
      'server_name: example.com\nserve_server_wellknown: true\ndefault_identity_server: https://vector.im\n',
    );
    expect(warnings).toEqual([expect.stringMatching(/^default_identity_server \(line 3\): public_baseurl is not set/)]);
  });

  it('warns about plain-http URLs except on loopback, and about un-namespaced extra keys', () => {
    expect(warningsOf('server_name: example.com\npublic_baseurl: http://matrix.example.com/\n')).toEqual([
      expect.stringMatching(/^public_baseurl \(line 2\): .*plain http/),
    ]);
    expect(warningsOf('server_name: localhost\npublic_baseurl: http://localhost:8008/\n')).toEqual([]);
    expect(
      warningsOf(`${BASE}extra_well_known_client_content: { jitsi: { preferredDomain: j.example.com } }\n`),
    ).toEqual([expect.stringMatching(/^extra_well_known_client_content\.jitsi \(line 3\): .*namespaced/)]);
  });

  it('warns about a server max-age outside what Synapse honours ([5 min, 48 h])', () => {
    expect(warningsOf(`${BASE}cache: { server_max_age_seconds: 604800 }\n`)).toEqual([
      expect.stringMatching(/48 hours/),
    ]);
    expect(warningsOf(`${BASE}cache: { server_max_age_seconds: 60 }\n`)).toEqual([expect.stringMatching(/5 minutes/)]);
    expect(warningsOf(`${BASE}cache: { server_max_age_seconds: 3600 }\n`)).toEqual([]);
  });

  it('passes on the server-name advice (uppercase letters)', () => {
    expect(warningsOf('server_name: Example.com\npublic_baseurl: https://matrix.example.com/\n')).toEqual([
      expect.stringMatching(/^server_name \(line 1\): .*uppercase/),
    ]);
  });
});

describe('values and defaults', () => {
  it('fills every default for a minimal config', () => {
    const { config } = okOf(parseConfig(BASE, { sourceName: 'min.yaml' }));
    expect(config).toMatchObject({
      source: 'min.yaml',
      serverName: 'example.com',
      serverNameParts: { host: 'example.com', kind: 'dns' },
      listeners: [{ port: 8080, bindAddresses: ['::', '0.0.0.0'], tls: false, xForwarded: false }],
      tls: null,
      serveServerWellknown: false,
      delegationTarget: null,
      publicBaseurl: 'https://matrix.example.com/',
      defaultIdentityServer: null,
      extraWellKnownClientContent: {},
      support: null,
      tester: {
        enabled: false,
        rateLimitPerMinute: 10,
        maxInFlight: 8,
        cacheSeconds: 60,
        allowNetworks: [],
        dnsServers: [],
        caFile: null,
        caPem: null,
        timeoutMs: 30_000,
      },
      cache: {
        serverMaxAgeSeconds: 86_400,
        clientCacheControl: 'no-cache, no-store, must-revalidate',
        supportMaxAgeSeconds: 3_600,
      },
      logging: { level: 'info' },
      metrics: { enabled: false },
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.listeners[0])).toBe(true);
  });

  it('treats an empty value (YAML null) as "use the default", like Synapse', () => {
    const { config } = okOf(
      parseConfig(`${BASE}serve_server_wellknown:\ndelegation_target:\ntester:\ncache:\n  server_max_age_seconds:\n`),
    );
    expect(config.serveServerWellknown).toBe(false);
    expect(config.delegationTarget).toBeNull();
    expect(config.cache.serverMaxAgeSeconds).toBe(CONFIG_DEFAULTS.cache.serverMaxAgeSeconds);
  });

  it("reads PyYAML's yes/no/on/off as booleans, as Synapse does", () => {
    expect(okOf(parseConfig(`${BASE}serve_server_wellknown: yes\n`)).config.serveServerWellknown).toBe(true);
    expect(okOf(parseConfig(`${BASE}tester: { enabled: on }\nmetrics: { enabled: Off }\n`)).config).toMatchObject({
      tester: { enabled: true },
      metrics: { enabled: false },
    });
  });

  it('adds the trailing slash to public_baseurl (Synapse) but keeps the identity server as written', () => {
    const { config } = okOf(
      parseConfig(
        'server_name: example.com\npublic_baseurl: https://matrix.example.com/base\ndefault_identity_server: https://vector.im\n',
      ),
    );
    expect(config.publicBaseurl).toBe('https://matrix.example.com/base/');
    expect(config.defaultIdentityServer).toBe('https://vector.im');
  });

  it('writes delegation_target in canonical form', () => {
    expect(okOf(parseConfig(`${BASE}delegation_target: synapse.example.com:0443\n`)).config.delegationTarget).toBe(
      'synapse.example.com:443',
    );
    expect(okOf(parseConfig(`${BASE}delegation_target: '[2001:db8::1]:8448'\n`)).config.delegationTarget).toBe(
      '[2001:db8::1]:8448',
    );
  });

  it("accepts Synapse's older bind_address and level spellings", () => {
    const { config } = okOf(
      parseConfig(`${BASE}listeners: [{ port: 8008, bind_address: 127.0.0.1 }]\nlogging: { level: WARNING }\n`),
    );
    expect(config.listeners).toEqual([{ port: 8008, bindAddresses: ['127.0.0.1'], tls: false, xForwarded: false }]);
    expect(config.logging.level).toBe('warn');
  });

  it('reads the tester, cache and support settings', () => {
    const yaml = `${BASE}tester:
  enabled: true
  rate_limit_per_minute: 0
  max_in_flight: 2
  cache_seconds: 0
  allow_networks: [10.0.0.0/8, 'fd00::/8']
  dns_servers: ['127.0.0.1:5353', '[::1]:53']
  timeout_ms: 5000
cache: { server_max_age_seconds: 3600, client_cache_control: 'max-age=60', support_max_age_seconds: 0 }
support:
  contacts:
    - { role: org.example.role.helpdesk, matrix_id: '@help:example.com' }
`;
    const { config } = okOf(parseConfig(yaml));
    expect(config.tester).toEqual({
      enabled: true,
      rateLimitPerMinute: 0,
      maxInFlight: 2,
      cacheSeconds: 0,
      allowNetworks: ['10.0.0.0/8', 'fd00::/8'],
      dnsServers: ['127.0.0.1:5353', '[::1]:53'],
      caFile: null,
      caPem: null,
      timeoutMs: 5000,
    });
    expect(config.cache).toEqual({
      serverMaxAgeSeconds: 3600,
      clientCacheControl: 'max-age=60',
      supportMaxAgeSeconds: 0,
    });
    expect(config.support).toEqual({
      contacts: [{ role: 'org.example.role.helpdesk', matrixId: '@help:example.com' }],
      supportPage: null,
    });
  });

  it('validates plain objects too (validateConfig)', () => {
    const result = validateConfig({
      server_name: 'example.com',
      delegation_target: 'synapse.example.com:443',
      listeners: [{ port: 99999 }],
    });
    expect(errorsOf(result)).toEqual([{ key: 'listeners[0].port', code: 'out-of-range' }]);
    if (!result.ok) expect(result.errors[0]?.line).toBeUndefined();
  });
});

describe('files and the built-in default', () => {
  it('reports a missing config file as an error, not an exception', () => {
    const result = loadConfig('/nonexistent/matrix-delegation/serve.yaml');
    expect(errorsOf(result)).toEqual([{ key: '(file)', code: 'file-unreadable' }]);
    if (!result.ok) expect(result.errors[0]?.problem).toContain('does not exist');
  });

  it('the built-in default: HTTP on 127.0.0.1:8080, tester on, no warnings', () => {
    const { config, warnings } = loadDefaultConfig();
    expect(config.listeners).toEqual([{ port: 8080, bindAddresses: ['127.0.0.1'], tls: false, xForwarded: false }]);
    expect(config.tls).toBeNull();
    expect(config.tester.enabled).toBe(true);
    expect(config.serverName).toBe('localhost');
    expect(warnings).toEqual([]);
    expect(DEFAULT_CONFIG_YAML).toContain('127.0.0.1');
  });
});
