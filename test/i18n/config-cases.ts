// Broken `serve` configs, one per message of the config validators (errors and warnings): the corpus the config texts
// are checked on in every language.

import type { LabCertificate } from '../../src/testing/index.js';

/** One config: its YAML, the files it names (content, or `!CODE` for a read that fails), its environment. */
export interface ConfigCase {
  readonly name: string;
  readonly yaml: string;
  readonly files?: Readonly<Record<string, string>>;
  readonly env?: Readonly<Record<string, string>>;
  /** The clock for certificate warnings [now]. */
  readonly now?: Date;
}

/** The certificates the TLS cases use. */
export interface CasePems {
  readonly good: LabCertificate;
  readonly other: LabCertificate;
  readonly expired: LabCertificate;
  readonly encryptedKey: string;
}

const base = 'server_name: example.com\n';
const tls = (cert: string, key: string): string =>
  `${base}listeners: [{ port: 8443, tls: true }]\ntls_certificate_path: ${cert}\ntls_private_key_path: ${key}\n`;
const email = (lines: string): string =>
  `${base}monitor:\n  servers: [example.org]\n  notify:\n    email:\n${lines
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n')}\n`;
const matrix = (lines: string): string =>
  `${base}monitor:\n  servers: [example.org]\n  notify:\n    matrix:\n${lines
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n')}\n`;
const webhook = (url: string): string =>
  `${base}monitor:\n  servers: [example.org]\n  notify:\n    webhook:\n      url: ${JSON.stringify(url)}\n`;
const client = (extra: string): string =>
  `${base}public_baseurl: https://matrix.example.com/\nextra_well_known_client_content:\n${extra
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')}\n`;
const contact = (fields: string): string => `${base}support:\n  contacts:\n    - ${fields}\n`;
const MATRIX_OK = 'homeserver: https://matrix.example.org\naccess_token_env: BOT_TOKEN\nroom_id: "!abc:example.org"';
const EMAIL_OK =
  'smtp_url: smtp://mail.example.org:587\nusername: monitor@example.org\npassword_env: SMTP_PASSWORD\nfrom: monitor@example.org\nto: [admin@example.org]';
const ENV = { BOT_TOKEN: 'token-value', SMTP_PASSWORD: 'password-value', EMPTY_VAR: '' };

/** Every case, built around the given certificates. */
export function configCases(pem: CasePems): ConfigCase[] {
  const files: Record<string, string> = {
    '/tls/fullchain.pem': pem.good.fullChainPem,
    '/tls/privkey.pem': pem.good.keyPem,
    '/tls/other-key.pem': pem.other.keyPem,
    '/tls/other-chain.pem': pem.other.fullChainPem,
    '/tls/expired-chain.pem': pem.expired.fullChainPem,
    '/tls/expired-key.pem': pem.expired.keyPem,
    '/tls/encrypted-key.pem': pem.encryptedKey,
    '/tls/not-pem.txt': 'this is not a certificate\n',
    '/tls/missing.pem': '!ENOENT',
    '/tls/denied.pem': '!EACCES',
    '/tls/dir': '!EISDIR',
    '/tls/fifo': '!ENOTREGULAR',
    '/tls/huge.pem': '!EFILETOOLARGE',
    '/tls/slow.pem': '!EREADTIMEOUT',
    '/tls/broken.pem': '!EIO',
    '/secrets/token': 'secret-token\n',
    '/secrets/empty': '\n',
    '/secrets/two-lines': 'line one\nline two\n',
    '/secrets/missing': '!ENOENT',
  };
  const cases: ConfigCase[] = [
    // The whole file.
    { name: 'empty', yaml: '' },
    { name: 'a list', yaml: '- a\n- b\n' },
    { name: 'no server_name', yaml: 'listeners: [{ port: 8080 }]\n' },
    { name: 'server_name misspelt', yaml: 'server_nmae: example.com\n' },
    { name: 'server_name a number', yaml: 'server_name: 8448\n' },
    { name: 'server_name a URL', yaml: 'server_name: https://example.com/\n' },
    { name: 'server_name with a slash', yaml: 'server_name: "example.com/"\n' },
    { name: 'server_name empty', yaml: 'server_name: ""\n' },
    { name: 'server_name with a space', yaml: 'server_name: "exa mple.com"\n' },
    { name: 'server_name uppercase', yaml: 'server_name: Example.com\n' },
    { name: 'server_name odd labels', yaml: 'server_name: -bad-.example.123\n' },
    { name: 'server_name IPv4 zeros', yaml: 'server_name: 010.0.0.1\n' },
    { name: 'server_name IPv6 form', yaml: 'server_name: "[2001:DB8:0:0::1]"\n' },
    {
      name: 'server_name long',
      yaml: `server_name: ${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.com\n`,
    },
    { name: 'delegation_target a URL', yaml: `${base}delegation_target: https://synapse.example.com\n` },
    { name: 'delegation_target invalid', yaml: `${base}delegation_target: "synapse example.com"\n` },
    {
      name: 'both delegation keys',
      yaml: `${base}delegation_target: synapse.example.com:443\nserve_server_wellknown: true\n`,
    },
    { name: 'IP server name delegating', yaml: 'server_name: 192.0.2.1\ndelegation_target: synapse.example.com:443\n' },
    { name: 'server name with port delegating', yaml: 'server_name: example.com:8448\nserve_server_wellknown: true\n' },
    { name: 'serves nothing', yaml: `${base}tester: { enabled: false }\n` },
    {
      name: 'cache_store without tester',
      yaml: `${base}public_baseurl: https://m.example.com/\ntester: { enabled: false }\ncache_store: { kind: redis, url: "redis://127.0.0.1:6379/0" }\n`,
    },
    {
      name: 'cache_store with nothing to share',
      yaml: `${base}tester: { cache_seconds: 0, rate_limit_per_minute: 0 }\ncache_store: { kind: redis, url: "redis://127.0.0.1:6379/0" }\n`,
    },
    {
      name: 'monitor state_path with redis',
      yaml: `${base}cache_store: { kind: redis, url: "redis://127.0.0.1:6379/0" }\nmonitor: { servers: [example.org], state_path: /var/lib/x.json, notify: { webhook: { url: "https://hooks.example.org/x" } } }\n`,
    },
    { name: 'unknown key', yaml: `${base}foo_bar: 1\n` },
    { name: 'unknown key close to one', yaml: `${base}public_baseur: https://matrix.example.com/\n` },

    // Typed fields.
    { name: 'boolean', yaml: `${base}serve_server_wellknown: maybe\n` },
    { name: 'quoted number', yaml: `${base}tester: { rate_limit_per_minute: "10" }\n` },
    { name: 'not whole', yaml: `${base}tester: { max_in_flight: 1.5 }\n` },
    { name: 'out of range', yaml: `${base}tester: { cache_seconds: 999999 }\n` },
    { name: 'string expected', yaml: `${base}public_baseurl: 42\n` },
    { name: 'list as string', yaml: `${base}tester: { allow_networks: "10.0.0.0/8" }\n` },
    { name: 'list as number', yaml: `${base}tester: { dns_servers: 5 }\n` },
    { name: 'list item', yaml: `${base}tester: { dns_servers: [5, true, [1], { a: 1 }, null] }\n` },
    { name: 'section not mapping', yaml: `${base}tester: yes\n` },

    // URLs.
    { name: 'url without scheme', yaml: `${base}public_baseurl: matrix.example.com\n` },
    { name: 'url not a URL', yaml: `${base}public_baseurl: "https://[bad"\n` },
    { name: 'url other scheme', yaml: `${base}public_baseurl: ftp://matrix.example.com/\n` },
    { name: 'url https: without //', yaml: `${base}public_baseurl: "https:matrix.example.com"\n` },
    { name: 'url with user', yaml: `${base}public_baseurl: https://user:pw@matrix.example.com/\n` },
    { name: 'url with space', yaml: `${base}public_baseurl: "https://matrix.example.com/a b"\n` },
    { name: 'url with query', yaml: `${base}public_baseurl: https://matrix.example.com/?x=1\n` },
    { name: 'url plain http', yaml: `${base}public_baseurl: http://matrix.example.com/\n` },
    { name: 'url no text', yaml: `${base}public_baseurl: "::::"\n` },

    // Listeners.
    { name: 'listeners a mapping', yaml: `${base}listeners: { port: 8080 }\n` },
    { name: 'listeners empty', yaml: `${base}listeners: []\n` },
    { name: 'listeners none http', yaml: `${base}listeners: [{ port: 9000, type: metrics }]\n` },
    { name: 'listener a number', yaml: `${base}listeners: [8080]\n` },
    { name: 'listener socket', yaml: `${base}listeners: [{ path: /run/x.sock }, { port: 8080 }]\n` },
    { name: 'listener without port', yaml: `${base}listeners: [{ bind_addresses: ["127.0.0.1"] }]\n` },
    { name: 'bind_addresses empty', yaml: `${base}listeners: [{ port: 8080, bind_addresses: [] }]\n` },
    {
      name: 'bind_addresses bad',
      yaml: `${base}listeners: [{ port: 8080, bind_addresses: ["[::1]", localhost, example.org] }]\n`,
    },
    { name: 'bind_address bad', yaml: `${base}listeners: [{ port: 8080, bind_address: localhost }]\n` },
    { name: 'listeners duplicate', yaml: `${base}listeners: [{ port: 8080 }, { port: 8080 }]\n` },
    { name: 'tls without files', yaml: `${base}listeners: [{ port: 8443, tls: true }]\n` },
    {
      name: 'tls files without a tls listener',
      yaml: `${base}tls_certificate_path: /tls/fullchain.pem\ntls_private_key_path: /tls/privkey.pem\n`,
    },
    { name: 'tls missing', yaml: tls('/tls/missing.pem', '/tls/privkey.pem') },
    { name: 'tls denied', yaml: tls('/tls/denied.pem', '/tls/privkey.pem') },
    { name: 'tls directory', yaml: tls('/tls/dir', '/tls/privkey.pem') },
    { name: 'tls fifo', yaml: tls('/tls/fifo', '/tls/privkey.pem') },
    { name: 'tls huge', yaml: tls('/tls/huge.pem', '/tls/privkey.pem') },
    { name: 'tls slow', yaml: tls('/tls/slow.pem', '/tls/privkey.pem') },
    { name: 'tls broken', yaml: tls('/tls/broken.pem', '/tls/missing.pem') },
    { name: 'tls not pem', yaml: tls('/tls/not-pem.txt', '/tls/privkey.pem') },
    { name: 'tls encrypted key', yaml: tls('/tls/fullchain.pem', '/tls/encrypted-key.pem') },
    { name: 'tls key not pem', yaml: tls('/tls/fullchain.pem', '/tls/fullchain.pem') },
    { name: 'tls key mismatch', yaml: tls('/tls/fullchain.pem', '/tls/other-key.pem') },
    { name: 'tls expired', yaml: tls('/tls/expired-chain.pem', '/tls/expired-key.pem') },
    { name: 'tls other name', yaml: tls('/tls/other-chain.pem', '/tls/other-key.pem') },
    {
      name: 'tls not yet valid',
      yaml: tls('/tls/fullchain.pem', '/tls/privkey.pem'),
      now: new Date('2000-01-01T00:00:00Z'),
    },
    {
      name: 'tls expiring soon',
      yaml: tls('/tls/fullchain.pem', '/tls/privkey.pem'),
      now: new Date(new Date(pem.good.notAfter).getTime() - 3 * 86_400_000),
    },
    { name: 'tls relative path', yaml: tls('missing.pem', '/tls/privkey.pem') },

    // tester, cache, logging.
    { name: 'tester networks', yaml: `${base}tester: { allow_networks: ["10.0.0.0/33"], dns_servers: [not-an-ip] }\n` },
    { name: 'tester ca missing', yaml: `${base}tester: { ca_file: /tls/missing.pem }\n` },
    { name: 'tester ca not pem', yaml: `${base}tester: { ca_file: /tls/not-pem.txt }\n` },
    { name: 'cache too long', yaml: `${base}cache: { server_max_age_seconds: 200000 }\n` },
    { name: 'cache too short', yaml: `${base}cache: { server_max_age_seconds: 60 }\n` },
    { name: 'cache control', yaml: `${base}cache: { client_cache_control: "max-age=1\\nX: y" }\n` },
    { name: 'log level', yaml: `${base}logging: { level: verbose }\n` },
    { name: 'log level typo', yaml: `${base}logging: { level: debgu }\n` },

    // cache_store.
    { name: 'cache_store a word', yaml: `${base}cache_store: redis\n` },
    { name: 'cache_store memory word', yaml: `${base}cache_store: memory\n` },
    { name: 'cache_store small', yaml: `${base}cache_store: { max_bytes: 1000 }\n` },
    {
      name: 'cache_store memory with url',
      yaml: `${base}cache_store: { url: "redis://127.0.0.1:6379", key_prefix: "x:" }\n`,
    },
    { name: 'cache_store redis without url', yaml: `${base}cache_store: { kind: redis }\n` },
    { name: 'cache_store kind typo', yaml: `${base}cache_store: { kind: rediss, url: "localhost:6379" }\n` },
    { name: 'cache_store kind unknown', yaml: `${base}cache_store: { kind: memcached, key_prefix: "" }\n` },
    { name: 'cache_store url bare', yaml: `${base}cache_store: { kind: redis, url: "localhost:6379" }\n` },
    { name: 'cache_store url http', yaml: `${base}cache_store: { kind: redis, url: "http://x.example" }\n` },
    { name: 'cache_store url no host', yaml: `${base}cache_store: { kind: redis, url: "redis:host" }\n` },
    { name: 'cache_store url path', yaml: `${base}cache_store: { kind: redis, url: "redis://h.example/abc" }\n` },
    {
      name: 'cache_store prefix',
      yaml: `${base}cache_store: { kind: redis, url: "redis://h.example/0", key_prefix: "a b" }\n`,
    },
    {
      name: 'cache_store empty prefix',
      yaml: `${base}cache_store: { kind: redis, url: "redis://h.example/0", key_prefix: "" }\n`,
    },

    // The client document.
    {
      name: 'extras not a mapping',
      yaml: `${base}public_baseurl: https://m.example.com/\nextra_well_known_client_content: 5\n`,
    },
    { name: 'extras reserved', yaml: client('m.homeserver: { base_url: "https://x.example" }\nm.identity_server: {}') },
    { name: 'extras not namespaced', yaml: client('setting: 1') },
    { name: 'extras not JSON', yaml: client('org.example.nan: .nan\norg.example.date: 2024-01-01') },
    { name: 'no public_baseurl', yaml: `${base}default_identity_server: https://vector.im\n` },
    { name: 'e2ee not an object', yaml: client('io.element.e2ee: "yes"') },
    { name: 'e2ee string false', yaml: client('io.element.e2ee: { default: "false" }') },
    { name: 'jitsi a URL', yaml: client('im.vector.riot.jitsi: { preferredDomain: "https://jitsi.example.com" }') },
    { name: 'issuer http', yaml: client('m.authentication: { issuer: "http://account.example.com/" }') },
    { name: 'foci not a list', yaml: client('org.matrix.msc4143.rtc_foci: { type: livekit }') },
    {
      name: 'foci item',
      yaml: client('org.matrix.msc4143.rtc_foci: [{ livekit_service_url: "https://rtc.example.com" }]'),
    },
    { name: 'foci type', yaml: client('org.matrix.msc4143.rtc_foci: [{ type: 5 }]') },
    { name: 'tile server', yaml: client('m.tile_server: { map_style_url: "http://tiles.example.com/style.json" }') },
    {
      name: 'backup methods',
      yaml: client('io.element.e2ee: { secure_backup_setup_methods: ["foo"] }'),
    },
    { name: 'e2ee older name', yaml: client('im.vector.riot.e2ee: { default: true }') },
    {
      name: 'tile unstable name',
      yaml: client('org.matrix.msc3488.tile_server: { map_style_url: "https://t.example/s.json" }'),
    },
    {
      name: 'e2ee retired and contradictory',
      yaml: client('io.element.e2ee: { default: true, force_disable: true, secure_backup_required: true }'),
    },
    {
      name: 'jitsi names disagree',
      yaml: client(
        'io.element.jitsi: { preferredDomain: jitsi.example.com }\nim.vector.riot.jitsi: { preferredDomain: other.example.com }',
      ),
    },

    // support.
    { name: 'support page', yaml: `${base}support: { support_page: "support.example.com" }\n` },
    { name: 'support nothing', yaml: `${base}support: {}\n` },
    { name: 'support contacts empty', yaml: `${base}support: { contacts: [] }\n` },
    { name: 'support contacts not a list', yaml: `${base}support: { contacts: admin }\n` },
    { name: 'support contact not a mapping', yaml: `${base}support: { contacts: [admin] }\n` },
    { name: 'contact without role', yaml: contact('{ email_address: admin@example.com }') },
    { name: 'contact m. role', yaml: contact('{ role: m.role.admn, email_address: admin@example.com }') },
    { name: 'contact m. role far', yaml: contact('{ role: m.role.boss, email_address: admin@example.com }') },
    { name: 'contact bare role', yaml: contact('{ role: admin, email_address: admin@example.com }') },
    { name: 'contact bad role', yaml: contact('{ role: Helpdesk, email_address: admin@example.com }') },
    { name: 'contact id without @', yaml: contact('{ role: m.role.admin, matrix_id: "admin:example.com" }') },
    { name: 'contact id plain', yaml: contact('{ role: m.role.admin, matrix_id: admin }') },
    { name: 'contact id no server', yaml: contact('{ role: m.role.admin, matrix_id: "@admin" }') },
    { name: 'contact id localpart', yaml: contact('{ role: m.role.admin, matrix_id: "@:example.com" }') },
    { name: 'contact id server', yaml: contact('{ role: m.role.admin, matrix_id: "@admin:exa mple.com" }') },
    {
      name: 'contact id long',
      yaml: contact(`{ role: m.role.admin, matrix_id: "@${'a'.repeat(250)}:example.com" }`),
    },
    { name: 'contact mailto', yaml: contact('{ role: m.role.admin, email_address: "mailto:admin@example.com" }') },
    { name: 'contact email', yaml: contact('{ role: m.role.admin, email_address: "admin at example.com" }') },
    { name: 'contact no address', yaml: contact('{ role: m.role.admin }') },

    // monitor.
    { name: 'monitor no servers', yaml: `${base}monitor: { interval_seconds: 60 }\n` },
    { name: 'monitor servers empty', yaml: `${base}monitor: { servers: [] }\n` },
    {
      name: 'monitor too many',
      yaml: `${base}monitor:\n  servers: [${Array.from({ length: 10_001 }, (_, i) => `s${i}.example`).join(', ')}]\n`,
    },
    {
      name: 'monitor bad names',
      yaml: `${base}monitor: { servers: ["https://example.org/", "exa mple.org", example.org, Example.org] }\n`,
    },
    { name: 'monitor state_path empty', yaml: `${base}monitor: { servers: [example.org], state_path: " " }\n` },
    { name: 'monitor no notify', yaml: `${base}monitor: { servers: [example.org] }\n` },
    { name: 'monitor notify empty', yaml: `${base}monitor: { servers: [example.org], notify: {} }\n` },
    { name: 'webhook no url', yaml: `${base}monitor: { servers: [example.org], notify: { webhook: {} } }\n` },
    { name: 'webhook bare', yaml: webhook('hooks.example.org/x') },
    { name: 'webhook junk', yaml: webhook('not a url') },
    { name: 'webhook password', yaml: webhook('https://u:p@hooks.example.org/x') },
    { name: 'webhook scheme', yaml: webhook('ftp://hooks.example.org/x') },
    { name: 'webhook user', yaml: webhook('https://u@hooks.example.org/x') },
    { name: 'webhook space', yaml: webhook('https://hooks.example.org/a b') },
    { name: 'email nothing', yaml: email('username: monitor@example.org\npassword_env: SMTP_PASSWORD'), env: ENV },
    {
      name: 'email query',
      yaml: email(EMAIL_OK.replace('smtp://mail.example.org:587', 'smtp://mail.example.org:587/?x=1')),
      env: ENV,
    },
    {
      name: 'email path',
      yaml: email(EMAIL_OK.replace('smtp://mail.example.org:587', 'smtp://mail.example.org:587/box')),
      env: ENV,
    },
    { name: 'email user twice', yaml: email(EMAIL_OK.replace('smtp://', 'smtp://me@')), env: ENV },
    { name: 'email password no user', yaml: email(EMAIL_OK.replace('username: monitor@example.org\n', '')), env: ENV },
    { name: 'email user no password', yaml: email(EMAIL_OK.replace('password_env: SMTP_PASSWORD\n', '')), env: ENV },
    { name: 'email to empty', yaml: email(EMAIL_OK.replace('to: [admin@example.org]', 'to: []')), env: ENV },
    {
      name: 'email bad addresses',
      yaml: email(
        EMAIL_OK.replace('to: [admin@example.org]', 'to: ["admin", "a\\nb@example.org"]').replace(
          'from: monitor@example.org',
          'from: "Monitor <nobody>"',
        ),
      ),
      env: ENV,
    },
    { name: 'matrix nothing', yaml: matrix('room_id: "#room:example.org"'), env: ENV },
    { name: 'matrix both secrets', yaml: matrix(`${MATRIX_OK}\naccess_token_file: /secrets/token`), env: ENV },
    { name: 'matrix env not a name', yaml: matrix(MATRIX_OK.replace('BOT_TOKEN', '"abc def"')), env: ENV },
    { name: 'matrix env unset', yaml: matrix(MATRIX_OK.replace('BOT_TOKEN', 'NOT_SET_ANYWHERE')), env: ENV },
    { name: 'matrix env empty', yaml: matrix(MATRIX_OK.replace('BOT_TOKEN', 'EMPTY_VAR')), env: ENV },
    {
      name: 'matrix token file missing',
      yaml: matrix(MATRIX_OK.replace('access_token_env: BOT_TOKEN', 'access_token_file: /secrets/missing')),
      env: ENV,
    },
    {
      name: 'matrix token file empty',
      yaml: matrix(MATRIX_OK.replace('access_token_env: BOT_TOKEN', 'access_token_file: /secrets/empty')),
      env: ENV,
    },
    {
      name: 'matrix token file two lines',
      yaml: matrix(MATRIX_OK.replace('access_token_env: BOT_TOKEN', 'access_token_file: /secrets/two-lines')),
      env: ENV,
    },
    { name: 'matrix room invalid', yaml: matrix(MATRIX_OK.replace('"!abc:example.org"', '"!"')), env: ENV },
    {
      name: 'matrix homeserver query',
      yaml: matrix(MATRIX_OK.replace('https://matrix.example.org', 'https://matrix.example.org/?access_token=x')),
      env: ENV,
    },

    // YAML itself.
    { name: 'yaml duplicate key', yaml: `${base}server_name: example.org\n` },
    { name: 'yaml tab', yaml: `${base}tester:\n\tenabled: true\n` },
    { name: 'yaml indent', yaml: `${base}tester:\n  enabled: true\n   max_in_flight: 3\n` },
    { name: 'yaml two documents', yaml: `${base}---\nserver_name: example.org\n` },
    { name: 'yaml escape', yaml: `${base}public_baseurl: "https://x\\q"\n` },
    { name: 'yaml unclosed', yaml: `${base}public_baseurl: "https://x\n` },
    { name: 'yaml colon', yaml: `${base}public_baseurl: a: b\n` },
    {
      name: 'yaml aliases',
      yaml: `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\nserver_name: example.com\n`,
    },
  ];
  return cases.map((c) => ({ ...c, files: { ...files, ...c.files } }));
}

/** A file reader over a case's files: the content, or an error with the code after `!`. */
export function caseReader(files: Readonly<Record<string, string>> | undefined): (path: string) => string {
  return (path) => {
    const content = files?.[path];
    if (content === undefined)
      throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
    if (content.startsWith('!')) {
      const code = content.slice(1);
      throw Object.assign(new Error(`${code}: cannot read '${path}'`), { code });
    }
    return content;
  };
}
