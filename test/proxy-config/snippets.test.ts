// The snippets: every target serves the three documents with their Content-Type and CORS, proxies when asked, and
// says what it cannot do. Real servers run them in real-servers.test.ts; these pin the text.

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  buildSiteModel,
  dnsRecords,
  generateProxyConfig,
  parseConfigForSnippets,
  synapseConfig,
  WEB_SERVER_TARGETS,
} from '../../src/proxy-config/index.js';
import type { ServeConfig } from '../../src/config/index.js';
import { prepareWellKnownDocuments } from '../../src/config/documents.js';
import { caddyToken, haproxyString, nginxString } from '../../src/proxy-config/quote.js';

const ALL_THREE = `
server_name: example.com
delegation_target: matrix.example.com:443
public_baseurl: https://matrix.example.com
support:
  contacts:
    - role: m.role.admin
      email_address: admin@example.com
listeners:
  - port: 443
    tls: true
  - port: 8080
    bind_addresses: ['127.0.0.1', '::1']
tls_certificate_path: /nonexistent/fullchain.pem
tls_private_key_path: /nonexistent/privkey.pem
`;

async function config(yaml: string): Promise<ServeConfig> {
  const result = await parseConfigForSnippets(yaml, { sourceName: 'test.yaml' });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

const CORS = [
  ['Access-Control-Allow-Origin', '*'],
  ['Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, OPTIONS'],
  ['Access-Control-Allow-Headers', 'X-Requested-With, Content-Type, Authorization'],
] as const;

describe('parseConfigForSnippets', () => {
  it('accepts TLS files that are not on this machine, and says so', async () => {
    const result = await parseConfigForSnippets(ALL_THREE, { sourceName: 'test.yaml' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.missingTlsFiles).toEqual(['/nonexistent/fullchain.pem', '/nonexistent/privkey.pem']);
    expect(result.config.tls?.certificatePath).toBe('/nonexistent/fullchain.pem');
    expect(result.warnings.join('\n')).toMatch(/TLS files not found on this machine/);
  });
  it('still refuses every other error', async () => {
    const result = await parseConfigForSnippets(
      `${ALL_THREE}\npublic_baseurl_typo: x\nserve_server_wellknown: maybe\n`,
      {},
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.key)).toContain('serve_server_wellknown');
  });
});

describe('every web server serves the three documents with Content-Type and CORS', () => {
  it('nginx: an exact location per document, default_type, CORS always, the body as written by serve', async () => {
    const c = await config(ALL_THREE);
    const { text } = generateProxyConfig('nginx', c);
    const docs = prepareWellKnownDocuments(c);
    for (const doc of [docs.server!, docs.client!, docs.support!]) {
      const block = text.slice(text.indexOf(`location = ${doc.path} {`));
      expect(block).toContain('default_type application/json;');
      for (const [name, value] of CORS) expect(block).toContain(`add_header ${name} '${value}' always;`);
      expect(block).toContain(`add_header Cache-Control '${doc.headers['cache-control']}' always;`);
      expect(block).toContain(`return 200 ${nginxString(doc.body.toString('utf8'))};`);
      expect(block).toMatch(/if \(\$request_method = OPTIONS\) \{[^}]*return 204;/);
    }
    expect(text).toContain('listen 443 ssl;\n    listen [::]:443 ssl;');
    expect(text).toContain('listen 127.0.0.1:8080;\n    listen [::1]:8080;');
    expect(text).toContain('ssl_certificate /nonexistent/fullchain.pem;');
  });

  it('Caddy: a handle per document, the preflight first, Content-Type and CORS headers, inline bodies', async () => {
    const c = await config(ALL_THREE);
    const { text, files } = generateProxyConfig('caddy', c);
    const docs = prepareWellKnownDocuments(c);
    expect(files).toEqual([]);
    expect(text).toContain('path /.well-known/matrix/server /.well-known/matrix/client /.well-known/matrix/support');
    for (const doc of [docs.server!, docs.client!, docs.support!]) {
      const name = doc.path.split('/').pop()!;
      const block = text.slice(text.indexOf(`handle @matrix_${name} {`));
      expect(block).toContain('header Content-Type `application/json`');
      for (const [header, value] of CORS) expect(block).toContain(`header ${header} \`${value}\``);
      expect(block).toContain(`respond ${caddyToken(doc.body.toString('utf8'))} 200`);
    }
    // Two ports: the handlers are written once, in a snippet both site blocks import.
    expect(text).toContain('(matrix_delegation) {');
    expect(text).toContain(
      'https://example.com:443 {\n\ttls /nonexistent/fullchain.pem /nonexistent/privkey.pem\n\timport matrix_delegation\n}',
    );
    expect(text).toContain('http://example.com:8080 {\n\tbind 127.0.0.1 ::1\n\timport matrix_delegation\n}');
  });

  it('Apache: files with the exact bytes, an Alias and ForceType per document, CORS with Header always set', async () => {
    const c = await config(ALL_THREE);
    const { text, files } = generateProxyConfig('apache', c);
    const docs = prepareWellKnownDocuments(c);
    expect(files.map((f) => [f.document, f.path])).toEqual([
      ['server', '/var/www/matrix-delegation/server.json'],
      ['client', '/var/www/matrix-delegation/client.json'],
      ['support', '/var/www/matrix-delegation/support.json'],
    ]);
    expect(files.map((f) => f.content)).toEqual([docs.server!.body, docs.client!.body, docs.support!.body]);
    for (const file of files) {
      const path = `/.well-known/matrix/${file.document}`;
      expect(text).toContain(`Alias "${path}" "${file.path}"`);
      const block = text.slice(text.indexOf(`<Location "${path}">`));
      expect(block).toContain('ForceType application/json');
      for (const [name, value] of CORS) expect(block).toContain(`Header always set ${name} "${value}"`);
      // The header comment tells how to create the file byte for byte.
      expect(text).toContain(`printf '%s' '${file.content.toString('utf8')}' > '${file.path}'`);
    }
    expect(text).toContain('<VirtualHost *:443>');
    expect(text).toContain('<VirtualHost 127.0.0.1:8080 [::1]:8080>');
    expect(text).toContain('SSLCertificateKeyFile "/nonexistent/privkey.pem"');
  });

  it('HAProxy: an http-request return per document with content-type, CORS headers and the body', async () => {
    const c = await config(ALL_THREE);
    const { text } = generateProxyConfig('haproxy', c);
    const docs = prepareWellKnownDocuments(c);
    for (const doc of [docs.server!, docs.client!, docs.support!]) {
      const line = text.split('\n').find((l) => l.includes(`if { path ${doc.path} }`))!;
      expect(line).toContain(
        `http-request return status 200 content-type 'application/json' string ${haproxyString(doc.body.toString('utf8'))}`,
      );
      for (const [name, value] of CORS) expect(line).toContain(`hdr ${name} '${value}'`);
    }
    expect(text).toMatch(
      /http-request return status 204 hdr Access-Control-Allow-Origin '\*'.* if METH_OPTIONS matrix_documents/,
    );
    expect(text).toContain('bind :::443 v4v6 ssl crt /etc/haproxy/certs/example.com.pem');
    expect(text).toContain(
      "cat '/nonexistent/fullchain.pem' '/nonexistent/privkey.pem' > '/etc/haproxy/certs/example.com.pem'",
    );
  });

  it('leaves out documents the config does not serve', async () => {
    const c = await config('server_name: example.com\npublic_baseurl: https://example.com/\n');
    for (const target of WEB_SERVER_TARGETS) {
      const { text } = generateProxyConfig(target, c);
      expect(text, target).toContain('/.well-known/matrix/client');
      expect(text, target).not.toMatch(
        /(location = |Alias "|path |if \{ path )\/\.well-known\/matrix\/(server|support)\b/,
      );
    }
  });
});

describe('proxying the homeserver', () => {
  const proxy = { proxyTo: 'http://127.0.0.1:8008' };

  it('every server proxies /_matrix and /_synapse/client, and listens on 8448 with TLS', async () => {
    const c = await config(ALL_THREE);
    const nginx = generateProxyConfig('nginx', c, proxy).text;
    expect(nginx).toContain('location ~ ^(/_matrix|/_synapse/client) {\n        proxy_pass http://127.0.0.1:8008;');
    expect(nginx).toContain('listen 8448 ssl;\n    listen [::]:8448 ssl;');
    expect(nginx).toContain('server_name example.com matrix.example.com;');
    const caddy = generateProxyConfig('caddy', c, proxy).text;
    expect(caddy).toContain(
      '@matrix_api path /_matrix/* /_synapse/client/*\n\thandle @matrix_api {\n\t\treverse_proxy http://127.0.0.1:8008',
    );
    expect(caddy).toContain('https://example.com:8448, https://matrix.example.com:8448 {');
    const apache = generateProxyConfig('apache', c, proxy).text;
    expect(apache).toContain('ProxyPass "/_matrix" "http://127.0.0.1:8008/_matrix" nocanon');
    expect(apache).toContain('ProxyPass "/_synapse/client" "http://127.0.0.1:8008/_synapse/client" nocanon');
    expect(apache).toContain('<VirtualHost *:8448>');
    const haproxy = generateProxyConfig('haproxy', c, proxy).text;
    expect(haproxy).toContain('acl matrix_api path_beg /_matrix /_synapse/client');
    expect(haproxy).toContain('backend matrix_homeserver\n    mode http\n    server homeserver 127.0.0.1:8008');
    expect(haproxy).toContain('bind :::8448 v4v6 ssl crt');
  });

  it('federationPort null adds no listener; a config without TLS cannot take federation', async () => {
    const c = await config(ALL_THREE);
    expect(generateProxyConfig('nginx', c, { ...proxy, federationPort: null }).text).not.toContain('8448');
    const plain = await config('server_name: example.com\nserve_server_wellknown: true\n');
    expect(() => generateProxyConfig('nginx', plain, proxy)).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/needs TLS/) }),
    );
  });

  it('refuses a homeserver URL with a path, or without a scheme', async () => {
    const c = await config(ALL_THREE);
    expect(() => buildSiteModel(c, { proxyTo: 'http://127.0.0.1:8008/synapse' })).toThrow(/path/);
    expect(() => buildSiteModel(c, { proxyTo: '127.0.0.1:8008' })).toThrow(/http:\/\/127\.0\.0\.1:8008/);
    expect(buildSiteModel(c, { proxyTo: 'https://[::1]' }).proxy).toMatchObject({
      url: 'https://[::1]:443',
      hostname: '::1',
    });
  });
});

describe('bodies a syntax cannot carry', () => {
  const tricky = `server_name: example.com\npublic_baseurl: https://example.com/\nextra_well_known_client_content:\n  org.example.x: 'a \`tick\` and {$HOME} and $5'\n`;

  it('Caddy serves such a body from its file; nginx declares the $ variable; HAProxy quotes it; Apache uses files anyway', async () => {
    const c = await config(tricky);
    const body = prepareWellKnownDocuments(c).client!.body;
    const caddy = generateProxyConfig('caddy', c);
    expect(caddy.files).toEqual([
      { document: 'client', path: '/var/www/matrix-delegation/client.json', content: body },
    ]);
    expect(caddy.text).toContain('root * /var/www/matrix-delegation\n\t\trewrite * /client.json\n\t\tfile_server');
    expect(caddy.text).not.toContain('{$HOME}');
    const nginx = generateProxyConfig('nginx', c).text;
    expect(nginx.startsWith('#')).toBe(true);
    expect(nginx).toContain('geo $matrix_delegation_dollar {\n    default "$";\n}');
    expect(nginx).toContain('${matrix_delegation_dollar}5');
    expect(generateProxyConfig('haproxy', c).text).toContain(haproxyString(body.toString('utf8')));
    expect(generateProxyConfig('apache', c).files.map((f) => f.content)).toEqual([body]);
  });
});

describe('full configurations', () => {
  it('have the global parts: foreground, stderr logging, a pid file under runDir', async () => {
    const c = await config(ALL_THREE);
    const options = { full: true, runDir: '/tmp/x' };
    expect(generateProxyConfig('nginx', c, options).text).toMatch(
      /daemon off;[\s\S]*pid \/tmp\/x\/matrix-delegation-nginx\.pid;[\s\S]*error_log stderr/,
    );
    expect(generateProxyConfig('caddy', c, options).text).toMatch(/admin off[\s\S]*auto_https off[\s\S]*output stderr/);
    expect(generateProxyConfig('apache', c, options).text).toMatch(
      /PidFile "\/tmp\/x\/matrix-delegation-apache\.pid"[\s\S]*ErrorLog "\/dev\/stderr"[\s\S]*LoadModule ssl_module/,
    );
    expect(generateProxyConfig('haproxy', c, options).text).toMatch(
      /global\n {4}log stderr format raw local0\n {4}pidfile \/tmp\/x\/matrix-delegation-haproxy\.pid/,
    );
  });
  it('apply to web servers only', async () => {
    const c = await config(ALL_THREE);
    expect(() => generateProxyConfig('dns', c, { full: true })).toThrow(/--full applies to the web servers/);
  });
});

describe('dns', () => {
  it('well-known delegation: address record templates, and no SRV record', async () => {
    const { text } = dnsRecords(await config(ALL_THREE));
    expect(text).toContain('; example.com. 3600 IN A    <IPv4 address of the web server>');
    expect(text).toContain('No SRV record is needed for example.com');
    expect(text).not.toMatch(/^_matrix-fed/m);
  });
  it('SRV delegation: the record in zone-file syntax, with the certificate and client caveats', async () => {
    const { text } = dnsRecords(
      await config('server_name: example.com\npublic_baseurl: https://synapse.example.com/\n'),
      { srvTarget: 'synapse.example.com:443' },
    );
    expect(text).toContain('\n_matrix-fed._tcp.example.com. 3600 IN SRV 10 5 443 synapse.example.com.\n');
    expect(text).toMatch(/expect a certificate valid for\n; example\.com/);
    expect(text).toContain('/.well-known/matrix/client');
  });
  it('no delegation and no target: the record only as a commented example', async () => {
    const { text } = dnsRecords(
      await config('server_name: example.com\npublic_baseurl: https://synapse.example.com/\n'),
    );
    expect(text).toContain('; _matrix-fed._tcp.example.com. 3600 IN SRV 10 5 443 synapse.example.com.');
    expect(text).not.toMatch(/^_matrix-fed/m);
  });
  it('m.server without a port: the optional record of the delegated host; SRV target ports default to 8448', async () => {
    const c = await config('server_name: example.com\ndelegation_target: synapse.example.com\n');
    expect(dnsRecords(c).text).toContain(
      '; _matrix-fed._tcp.synapse.example.com. 3600 IN SRV 10 5 8448 synapse.example.com.',
    );
    expect(dnsRecords(c, { srvTarget: 'backup.example.com' }).text).toContain(
      '\n_matrix-fed._tcp.example.com. 3600 IN SRV 10 5 8448 backup.example.com.\n',
    );
    expect(() => dnsRecords(c, { srvTarget: '10.0.0.1:443' })).toThrow(/cannot point at an IP address/);
  });
  it('a server name with a port or an IP: no delegation record applies', async () => {
    expect(dnsRecords(await config('server_name: example.com:8449\n')).text).toMatch(
      /has a port[\s\S]*no delegation record applies/,
    );
    expect(dnsRecords(await config('server_name: 203.0.113.5\n')).text).toMatch(/is an IP address/);
  });
  it('public listener addresses become the address records', async () => {
    const c = await config(
      'server_name: example.com\nlisteners:\n  - port: 443\n    bind_addresses: [203.0.113.10, 2001:db8::10]\n',
    );
    const { text } = dnsRecords(c);
    expect(text).toContain('\nexample.com. 3600 IN A 203.0.113.10\n');
    expect(text).toContain('\nexample.com. 3600 IN AAAA 2001:db8::10\n');
  });
});

describe('synapse', () => {
  it('serve_server_wellknown when the config announces what Synapse would', async () => {
    const { text } = synapseConfig(
      await config('server_name: example.com\nserve_server_wellknown: true\npublic_baseurl: https://example.com/\n'),
    );
    expect(text).toContain(
      '\nserver_name: example.com\npublic_baseurl: https://example.com/\nserve_server_wellknown: true\n',
    );
    expect(text).toContain('https://example.com (port 443) must be routed to Synapse');
  });
  it('says Synapse cannot announce another host, and cannot serve the support document', async () => {
    const { text } = synapseConfig(await config(ALL_THREE));
    expect(text).not.toContain('serve_server_wellknown: true');
    expect(text).toContain('Synapse cannot serve {"m.server": "matrix.example.com:443"}');
    expect(text).toContain('Synapse does not serve /.well-known/matrix/support');
  });
  it('lists the LiveKit foci of the client settings as matrix_rtc.transports (MSC4143), and nothing else there', async () => {
    const yaml = [
      'server_name: example.com',
      'public_baseurl: https://matrix.example.com/',
      'extra_well_known_client_content:',
      '  org.matrix.msc4143.rtc_foci:',
      '    - { type: livekit, livekit_service_url: "https://rtc.example.com/livekit/jwt" }',
      '',
    ].join('\n');
    const parsed = parse(synapseConfig(await config(yaml)).text) as Record<string, unknown>;
    expect(parsed['experimental_features']).toEqual({ msc4143_enabled: true });
    expect(parsed['matrix_rtc']).toEqual({
      transports: [{ type: 'livekit', livekit_service_url: 'https://rtc.example.com/livekit/jwt' }],
    });
    const without = parse(synapseConfig(await config('server_name: example.com\n')).text) as Record<string, unknown>;
    expect([without['matrix_rtc'], without['experimental_features']]).toEqual([undefined, undefined]);
  });
});
